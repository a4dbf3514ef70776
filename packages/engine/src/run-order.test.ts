import { describe, expect, it } from 'vitest';
import type { PlannedStep } from './plan.js';
import { runGraph, type RunNode } from './run-order.js';
import { Schedule } from './schedule.js';

const changed = { kind: 'changed', options: [] } as const;
const install = (part: string): PlannedStep => ({ part, action: 'install', reason: changed });
const uninstall = (part: string): PlannedStep => ({ part, action: 'uninstall', reason: changed });
const label = (node: RunNode): string => `${node.kind === 'uninstall-first' ? 'uninstall' : node.step.action} ${node.step.part}`;

/** Starts every ready node at once and finishes them together, round after round: the rounds, as labels. */
function rounds(nodes: readonly RunNode[], waitsFor: ReadonlyMap<RunNode, readonly RunNode[]>): string[][] {
  const schedule = new Schedule(nodes, waitsFor);
  const result: string[][] = [];
  for (;;) {
    const round: RunNode[] = [];
    for (let node = schedule.next(); node; node = schedule.next()) round.push(node);
    if (round.length === 0) return result;
    result.push(round.map(label));
    for (const node of round) schedule.finished(node);
  }
}

// app -> svc -> db; tool stands alone. All four are reinstalled.
const steps = ['db', 'svc', 'app', 'tool'].map(install);
const dependencies = new Map([
  ['svc', ['db']],
  ['app', ['svc']],
]);

describe('runGraph', () => {
  it('without uninstall hooks is the plan: each step waits for its dependencies', () => {
    const { nodes, waitsFor } = runGraph(steps, dependencies, []);
    expect(nodes.map(label)).toEqual(['install db', 'install svc', 'install app', 'install tool']);
    expect(rounds(nodes, waitsFor)).toEqual([['install db', 'install tool'], ['install svc'], ['install app']]);
  });

  it('puts early uninstalls before the first step they precede, dependents first, and makes everything they precede wait', () => {
    const { nodes, waitsFor } = runGraph(steps, dependencies, ['app', 'svc', 'db', 'tool'].map(uninstall));
    // db and tool depend on nothing: their uninstalls stay within their reinstalls.
    expect(nodes.map(label)).toEqual(['uninstall app', 'uninstall svc', 'install db', 'install svc', 'install app', 'install tool']);
    expect(rounds(nodes, waitsFor)).toEqual([
      ['uninstall app', 'install tool'],
      ['uninstall svc'],
      ['install db'],
      ['install svc'],
      ['install app'],
    ]);
  });

  it('reaches dependencies through parts that are not in the run', () => {
    const partial = [install('db'), install('app')];
    const { nodes, waitsFor } = runGraph(partial, dependencies, [uninstall('app')]);
    expect(nodes.map(label)).toEqual(['uninstall app', 'install db', 'install app']);
    expect(rounds(nodes, waitsFor)).toEqual([['uninstall app'], ['install db'], ['install app']]);
  });
});
