import { monotonicNow } from '@buildout/config';
import { createEngine, EngineErrorCodes, isBuildoutError } from '@buildout/engine';
import { usageError } from '../args.js';
import { bundledRecipePackages } from '../bundled-recipes.js';
import type { CommandContext } from '../command.js';
import { parseCommandArguments } from '../command-args.js';
import { findCommand } from './index.js';
import { listenForInterrupts } from '../interrupt.js';
import { loadConfig } from '../load-config.js';
import { formatPlan, planToJson } from '../plan-output.js';
import { liveStatusFor, progressReporter } from '../progress.js';
import { logText, renderError } from '../render.js';
import { secretsPlugin } from '../secrets-plugin.js';
import { isLiveTerminal, styleFor } from '../style.js';

export async function runInstall(context: CommandContext): Promise<number> {
  const { options, positionals: parts } = parseCommandArguments(findCommand('install')!, context.args);
  if (options.has('json') && !options.has('dry-run')) throw usageError('install: --json goes with --dry-run');
  const only = options.has('only');
  if (only && parts.length === 0) throw usageError('install: --only goes with the names of the parts to install');
  if (options.has('dry-run')) return showPlan(context, [...parts], options.has('json'), only);
  const interruption = listenForInterrupts(context.stderr);
  try {
    return await install(context, [...parts], options.has('keep-going'), interruption.signal, only);
  } catch (error) {
    const exitCode = interruption.exitCode();
    if (exitCode === undefined || !isBuildoutError(error) || error.code !== EngineErrorCodes.INTERRUPTED) throw error;
    // `interrupted: N done, M not started`, with the shell's exit code for the signal.
    context.stderr.write(renderError(error, false, context.cwd).text);
    return exitCode;
  } finally {
    interruption.dispose();
  }
}

async function install(context: CommandContext, parts: string[], keepGoing: boolean, signal: AbortSignal, only: boolean): Promise<number> {
  const loading = monotonicNow();
  const buildout = await loadConfig(context);
  const configLoadMs = monotonicNow() - loading;
  const engine = createEngine({ buildout, bundledRecipePackages, jobs: context.global.jobs });
  const style = styleFor(context.stdout, context.env);
  const live = isLiveTerminal(context.stdout, context.env) && context.global.verbosity >= 0;
  const progress = progressReporter({
    out: context.stdout,
    verbosity: context.global.verbosity,
    jobs: engine.jobs,
    style,
    status: await liveStatusFor(live, context.stdout, style),
    cwd: context.cwd,
    configLoadMs,
  });
  await engine.use(secretsPlugin(context.redactor, context.global.verbosity));
  await engine.use(progress);
  try {
    await engine.install({ parts, keepGoing, signal, only });
  } finally {
    progress.close();
  }
  return 0;
}

export async function runPlan(context: CommandContext): Promise<number> {
  const { options, positionals } = parseCommandArguments(findCommand('plan')!, context.args);
  return showPlan(context, [...positionals], options.has('json'));
}

async function showPlan(context: CommandContext, parts: string[], json: boolean, only = false): Promise<number> {
  const engine = createEngine({ buildout: await loadConfig(context), bundledRecipePackages });
  await engine.use(secretsPlugin(context.redactor, context.global.verbosity));
  // Recipes' warnings from init (a misspelt option) go to stderr, so the plan stays clean on stdout.
  engine.hooks.log.tap('plan', (record) => {
    if (record.level === 'warn' && context.global.verbosity > -2)
      context.stderr.write(`buildout: warning: ${record.part === undefined ? '' : `${record.part}: `}${logText(record, context.cwd)}\n`);
  });
  const planned = context.redactor.plan(await engine.plan({ parts, only }));
  context.stdout.write(json ? planToJson(planned) : formatPlan(planned, styleFor(context.stdout, context.env)));
  return 0;
}
