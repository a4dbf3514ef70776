/** `buildout plan` / `install --dry-run`: the plan as text (one line per part and why) or JSON for tools. */
import type { OptionChange, Plan, PlannedStep } from '@buildout/engine';
import type { Style } from './style.js';

export function formatPlan(plan: Plan, style: Style): string {
  // Uninstalls of changed parts show on their install line; the others run first and come first.
  const steps = [...plan.uninstall.filter((step) => step.reason.kind === 'not-wanted'), ...plan.steps];
  const width = Math.max(0, ...steps.map((step) => step.part.length));
  const uninstalls = new Map(plan.uninstall.map((step) => [step.part, step]));
  const lines: string[] = [];
  for (const step of steps) {
    const [reason, ...details] = explain(step);
    const removal = step.action === 'uninstall' ? step : step.action === 'install' ? uninstalls.get(step.part) : undefined;
    for (const path of removal?.outside ?? []) details.push(`removes ${path} (outside the buildout directory)`);
    for (const path of removal?.kept ?? []) details.push(`keeps ${path} (buildout's own)`);
    lines.push(`${actionLabel(step, style)} ${step.part.padEnd(width)}  ${reason}`);
    for (const detail of details) lines.push(`${' '.repeat(12 + width)}${detail}`);
  }
  const count = (action: string) => plan.steps.filter((step) => step.action === action).length;
  const removed = plan.uninstall.filter((step) => step.reason.kind === 'not-wanted').length;
  const restored = plan.steps.filter((step) => step.cache !== undefined).length;
  const fromCacheNote = restored > 0 ? ` (${restored} restored from cache)` : '';
  lines.push(
    style.bold(
      `Plan: ${count('install')} to install${fromCacheNote}, ${count('update')} to update, ${removed} to uninstall, ${count('skip')} to skip`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

function actionLabel(step: PlannedStep, style: Style): string {
  const label = step.action.padEnd(9);
  if (step.action === 'install') return style.green(label);
  if (step.action === 'uninstall') return style.yellow(label);
  if (step.action === 'skip') return style.dim(label);
  return label;
}

/** Why a step is planned: a first line, then details (changed options). */
export function explain(step: PlannedStep): string[] {
  const { reason } = step;
  switch (reason.kind) {
    case 'new':
      return [`new part${fromCache(step)}`];
    case 'unchanged':
      return ['unchanged'];
    case 'not-wanted':
      return ['no longer in parts'];
    case 'not-named':
      return ['not named on the command line'];
    case 'path-missing':
      return [`reinstall: ${reason.path} is missing${fromCache(step)}`];
    case 'stale-dependencies':
      return [`reinstall: built by install --only while a dependency was out of date${fromCache(step)}`];
    case 'changed': {
      const lines = [
        `reinstall: ${[reason.options.length > 0 ? 'options' : '', reason.recipe ? 'recipe' : ''].filter(Boolean).join(' and ')} changed${fromCache(step)}`,
      ];
      if (reason.recipe) lines.push(`recipe: ${reason.recipe.old} -> ${reason.recipe.new}`);
      for (const change of reason.options) lines.push(describeChange(change));
      return lines;
    }
  }
}

function fromCache(step: PlannedStep): string {
  return step.cache ? ` (restored from the ${step.cache} cache)` : '';
}

function describeChange(change: OptionChange): string {
  if (change.old === undefined) return `${change.option}: added ${quote(change.new!)}`;
  if (change.new === undefined) return `${change.option}: removed (was ${quote(change.old)})`;
  return `${change.option}: ${quote(change.old)} -> ${quote(change.new)}`;
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** The plan for tools: every step with its reason, and the order and dependencies of the parts. */
export function planToJson(plan: Plan): string {
  return `${JSON.stringify(
    {
      order: plan.order,
      dependencies: Object.fromEntries(plan.dependencies),
      partial: plan.partial,
      uninstall: plan.uninstall,
      steps: plan.steps,
    },
    null,
    2,
  )}\n`;
}
