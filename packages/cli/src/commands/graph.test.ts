import { describe, expect, test } from 'vitest';
import type { Plan } from '@buildout/engine';
import { graphOf, graphToDot, graphToMermaid } from './graph.js';

/** lib <- app, "odd \"name\"" alone, old only uninstalled. */
const PLAN: Plan = {
  order: ['lib', 'app', 'odd "name"'],
  dependencies: new Map([
    ['lib', []],
    ['app', ['lib']],
    ['odd "name"', []],
  ]),
  uninstall: [
    { part: 'old', action: 'uninstall', reason: { kind: 'not-wanted' } },
    { part: 'lib', action: 'uninstall', reason: { kind: 'path-missing', path: 'dist' } },
  ],
  steps: [
    { part: 'lib', action: 'install', reason: { kind: 'path-missing', path: 'dist' } },
    { part: 'app', action: 'update', reason: { kind: 'unchanged' } },
    { part: 'odd "name"', action: 'skip', reason: { kind: 'not-named' } },
  ],
  partial: true,
};

describe('graph', () => {
  test('nodes in build order with their planned action, then parts only uninstalled; edges from dependency to dependent', () => {
    expect(graphOf(PLAN)).toEqual({
      nodes: [
        { part: 'lib', action: 'install' },
        { part: 'app', action: 'update' },
        { part: 'odd "name"', action: 'skip' },
        { part: 'old', action: 'uninstall' },
      ],
      edges: [['lib', 'app']],
    });
  });

  test('DOT', () => {
    expect(graphToDot(graphOf(PLAN))).toBe(`digraph buildout {
  rankdir=LR;
  node [shape=box];
  "lib" [label="lib\\ninstall", style=bold];
  "app" [label="app\\nupdate"];
  "odd \\"name\\"" [label="odd \\"name\\"\\nskip"];
  "old" [label="old\\nuninstall", style=dashed];
  "lib" -> "app";
}
`);
  });

  test('Mermaid', () => {
    expect(graphToMermaid(graphOf(PLAN))).toBe(`flowchart LR
  n0["lib<br/>install"]
  n1["app<br/>update"]
  n2["odd #quot;name#quot;<br/>skip"]
  n3["old<br/>uninstall"]
  n0 --> n1
  classDef uninstall stroke-dasharray: 5 5
  class n3 uninstall
`);
  });
});
