import { createEngine, EngineErrorCodes, isBuildoutError } from '@buildout/engine';
import { usageError } from '../args.js';
import { bundledRecipePackages } from '../bundled-recipes.js';
import type { CommandContext } from '../command.js';
import { listenForInterrupts } from '../interrupt.js';
import { loadConfig } from '../load-config.js';
import { formatPlan, planToJson } from '../plan-output.js';
import { progressReporter } from '../progress.js';
import { renderError } from '../render.js';
import { styleFor } from '../style.js';

export async function runInstall(context: CommandContext): Promise<number> {
  const { flags, parts } = parseArguments(context.args, ['--dry-run', '--json', '--keep-going'], 'install');
  if (flags.has('--json') && !flags.has('--dry-run')) throw usageError('install: --json goes with --dry-run');
  if (flags.has('--dry-run')) return showPlan(context, parts, flags.has('--json'));
  const interruption = listenForInterrupts(context.stderr);
  try {
    return await install(context, parts, flags.has('--keep-going'), interruption.signal);
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

async function install(context: CommandContext, parts: string[], keepGoing: boolean, signal: AbortSignal): Promise<number> {
  const engine = createEngine({ buildout: await loadConfig(context), bundledRecipePackages, jobs: context.global.jobs });
  await engine.use(
    progressReporter({
      out: context.stdout,
      verbosity: context.global.verbosity,
      jobs: engine.jobs,
      style: styleFor(context.stdout, context.env),
    }),
  );
  await engine.install({ parts, keepGoing, signal });
  return 0;
}

export async function runPlan(context: CommandContext): Promise<number> {
  const { flags, parts } = parseArguments(context.args, ['--json'], 'plan');
  return showPlan(context, parts, flags.has('--json'));
}

async function showPlan(context: CommandContext, parts: string[], json: boolean): Promise<number> {
  const engine = createEngine({ buildout: await loadConfig(context), bundledRecipePackages });
  const planned = await engine.plan({ parts });
  context.stdout.write(json ? planToJson(planned) : formatPlan(planned, styleFor(context.stdout, context.env)));
  return 0;
}

function parseArguments(args: readonly string[], known: readonly string[], command: string): { flags: Set<string>; parts: string[] } {
  const flags = new Set<string>();
  const parts: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) {
      if (!known.includes(arg)) throw usageError(`${command}: unknown option ${arg} (options: ${known.join(', ')})`);
      flags.add(arg);
    } else parts.push(arg);
  }
  return { flags, parts };
}
