/** When changed parts are uninstalled: real buildouts with the trace recipe (its uninstall logs), in temporary folders. */
import { describe, expect, it } from 'vitest';
import { events, exists, install, read, tree, TRACE_RECIPE, write } from './__fixtures__/support.js';

/** app depends on mid (a reference), mid on db (`=>`); c stands alone. Every recipe but `plain` has an uninstall. */
const CONFIG = `
[buildout]
parts = db mid app c
[db]
recipe = ./recipes/trace.mjs
text = db1
[mid]
recipe = ./recipes/trace.mjs
=> db
[app]
recipe = ./recipes/trace.mjs
text = app1 \${mid:recipe}
[c]
recipe = ./recipes/trace.mjs
text = c1
`;

/** CONFIG installed; with `appRecipe`, [app] uses that module (recipes/app.mjs) instead of the trace recipe. */
async function installed(config: string, appRecipe?: string): Promise<string> {
  const files = appRecipe === undefined ? {} : { 'recipes/app.mjs': appRecipe };
  const app = appRecipe === undefined ? config : config.replace('[app]\nrecipe = ./recipes/trace.mjs', '[app]\nrecipe = ./recipes/app.mjs');
  const root = tree({ 'buildout.cfg': app, 'recipes/trace.mjs': TRACE_RECIPE, ...files });
  expect((await install(root)).error).toBeUndefined();
  events(root);
  return root;
}

function change(root: string, ...edits: [string, string][]): void {
  let config = read(root, 'buildout.cfg');
  for (const [from, to] of edits) config = config.replace(from, to);
  write(root, { 'buildout.cfg': config });
}

const recordedParts = (root: string): string => /^parts = (.*)$/m.exec(read(root, '.installed.cfg'))![1]!;

describe('uninstalling changed parts', () => {
  it('runs the uninstall of a changed part before any part it depends on changes, dependents first (as zc.buildout)', async () => {
    const root = await installed(CONFIG);
    change(root, ['db1', 'db2'], ['app1', 'app2'], ['c1', 'c2']);
    const run = await install(root, { jobs: 1 });
    expect(run.error).toBeUndefined();
    // app's uninstall sees the db it was installed with; c, which depends on nothing that changes, waits for its turn.
    expect(events(root)).toEqual(['uninstall app', 'uninstall db', 'install db', 'update mid', 'install app', 'uninstall c', 'install c']);
    expect(run.summary).toMatchObject({ uninstalled: ['app', 'db', 'c'], installed: ['db', 'app', 'c'], updated: ['mid'] });
    expect(read(root, 'parts/app/out.txt')).toBe('app2 ./recipes/trace.mjs');
  });

  it('keeps that order with parts running at once', async () => {
    const root = await installed(CONFIG);
    change(root, ['db1', 'db2'], ['app1', 'app2']);
    expect((await install(root, { jobs: 4 })).error).toBeUndefined();
    const order = events(root);
    expect(order.indexOf('uninstall app')).toBeLessThan(order.indexOf('uninstall db'));
    expect(order.indexOf('uninstall db')).toBeLessThan(order.indexOf('install db'));
    expect(order.indexOf('install db')).toBeLessThan(order.indexOf('update mid'));
    expect(order.indexOf('update mid')).toBeLessThan(order.indexOf('install app'));
  });

  it('an unchanged dependency that is only updated also waits for the uninstall of a changed dependent', async () => {
    const root = await installed(CONFIG);
    change(root, ['app1', 'app2']);
    expect((await install(root, { jobs: 1 })).error).toBeUndefined();
    expect(events(root)).toEqual(['uninstall app', 'update db', 'update mid', 'install app', 'update c']);
  });

  it('when the dependency then fails, the dependent stays uninstalled and unrelated parts keep what they had', async () => {
    const root = await installed(CONFIG);
    change(root, ['text = db1', 'text = db2\nfail = install'], ['app1', 'app2'], ['c1', 'c2']);
    const run = await install(root, { jobs: 1 });
    expect(run.error).toMatchObject({ part: 'db' });
    expect(events(root)).toEqual(['uninstall app', 'uninstall db']);
    // app is gone (it would have been rebuilt on the new db); c never started and is as it was.
    expect(exists(root, 'parts/app')).toBe(false);
    expect(read(root, 'parts/c/out.txt')).toBe('c1');
    expect(recordedParts(root).split(' ').sort()).toEqual(['c', 'mid']);

    change(root, ['\nfail = install', '']);
    expect((await install(root, { jobs: 1 })).error).toBeUndefined();
    expect(events(root)).toEqual(['install db', 'update mid', 'install app', 'uninstall c', 'install c']);
  });

  it('a recipe without an uninstall of its own is uninstalled right before its reinstall: a failure before it keeps its files', async () => {
    const plain = `import { mkdirSync, writeFileSync } from 'node:fs';
export default { install(part) { mkdirSync('parts/' + part.name, { recursive: true }); writeFileSync('parts/' + part.name + '/out.txt', part.options.text); return ['parts/' + part.name]; }, update() {} };`;
    const root = await installed(CONFIG, plain);
    change(root, ['text = db1', 'text = db2\nfail = install'], ['app1', 'app2']);
    expect((await install(root, { jobs: 1 })).error).toMatchObject({ part: 'db' });
    expect(events(root)).toEqual(['uninstall db']);
    expect(read(root, 'parts/app/out.txt')).toBe('app1 ./recipes/trace.mjs');
    expect(recordedParts(root).split(' ').sort()).toEqual(['app', 'c', 'mid']);
  });

  it('an uninstall that fails holds back what waits for it: the dependency is not rebuilt under it', async () => {
    const stubborn = `import { mkdirSync } from 'node:fs';
export default { install(part) { mkdirSync('parts/' + part.name, { recursive: true }); return ['parts/' + part.name]; }, update() {}, uninstall() { throw new Error('will not go'); } };`;
    const root = await installed(CONFIG, stubborn);
    change(root, ['db1', 'db2'], ['app1', 'app2']);
    const run = await install(root, { jobs: 1 });
    expect(run.error).toMatchObject({ part: 'app', message: 'uninstall failed: will not go' });
    expect(events(root)).toEqual([]);
    expect(read(root, 'parts/db/out.txt')).toBe('db1');
    expect(recordedParts(root).split(' ').sort()).toEqual(['app', 'c', 'db', 'mid']);
  });
});
