/** `buildout graph` and `buildout plan --json` on a workspace: generated parts, their edges and why they would run. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout } from './engine/cli.js';
import { edit, workspace } from './monorepo-support.js';

const PACKAGES = [
  { name: 'core' },
  { name: 'ui', dependencies: ['core'] },
  { name: 'app', dependencies: ['ui', 'core'] },
  { name: 'docs' },
];

describe('graph and plan of a workspace (end to end)', () => {
  it('graph prints the generated parts and their dependencies as DOT, or Mermaid', async () => {
    const root = workspace(PACKAGES);
    const dot = await buildout(['graph'], root);
    expect(dot.stderr).toBe('');
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph buildout \{\n/);
    for (const part of ['packages', 'build-core', 'build-ui', 'build-app', 'build-docs']) {
      expect(dot.stdout).toContain(`  "${part}" [label="${part}\\ninstall", style=bold];\n`);
    }
    const edges = dot.stdout
      .split('\n')
      .filter((line) => line.includes(' -> '))
      .sort();
    expect(edges).toEqual(['  "build-core" -> "build-app";', '  "build-core" -> "build-ui";', '  "build-ui" -> "build-app";']);

    const mermaid = await buildout(['graph', '--format', 'mermaid'], root);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n {2}n0\["packages<br\/>install"\]\n/);
    expect(mermaid.stdout.match(/ --> /g)).toHaveLength(3);
  });

  it('graph writes nothing and refuses unknown formats as a usage error', async () => {
    const root = workspace(PACKAGES);
    const wrong = await buildout(['graph', '--format=svg'], root);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe("buildout: graph: unknown format svg (use dot or mermaid)\n  hint: run 'buildout --help' for usage\n");
    expect((await buildout(['graph', '--format=mermaid'], root)).code).toBe(0);
    expect((await buildout(['plan', '--json'], root)).code).toBe(0);
    // Neither graph nor plan installs anything or saves the hash cache.
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
    expect(existsSync(join(root, 'parts'))).toBe(false);
    expect(existsSync(join(root, 'packages/core/dist'))).toBe(false);
  });

  it('plan --json lists every generated part with its dependencies, and says which changed input made a part reinstall', async () => {
    const root = workspace(PACKAGES);
    expect((await buildout([], root)).code).toBe(0);
    edit(root, 'ui', 'ui v2\n');
    const result = await buildout(['plan', '--json'], root);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as {
      order: string[];
      dependencies: Record<string, string[]>;
      steps: { part: string; action: string; reason: { kind: string; options?: { option: string }[] } }[];
    };
    expect(plan.order).toEqual(['packages', 'build-core', 'build-ui', 'build-app', 'build-docs']);
    expect(plan.dependencies['build-app']?.sort()).toEqual(['build-core', 'build-ui']);
    expect(plan.dependencies['build-ui']).toEqual(['build-core']);
    const steps = Object.fromEntries(plan.steps.map((step) => [step.part, step]));
    expect(steps['build-core']).toMatchObject({ action: 'update', reason: { kind: 'unchanged' } });
    expect(steps['build-docs']).toMatchObject({ action: 'update' });
    expect(steps['build-ui']).toMatchObject({ action: 'install', reason: { kind: 'changed' } });
    expect(steps['build-ui']!.reason.options!.map(({ option }) => option)).toEqual(['inputs-hash']);
    expect(steps['build-app']!.reason.options!.map(({ option }) => option)).toEqual(['dependency-hashes', 'inputs-hash']);
  });
});
