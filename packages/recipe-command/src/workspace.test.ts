import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import recipe from './workspace.js';
import { configText, failure, openBuildout, tree } from '@buildout/testing';

const pkg = (json: object) => JSON.stringify(json);

/** core <- ui <- app (ui is a devDependency), types has no build script but depends on core; docs has no scripts at all. */
function monorepo(extra: Record<string, string> = {}): string {
  return tree({
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    'package.json': pkg({ name: 'root', scripts: { build: 'turbo run build' } }),
    'packages/core/package.json': pkg({ name: '@demo/core', scripts: { build: 'node build.mjs' } }),
    'packages/types/package.json': pkg({ name: '@demo/types', dependencies: { '@demo/core': 'workspace:*' } }),
    'packages/ui/package.json': pkg({
      name: '@demo/ui',
      scripts: { build: 'node build.mjs', test: 'node test.mjs' },
      dependencies: { '@demo/types': 'workspace:*' },
    }),
    'packages/app/package.json': pkg({
      name: '@demo/app',
      scripts: { build: 'node build.mjs' },
      devDependencies: { '@demo/ui': 'workspace:^', vite: '^5' },
      buildout: { outputs: ['out', 'stats.json'] },
    }),
    'packages/docs/package.json': pkg({ name: 'docs' }),
    ...extra,
  });
}

async function init(root: string, options: Record<string, string>, sections: Record<string, Record<string, string>> = {}) {
  const buildout = openBuildout(root);
  buildout.write(
    'buildout.cfg',
    configText({ buildout: { parts: 'workspace' }, workspace: { recipe: 'workspace', ...options }, ...sections }),
  );
  const part = await buildout.part('workspace', 'init');
  await recipe.init!(part);
  return part;
}

describe('workspace init', () => {
  test('defines one command part per package with the script, with dependencies and their hashes', async () => {
    const root = monorepo();
    const part = await init(root, { outputs: 'dist' });
    expect(part.defined.map(({ name, part: isPart }) => [name, isPart])).toEqual([
      ['build-demo-app', true],
      ['build-demo-core', true],
      ['build-demo-ui', true],
    ]);
    // The workspace part's own options do not change with the packages, so it is not reinstalled when they do.
    expect(Object.keys(part.options)).toEqual(['recipe', 'outputs']);
    expect(part.defined.map(({ after }) => after)).toEqual([['build-demo-ui'], [], ['build-demo-core']]);
    const [app, core, ui] = part.defined.map(({ options }) => options);
    expect(core).toEqual({
      recipe: 'command',
      package: '@demo/core',
      cwd: 'packages/core',
      command: 'pnpm run build',
      inputs: '**',
      outputs: 'dist',
    });
    // ui reaches core through types, which has no build script
    expect(ui).toMatchObject({ 'dependency-hashes': '${build-demo-core:inputs-hash}' });
    expect(app).toMatchObject({
      'dependency-hashes': '${build-demo-ui:inputs-hash}',
      outputs: 'out\nstats.json',
    });
  });

  test('script, runner, prefix, inputs, env and the command recipe are options; a packages option replaces pnpm-workspace.yaml', async () => {
    const root = monorepo();
    const part = await init(root, {
      script: 'test',
      packages: 'packages/ui packages/core',
      runner: 'npm run --silent',
      prefix: 'check.',
      inputs: 'src\npackage.json',
      env: 'CI=1\nFORCE_COLOR=0',
      'command-recipe': '@buildout/recipe-command:command',
    });
    expect(part.defined).toHaveLength(1);
    expect(part.defined[0]).toEqual({
      name: 'check.demo-ui',
      part: true,
      after: [],
      options: {
        recipe: '@buildout/recipe-command:command',
        package: '@demo/ui',
        cwd: 'packages/ui',
        command: 'npm run --silent test',
        inputs: 'src\npackage.json',
        env: 'CI=1\nFORCE_COLOR=0',
      },
    });
    // Without pnpm-workspace.yaml the default runner is npm's.
    expect((await init(root, { packages: 'packages/core' })).defined[0]!.options.command).toBe('npm run build');
  });

  test('the root package and nested packages: a package does not hash the packages inside it', async () => {
    const root = monorepo();
    const part = await init(root, { packages: '. packages/*', script: 'build', prefix: 'b-' });
    const rootPart = part.defined.find(({ name }) => name === 'b-root')!;
    expect(rootPart.options.cwd).toBe('.');
    expect(rootPart.options.inputs.split('\n')).toEqual([
      '**',
      '!packages/app',
      '!packages/core',
      '!packages/docs',
      '!packages/types',
      '!packages/ui',
    ]);
  });

  test('cwd is relative to the buildout directory when the workspace root is elsewhere', async () => {
    const root = monorepo();
    const part = await init(join(root, 'packages'), { root: '..' });
    expect(part.defined.map(({ options }) => options.cwd)).toEqual(['app', 'core', 'ui']);
  });

  test('script names are quoted for the shell when they need it', async () => {
    const root = monorepo({ 'packages/core/package.json': pkg({ name: 'core', scripts: { "it's": 'x', 'build:prod': 'y' } }) });
    expect((await init(root, { script: "it's", prefix: 'x-' })).defined[0]!.options.command).toBe("pnpm run 'it'\\''s'");
    const prod = (await init(root, { script: 'build:prod' })).defined[0]!;
    expect(prod.options.command).toBe('pnpm run build:prod');
    expect(prod.name).toBe('build-prod-core');
  });

  test('no packages to look for is an error', async () => {
    expect(await failure(() => init(tree({}), {}))).toMatchObject({
      code: 'WORKSPACE_NO_PACKAGES',
      message: expect.stringContaining('there is no packages option and no pnpm-workspace.yaml'),
      part: 'workspace',
    });
    expect(await failure(() => init(tree({ 'pnpm-workspace.yaml': 'packages: []\n' }), {}))).toMatchObject({
      code: 'WORKSPACE_NO_PACKAGES',
      message: expect.stringContaining('pnpm-workspace.yaml lists no packages'),
    });
  });

  test('names that clash with each other or with a section, or are not valid, are errors', async () => {
    const root = monorepo({ 'packages/core2/package.json': pkg({ name: 'demo/core', scripts: { build: 'x' } }) });
    expect(await failure(() => init(root, {}))).toMatchObject({
      code: 'WORKSPACE_NAME_CLASH',
      message: 'packages @demo/core and demo/core would both become part build-demo-core',
    });
    expect(await failure(() => init(monorepo(), {}, { 'build-demo-ui': { recipe: 'x' } }))).toMatchObject({
      code: 'WORKSPACE_NAME_CLASH',
      message: 'package @demo/ui would become part build-demo-ui, but section [build-demo-ui] already exists',
    });
    expect(await failure(() => init(monorepo(), { prefix: 'build:' }))).toMatchObject({ code: 'WORKSPACE_NAME_CLASH' });
  });

  test('values from files that buildout would read as references are refused', async () => {
    const root = monorepo({
      'packages/core/package.json': pkg({ name: 'core', scripts: { build: 'x' }, buildout: { inputs: ['${x:y}'] } }),
    });
    expect(await failure(() => init(root, {}))).toMatchObject({
      code: 'WORKSPACE_BAD_FILE',
      message: expect.stringContaining('input glob of core'),
    });
  });
});

test('install and update create nothing themselves', async () => {
  const part = await init(monorepo(), {});
  expect(await recipe.install(part)).toEqual([]);
  expect(await recipe.update!(part)).toEqual([]);
});
