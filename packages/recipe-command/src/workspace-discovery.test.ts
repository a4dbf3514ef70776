import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverPackages, partNameFor, taskDependencies, type WorkspacePackage } from './workspace-discovery.js';
import { tree } from '@buildout/testing';

const pkg = (json: object) => JSON.stringify(json);

function catching(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('discoverPackages', () => {
  test('reads name, scripts, dependencies of every kind (not npm: aliases) and buildout settings', () => {
    const root = tree({
      'packages/core/package.json': pkg({ name: '@demo/core', scripts: { build: 'node build.mjs', test: 'x' } }),
      'packages/app/package.json': pkg({
        name: '@demo/app',
        scripts: { build: 'node build.mjs' },
        dependencies: { '@demo/core': 'workspace:*', react: '^18' },
        devDependencies: { '@demo/tools': 'workspace:^' },
        optionalDependencies: { '@demo/opt': '1.0.0' },
        peerDependencies: { '@demo/peer': '*' },
        buildout: { inputs: ['src', 'package.json'], outputs: ['dist'] },
      }),
      'packages/alias/package.json': pkg({ dependencies: { '@demo/core': 'npm:other@1' } }),
      'packages/alias/node_modules/x/package.json': pkg({ name: 'x' }),
    });
    const packages = discoverPackages(root, ['packages/*']);
    expect(packages.map((found) => [found.folder, found.name])).toEqual([
      ['packages/alias', 'packages/alias'],
      ['packages/app', '@demo/app'],
      ['packages/core', '@demo/core'],
    ]);
    const app = packages[1]!;
    expect(app.absolute).toBe(join(root, 'packages/app'));
    expect(app.dependencies).toEqual(['@demo/core', 'react', '@demo/tools', '@demo/opt', '@demo/peer']);
    expect(app.inputs).toEqual(['src', 'package.json']);
    expect(app.outputs).toEqual(['dist']);
    expect(packages[0]!.dependencies).toEqual([]);
    expect(packages[2]!.scripts).toEqual({ build: 'node build.mjs', test: 'x' });
    expect(packages[2]!.inputs).toBeUndefined();
  });

  test('a broken package.json is an error naming it', () => {
    const root = tree({ 'packages/a/package.json': '{ "name": ' });
    expect(catching(() => discoverPackages(root, ['packages/*']))).toMatchObject({
      code: 'WORKSPACE_BAD_FILE',
      message: expect.stringContaining(join(root, 'packages/a/package.json')),
    });
    const wrongType = tree({ 'packages/a/package.json': pkg({ buildout: { outputs: 'dist' } }) });
    expect(catching(() => discoverPackages(wrongType, ['packages/*']))).toMatchObject({
      code: 'WORKSPACE_BAD_FILE',
      message: expect.stringContaining('buildout.outputs must be a list of globs'),
    });
  });
});

describe('taskDependencies', () => {
  const make = (name: string, dependencies: string[] = []): WorkspacePackage => ({
    name,
    folder: `packages/${name}`,
    absolute: `/w/packages/${name}`,
    scripts: {},
    dependencies,
    inputs: undefined,
    outputs: undefined,
  });

  test('edges to workspace packages only, through packages without the task', () => {
    const packages = [
      make('app', ['ui', 'lodash', 'types']),
      make('ui', ['core']),
      make('types', ['core', 'schema']), // no task: passes core and schema on
      make('schema', []),
      make('core', []),
      make('docs', ['app']),
    ];
    const withTask = new Set(['app', 'ui', 'core', 'schema']);
    const edges = taskDependencies(packages, (found) => withTask.has(found.name));
    expect(Object.fromEntries(edges)).toEqual({
      app: ['core', 'schema', 'ui'],
      ui: ['core'],
      schema: [],
      core: [],
    });
  });

  test('dependency cycles through packages without the task end', () => {
    const edges = taskDependencies(
      [make('a', ['b']), make('b', ['c']), make('c', ['b', 'd']), make('d')],
      (found) => found.name !== 'b' && found.name !== 'c',
    );
    expect(edges.get('a')).toEqual(['d']);
  });

  test('two packages of the same name are an error', () => {
    const twin = { ...make('a'), folder: 'apps/a' };
    expect(catching(() => taskDependencies([make('a'), twin], () => true))).toMatchObject({
      code: 'WORKSPACE_NAME_CLASH',
      message: 'packages packages/a and apps/a are both named a',
    });
  });
});

test('partNameFor makes names buildout can reference', () => {
  expect(partNameFor('build-', '@demo/core')).toBe('build-demo-core');
  expect(partNameFor('build-', 'my_lib.js')).toBe('build-my_lib.js');
  expect(partNameFor('', 'a b+c')).toBe('a-b-c');
});
