/** What the HTML graph page shows of a plan, and opening the page. */
import { basename } from 'node:path';
import type { Buildout } from '@buildout/config';
import type { Plan, PlannedStep } from '@buildout/engine';
import type { CommandContext } from './command.js';
import type { HtmlGraph, HtmlGraphNode } from './graph-html.js';
import { explain } from './plan-output.js';
import { childProcess } from '@buildout/config';

/**
 * An option's value as the page may show it (a file that gets shared): a secret one as ***, secrets inside
 * others masked, unless --show-secrets. The plan given is already masked so (`Redactor.plan`).
 */
export type ShownValue = (part: string, option: string, value: string) => string;

export function htmlGraphOf(plan: Plan, buildout: Buildout, shown: ShownValue): HtmlGraph {
  const steps = new Map<string, PlannedStep>();
  for (const step of plan.uninstall) steps.set(step.part, step);
  for (const step of plan.steps) steps.set(step.part, step);
  const node = (part: string, step: PlannedStep | undefined, gone: boolean): HtmlGraphNode => {
    const options = gone || !buildout.hasSection(part) ? {} : optionsOf(buildout, part, shown);
    return {
      part,
      action: gone ? 'uninstall' : actionOf(step),
      recipe: options.recipe ?? '',
      reason: step ? explain(step) : ['not planned'],
      options,
    };
  };
  const nodes = plan.order.map((part) => node(part, steps.get(part), false));
  for (const step of plan.uninstall) if (!plan.order.includes(step.part)) nodes.push(node(step.part, step, true));
  const edges = plan.order.flatMap((part) => (plan.dependencies.get(part) ?? []).map((dependency) => [dependency, part] as const));
  return { title: `buildout graph: ${basename(buildout.directory)}`, nodes, edges };
}

/** The plan's action, or `restore` when the install would restore the part from a cache (`PlannedStep.cache`, local or remote). */
function actionOf(step: PlannedStep | undefined): string {
  if (!step) return 'skip';
  if (step.action === 'install' && step.cache !== undefined) return 'restore';
  return step.action;
}

function optionsOf(buildout: Buildout, part: string, shown: ShownValue): Record<string, string> {
  const options: Record<string, string> = {};
  for (const option of buildout.optionNames(part)) {
    let value: string;
    try {
      value = buildout.get(part, option);
    } catch {
      value = buildout.raw(part, option) ?? '';
    }
    options[option] = shown(part, option, value);
  }
  return options;
}

/** `--open`: the desktop's opener, detached; a missing opener is a warning, not a failure (the page is written). */
export function openInBrowser(file: string, context: CommandContext): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const warn = (why: string) => context.stderr.write(`buildout: warning: cannot open ${file} with ${opener}: ${why}\n`);
  try {
    const child = childProcess().spawn(opener, [file], { detached: true, stdio: 'ignore', env: { ...context.env } as NodeJS.ProcessEnv });
    child.on('error', (error) => warn(error.message));
    child.unref();
  } catch (error) {
    warn((error as Error).message);
  }
}
