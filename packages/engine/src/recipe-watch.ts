/**
 * Watches recipe calls for what an `await` cannot catch: an error thrown from
 * a timer or a rejected promise nobody awaited (Node would print a trace and
 * exit), and a call whose promise never settles (Node would exit 13 without a
 * word when the event loop empties). Each install and uninstall runs in an
 * async context naming its part, so a stray error fails that part; init and
 * update, called for every part of every run, are blamed when they are the one
 * call running. A stray error no running call can be blamed for fails the run,
 * naming the parts that were running. A call still running when the event
 * loop empties fails as `install never finished`. Either way the run ends
 * normally: the journal keeps what finished and the lock is released.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { BuildoutError, isBuildoutError } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';

interface RunningCall {
  readonly part: string;
  readonly action: string;
  readonly fail: (error: unknown) => void;
}

/** The recipe call a piece of code runs for; timers and promises it creates keep it. */
const calls = new AsyncLocalStorage<RunningCall>();
/**
 * The calls that run in that context. Once a context is entered, every promise of the process pays for it
 * (13% of a no-op run of 1,000 parts, where every part's init and update is called), and turning it off
 * again does not give that back. init and update therefore run without it: a stray error is then blamed on
 * the one call running (inits run one at a time), or fails the run naming the calls running.
 */
const IN_CONTEXT: ReadonlySet<string> = new Set(['install', 'uninstall']);
/** Watches started and not stopped, in this process. */
let active = 0;
/** Times a watch failed calls because the event loop had emptied (the host's own idle check looks at it). */
let idleFailures = 0;

/** How many times, in this process, recipe calls were failed because the event loop emptied while they ran. */
export function recipeCallsFailedWhenIdle(): number {
  return idleFailures;
}

export class RecipeWatch {
  private readonly running = new Set<RunningCall>();
  private readonly strays: BuildoutError[] = [];
  private watching = 0;
  private readonly onError = (error: unknown): void => this.stray(error);
  private readonly onIdle = (): void => this.failUnsettled();

  /** Starts watching the process (nested calls count: the last `stop` ends it). */
  start(): void {
    if (this.watching++ > 0) return;
    active += 1;
    process.on('uncaughtException', this.onError);
    process.on('unhandledRejection', this.onError);
    process.on('beforeExit', this.onIdle);
  }

  stop(): void {
    if (--this.watching > 0) return;
    active -= 1;
    process.off('uncaughtException', this.onError);
    process.off('unhandledRejection', this.onError);
    process.off('beforeExit', this.onIdle);
  }

  /** Errors that no running call could be blamed for since the last call (each fails the run). */
  takeStrays(): BuildoutError[] {
    return this.strays.splice(0);
  }

  /** Runs one recipe call of a part; it fails on a stray error of its own, or when it cannot finish any more. */
  run<T>(part: string, action: string, call: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle =
        <A>(then: (value: A) => void) =>
        (value: A): void => {
          if (settled) return;
          settled = true;
          this.running.delete(running);
          then(value);
        };
      const running: RunningCall = { part, action, fail: settle(reject) };
      this.running.add(running);
      const start = (): void => void Promise.resolve().then(call).then(settle(resolve), settle(reject));
      // exit: not in the context of an install that ran before (free while no context was ever entered).
      if (IN_CONTEXT.has(action)) calls.run(running, start);
      else calls.exit(start);
    });
  }

  private stray(error: unknown): void {
    const call = calls.getStore() ?? this.onlyRunning();
    if (call && this.running.has(call)) {
      call.fail(strayError(error, `${call.action} failed`));
      return;
    }
    this.strays.push(unattributedError(error, [...this.running]));
  }

  /** The call running, when it is the only one (what a call out of context threw is blamed on it). */
  private onlyRunning(): RunningCall | undefined {
    if (this.running.size !== 1) return undefined;
    const [call] = this.running;
    return call;
  }

  /** The event loop is empty: whatever is still running can never finish. */
  private failUnsettled(): void {
    if (this.running.size > 0) idleFailures += 1;
    for (const call of [...this.running]) {
      call.fail(
        new BuildoutError(EngineErrorCodes.RECIPE_UNSETTLED, `${call.action} never finished`, {
          part: call.part,
          hint: 'the recipe awaits a promise that is never resolved or rejected (no timer, I/O or process is left to settle it)',
        }),
      );
    }
  }
}

/**
 * For the host (the CLI) after the engine finished: an error thrown from a
 * timer or an unawaited promise as a BuildoutError naming the part whose code
 * left it behind, if known. Undefined while a watch is running: it reports the error itself.
 */
export function strayErrorAfterRun(error: unknown): BuildoutError | undefined {
  if (active > 0) return undefined;
  return unattributedError(error, []);
}

function unattributedError(error: unknown, running: readonly RunningCall[]): BuildoutError {
  const call = calls.getStore();
  const where = call ? `part ${call.part} threw after its ${call.action} had finished` : 'an error was thrown outside any recipe call';
  const then = running.length > 0 ? ` (running then: ${running.map((other) => `${other.part} (${other.action})`).join(', ')})` : '';
  return new BuildoutError(EngineErrorCodes.RECIPE_FAILED, `${where}: ${messageOf(error)}${then}`, {
    part: call?.part,
    hint: 'it came from a timer or a promise nobody awaits; run with -D for its stack trace',
    cause: error,
  });
}

/** A stray error as the part's failure, saying where it came from. */
function strayError(error: unknown, doing: string): unknown {
  if (isBuildoutError(error)) return error;
  return new BuildoutError(
    EngineErrorCodes.RECIPE_FAILED,
    `${doing}: ${messageOf(error)} (thrown in a timer or a promise nobody awaited)`,
    {
      hint: 'run with -D for its stack trace',
      cause: error,
    },
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
