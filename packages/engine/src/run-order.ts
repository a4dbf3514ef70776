/**
 * The work of a run as nodes for the Schedule (schedule.ts). Each install or
 * update step waits for the steps of the parts it depends on (through parts
 * the run skips, which wait for nothing). A changed part
 * is uninstalled right before its reinstall, so a failure leaves the parts
 * that did not start as they were; but a part whose recorded recipe has an
 * uninstall of its own (stopping a service, dropping what it made elsewhere)
 * is uninstalled apart, before any part it depends on, directly or not, is
 * installed or updated: its uninstall then sees the parts it was installed
 * with, as in zc.buildout, which uninstalls every changed part before it
 * installs any (in reverse order). Those uninstalls run dependents first.
 */
import { dependencyClosure, type PlannedStep } from './plan.js';

export type RunNode =
  | { readonly kind: 'step'; readonly step: PlannedStep }
  /** `step` is the part's uninstall from the plan; the part's reinstall is a 'step' node that waits for it. */
  | { readonly kind: 'uninstall-first'; readonly step: PlannedStep };

export interface RunGraph {
  /** In the order ready nodes start: the plan's, with each early uninstall right before the first node it must precede. */
  readonly nodes: readonly RunNode[];
  readonly waitsFor: ReadonlyMap<RunNode, readonly RunNode[]>;
}

/**
 * `steps`: the install and update steps, in plan order. `uninstallsWithHooks`:
 * the uninstalls of changed parts whose recorded recipe has an uninstall; those
 * with a step among their dependencies become 'uninstall-first' nodes, the
 * others stay within their reinstall.
 */
export function runGraph(
  steps: readonly PlannedStep[],
  dependencies: ReadonlyMap<string, readonly string[]>,
  uninstallsWithHooks: readonly PlannedStep[],
): RunGraph {
  const stepNodes = new Map<string, RunNode>(steps.map((step) => [step.part, { kind: 'step', step }]));
  const waitsFor = new Map<RunNode, RunNode[]>();
  const wait = (node: RunNode, on: RunNode): void => {
    const waiting = waitsFor.get(node);
    if (waiting) waiting.push(on);
    else waitsFor.set(node, [on]);
  };
  for (const node of stepNodes.values()) for (const on of stepsReached(stepNodes, dependencies, node.step.part)) wait(node, on);
  if (uninstallsWithHooks.length === 0) return { nodes: [...stepNodes.values()], waitsFor };

  const early = uninstallsWithHooks
    .map((step) => ({ node: { kind: 'uninstall-first', step } as RunNode, reaches: new Set(dependencyClosure(dependencies, [step.part])) }))
    .filter(({ reaches }) => [...reaches].some((part) => stepNodes.has(part)));
  const earlyByPart = new Map(early.map((uninstall) => [uninstall.node.step.part, uninstall]));
  for (const { node, reaches } of early) {
    for (const part of reaches) {
      const step = stepNodes.get(part);
      if (step) wait(step, node);
      // Dependents first: the uninstall of a part this one depends on waits for this one.
      const dependencyUninstall = earlyByPart.get(part);
      if (dependencyUninstall && dependencyUninstall.node !== node) wait(dependencyUninstall.node, node);
    }
    const reinstall = stepNodes.get(node.step.part);
    if (reinstall) wait(reinstall, node);
  }

  const planIndex = new Map(steps.map((step, index) => [step.part, index]));
  const nodes: RunNode[] = [];
  const placed = new Set<RunNode>();
  for (const stepNode of stepNodes.values()) {
    const part = stepNode.step.part;
    const due = early
      .filter(({ node, reaches }) => !placed.has(node) && (reaches.has(part) || node.step.part === part))
      .sort((a, b) => (planIndex.get(b.node.step.part) ?? -1) - (planIndex.get(a.node.step.part) ?? -1));
    for (const { node } of due) {
      placed.add(node);
      nodes.push(node);
    }
    nodes.push(stepNode);
  }
  return { nodes, waitsFor };
}

/** The steps of the nearest parts `part` depends on that are in the run, looking through those that are not (skipped by `install p1 p2`). */
function stepsReached(
  stepNodes: ReadonlyMap<string, RunNode>,
  dependencies: ReadonlyMap<string, readonly string[]>,
  part: string,
): RunNode[] {
  const found: RunNode[] = [];
  const seen = new Set<string>();
  const pending = [...(dependencies.get(part) ?? [])];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const step = stepNodes.get(next);
    if (step) found.push(step);
    else pending.push(...(dependencies.get(next) ?? []));
  }
  return found;
}
