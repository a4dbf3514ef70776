/**
 * The install progress the command prints, as an engine plugin: a line when
 * each part starts and one when it ends with its duration, recipe messages
 * under their part, a summary at the end. With -j N a part's messages are
 * held back until it finishes and printed with its line, so parallel parts
 * never interleave. On a terminal a live status line below the log shows the
 * running parts (live-status.ts).
 *
 * Verbosity: -qq errors only; -q warnings and errors; default: start and end
 * lines, recipe messages (what zc.buildout prints), the summary; -v adds
 * commands and their output (recipes' debug messages); -vv adds why each part
 * is planned as it is and how long loading and planning took.
 */
import type { Writable } from 'node:stream';
import { monotonicNow } from '@buildout/config';
import type { Engine, LogLevel, PartAction, RunSummary } from '@buildout/engine';
import type { LiveStatus } from './live-status.js';
import { CommandOutput } from './output.js';
import { explain } from './plan-output.js';
import { logText } from './render.js';
import { formatDuration, type Style } from './style.js';

export interface ProgressOptions {
  /** The command's output (a CommandOutput is printed to without a stream's bookkeeping), or any stream. */
  readonly out: Writable;
  /** 0 normal, 1 -v, 2 -vv, -1 -q, -2 -qq. */
  readonly verbosity: number;
  readonly jobs: number;
  readonly style: Style;
  /** The live status line, on a terminal that is not CI or dumb (see `liveStatusFor`). */
  readonly status?: LiveStatus | undefined;
  /** Option locations in messages are shown relative to it. */
  readonly cwd: string;
  /** How long loading the configuration took, for -vv. */
  readonly configLoadMs?: number | undefined;
}

export interface ProgressReporter {
  readonly name: string;
  apply(engine: Engine): void;
  /** Removes the live line; safe to call more than once. */
  close(): void;
}

const DONE: Partial<Record<PartAction, string>> = { install: 'Installed', update: 'Updated', uninstall: 'Uninstalled' };
const DOING: Partial<Record<PartAction, string>> = { install: 'Installing', update: 'Updating', uninstall: 'Uninstalling' };
/** The verbosity from which messages of each level are printed (-q is -1, -qq -2; -v 1). */
const LEAST_VERBOSITY: Record<LogLevel, number> = { debug: 1, info: 0, warn: -1 };

/** Whether a message of `level` is printed at `verbosity`. */
export function isPrinted(level: LogLevel, verbosity: number): boolean {
  return verbosity >= LEAST_VERBOSITY[level];
}

export function progressReporter(options: ProgressOptions): ProgressReporter {
  const { out, verbosity, jobs, style } = options;
  const held = new Map<string, string[]>();
  const status = verbosity >= 0 ? options.status : undefined;
  const write = out instanceof CommandOutput ? (text: string) => out.print(text) : (text: string) => void out.write(text);
  const print = (line: string): void => (status ? status.persist(line) : write(`${line}\n`));
  const release = (part: string): void => {
    for (const line of held.get(part) ?? []) print(line);
    held.delete(part);
    status?.finished(part);
  };
  let started = monotonicNow();

  return {
    name: 'progress',
    close: () => status?.close(),
    apply(engine) {
      engine.hooks.log.tap('progress', (record) => {
        const { level, part } = record;
        if (!isPrinted(level, verbosity)) return;
        const message = logText(record, options.cwd);
        const text = level === 'warn' ? style.yellow(`warning: ${message}`) : message;
        const line = part === undefined ? text : `${part}: ${text}`;
        // With -v every line is printed as it arrives, after its part's name; otherwise a part's messages come with its result line.
        const holding = part === undefined || verbosity > 0 ? undefined : held.get(part);
        if (holding) holding.push(line);
        else print(line);
      });
      if (verbosity >= 2) {
        if (options.configLoadMs !== undefined) print(style.dim(`Configuration loaded in ${formatDuration(options.configLoadMs)}`));
        engine.hooks.configLoaded.tap('progress', () => {
          started = monotonicNow();
        });
        engine.hooks.planMade.tap('progress', (plan) => {
          print(style.dim(`Planned ${plan.order.length} parts in ${formatDuration(monotonicNow() - started)}`));
          for (const step of [...plan.uninstall, ...plan.steps]) {
            const [reason, ...details] = explain(step);
            print(style.dim(`  ${step.part}: ${step.action}, ${[reason, ...details].join('; ')}`));
          }
        });
      }
      for (const action of ['install', 'update', 'uninstall'] as const) {
        if (verbosity < 0) continue;
        engine.hooks.beforePart.for(action).tap('progress', ({ name }) => {
          print(style.dim(`${DOING[action]} ${name}...`));
          if (jobs > 1) held.set(name, []);
          status?.started(name);
        });
        engine.hooks.afterPart.for(action).tap('progress', ({ name }, { durationMs, outcome }) => {
          release(name);
          const from = outcome.restored ? ` from the ${outcome.restored} cache` : '';
          print(`${colour(action, style)(DONE[action]!)} ${name}${from} ${style.dim(`(${formatDuration(durationMs)})`)}`);
        });
      }
      engine.hooks.failure.tap('progress', ({ run, durationMs }) => {
        if (!run) return;
        release(run.name);
        if (verbosity >= -1) print(`${style.red(`Failed to ${run.action}`)} ${run.name} ${style.dim(`(${formatDuration(durationMs)})`)}`);
      });
      engine.hooks.runDone.tap('progress', (summary) => {
        status?.close();
        if (verbosity >= 0) write(`${summaryLine(summary, style)}\n`);
      });
    },
  };
}

/**
 * The live status line when `live`, else undefined. log-update and its width
 * tables load only then: building them is a tenth of a no-op run that prints to a file.
 */
export async function liveStatusFor(live: boolean, out: Writable, style: Style): Promise<LiveStatus | undefined> {
  if (!live) return undefined;
  const { liveStatus } = await import('./live-status.js');
  return liveStatus(out, style);
}

function colour(action: PartAction, style: Style): (text: string) => string {
  if (action === 'install') return style.green;
  if (action === 'uninstall') return style.yellow;
  return (text) => text;
}

export function summaryLine(summary: RunSummary, style: Style): string {
  // Meta-parts (a workspace part) build nothing themselves: they are not counted.
  const meta = new Set(summary.meta);
  const reinstalled = new Set(summary.installed);
  const count = (parts: readonly string[]): number => parts.filter((part) => !meta.has(part)).length;
  const { local, remote } = summary.restored;
  const restored = local.length + remote.length;
  const counts = [
    [count(summary.installed) - restored, 'built'],
    [restored, `restored from cache (${local.length} local, ${remote.length} remote)`],
    [count(summary.updated), 'unchanged'],
    // A part uninstalled to be reinstalled is counted once, as built or restored.
    [summary.uninstalled.filter((part) => !reinstalled.has(part)).length, 'uninstalled'],
    [count(summary.skipped), 'skipped'],
  ] as const;
  const said = counts.filter(([number]) => number > 0).map(([number, word]) => `${number} ${word}`);
  const took = formatDuration(summary.durationMs);
  if (summary.failed.length > 0) {
    return (
      style.red(`Failed in ${took}: ${summary.failed.length} failed (${summary.failed.join(', ')})`) +
      (said.length > 0 ? `; ${said.join(', ')}` : '')
    );
  }
  return style.bold(`Done in ${took}: `) + (said.length > 0 ? said.join(', ') : 'nothing to do');
}
