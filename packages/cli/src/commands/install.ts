import { createEngine } from '@buildout/engine';
import { usageError } from '../args.js';
import { bundledRecipePackages } from '../bundled-recipes.js';
import type { CommandContext } from '../command.js';
import { loadConfig } from '../load-config.js';
import { formatPlan, planToJson } from '../plan-output.js';
import { progressReporter } from '../progress.js';
import { styleFor } from '../style.js';

export async function runInstall(context: CommandContext): Promise<number> {
  const { flags, parts } = parseArguments(context.args, ['--dry-run', '--json', '--only'], 'install');
  if (flags.has('--json') && !flags.has('--dry-run')) throw usageError('install: --json goes with --dry-run');
  const only = flags.has('--only');
  if (only && parts.length === 0) throw usageError('install: --only goes with the names of the parts to install');
  if (flags.has('--dry-run')) return showPlan(context, parts, flags.has('--json'), only);
  const engine = createEngine({ buildout: await loadConfig(context), bundledRecipePackages, jobs: context.global.jobs });
  await engine.use(
    progressReporter({
      out: context.stdout,
      verbosity: context.global.verbosity,
      jobs: engine.jobs,
      style: styleFor(context.stdout, context.env),
    }),
  );
  await engine.install({ parts, only });
  return 0;
}

export async function runPlan(context: CommandContext): Promise<number> {
  const { flags, parts } = parseArguments(context.args, ['--json'], 'plan');
  return showPlan(context, parts, flags.has('--json'));
}

async function showPlan(context: CommandContext, parts: string[], json: boolean, only = false): Promise<number> {
  const engine = createEngine({ buildout: await loadConfig(context), bundledRecipePackages });
  const planned = await engine.plan({ parts, only });
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
