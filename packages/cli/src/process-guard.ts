/**
 * `buildout` as a process (bin.js): the exit code of `main`, and the last
 * line of defence against what would otherwise end it with a trace or a
 * silent exit 13: an error a recipe's timer or unawaited promise throws after
 * the engine finished (during a run the engine blames the part itself), and
 * a command whose promise never settles.
 */
import { recipeCallsFailedWhenIdle, strayErrorAfterRun } from '@buildout/engine';
import { main } from './main.js';
import { Redactor } from './redact.js';
import { renderError } from './render.js';

export async function runAsProcess(argv: readonly string[]): Promise<void> {
  const debug = argv.includes('-D');
  const redactor = new Redactor();
  const report = (error: unknown): void => {
    const stray = strayErrorAfterRun(error);
    if (!stray) return; // an engine run is watching and reports it as a part's failure
    redactor.learnBeforeError();
    writeSafely(redactor.text(renderError(stray, debug).text));
    process.exitCode = 1;
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
  let settled = false;
  process.on('beforeExit', () => {
    if (settled) return;
    // An engine run watching its recipe calls fails the stuck ones in its own listener, and the run
    // goes on: decide after it had its chance. Nothing failed means nothing can move any more.
    const failed = recipeCallsFailedWhenIdle();
    setImmediate(() => {
      if (settled || recipeCallsFailedWhenIdle() !== failed) return;
      writeSafely(
        'buildout: the command never finished: something it waited for can no longer happen\n  hint: a plugin or extension awaits a promise that is never settled\n',
      );
      process.exit(1);
    });
  });
  const code = await main(argv, { redactor });
  settled = true;
  // A stray error reported since keeps its exit code 1.
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = code;
}

function writeSafely(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    // stderr is gone: the exit code still tells.
  }
}
