/** A buildout.cfg building a pnpm workspace incrementally: the compiled CLI on temporary workspaces. */
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout } from './engine/cli.js';
import { built, clearEvents, edit, output, recordedParts, workspace } from './monorepo-support.js';

/** core <- ui <- app; docs stands alone; types has no build script but passes core on to ui. */
const PACKAGES = [
  { name: 'core' },
  { name: 'types', dependencies: ['core'], build: false },
  { name: 'ui', dependencies: ['types', 'core'] },
  { name: 'app', dependencies: ['ui'] },
  { name: 'docs' },
];

async function install(root: string, ...args: string[]) {
  clearEvents(root);
  const result = await buildout(args, root);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

describe('workspace builds (end to end)', () => {
  it('first run builds every package with a build script, dependencies first', async () => {
    const root = workspace(PACKAGES);
    const result = await install(root);
    expect(result.stdout).toMatch(/Installed build-core .*\n(.*\n)*Installed build-ui .*\n(.*\n)*Installed build-app /);
    expect(result.stdout).toMatch(/Done in .*: 4 built\n$/);
    expect(built(root)).toEqual(['app', 'core', 'docs', 'ui']);
    expect(output(root, 'app')).toBe('app: app v1\nui: ui v1\ncore: core v1\n');
    expect(recordedParts(root)).toEqual(['packages', 'build-core', 'build-ui', 'build-app', 'build-docs']);
  });

  it('inputs unchanged: nothing is built again', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    const again = await install(root);
    expect(built(root)).toEqual([]);
    expect(again.stdout).toMatch(/Done in .*: 4 unchanged\n$/);
  });

  it('one input edited: that package and its dependents are rebuilt, only them', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    edit(root, 'core', 'core v2\n');
    const result = await install(root);
    expect(built(root)).toEqual(['app', 'core', 'ui']);
    expect(result.stdout).toMatch(/Done in .*: 3 built, 1 unchanged\n$/);
    expect(output(root, 'app')).toBe('app: app v1\nui: ui v1\ncore: core v2\n');

    edit(root, 'ui', 'ui v2\n');
    await install(root);
    expect(built(root)).toEqual(['app', 'ui']);
    edit(root, 'docs', 'docs v2\n');
    await install(root);
    expect(built(root)).toEqual(['docs']);
    // A file that is not under src/ is an input too (inputs default to all the package's files).
    writeFileSync(join(root, 'packages/app/README.md'), 'hello\n');
    await install(root);
    expect(built(root)).toEqual(['app']);
    await install(root);
    expect(built(root)).toEqual([]);
  });

  it('an edit that keeps the file size is seen, whether the file was hashed long after it changed (cached) or just after', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    // Just written: not trusted to the hash cache, read again.
    edit(root, 'docs', 'docs v8\n');
    await install(root);
    expect(built(root)).toEqual(['docs']);
    // Written a minute before hashing: cached by size and times; the edit changes the mtime.
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'packages/docs/src/index.txt'), past, past);
    await install(root);
    expect(built(root)).toEqual([]);
    const cache = readFileSync(join(root, 'parts/.command-inputs.json'), 'utf8');
    expect(cache).toContain(join(root, 'packages/docs/src/index.txt'));
    edit(root, 'docs', 'docs v9\n');
    await install(root);
    expect(built(root)).toEqual(['docs']);
  });

  it('an output deleted (its folder, or one file in it): that package is restored from the cache', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    const before = output(root, 'ui');
    rmSync(join(root, 'packages/ui/dist'), { recursive: true });
    const result = await install(root);
    expect(built(root)).toEqual([]);
    expect(output(root, 'ui')).toBe(before);
    expect(result.stdout).toMatch(/Installed build-ui/);
    expect(result.stdout).toMatch(/Done in .*: 1 restored from cache \(1 local, 0 remote\), 3 unchanged\n$/);

    rmSync(join(root, 'packages/ui/dist/out.txt'));
    expect(existsSync(join(root, 'packages/ui/dist'))).toBe(true);
    await install(root);
    expect(built(root)).toEqual([]);
    expect(output(root, 'ui')).toBe(before);

    // Without the cache, it is built again.
    rmSync(join(root, 'packages/ui/dist/out.txt'));
    await install(root, 'buildout:cache=false');
    expect(built(root)).toEqual(['ui']);
    expect(output(root, 'ui')).toBe(before);
  });

  it('a package removed from the workspace: its outputs are removed, its sources stay', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - "!packages/docs"\n');
    const result = await install(root);
    expect(result.stdout).toMatch(/Uninstalled build-docs/);
    expect(built(root)).toEqual([]);
    expect(existsSync(join(root, 'packages/docs/dist'))).toBe(false);
    expect(existsSync(join(root, 'packages/docs/src/index.txt'))).toBe(true);
    expect(recordedParts(root)).not.toContain('build-docs');

    // The same when the folder goes, or when the build script does.
    rmSync(join(root, 'packages/app'), { recursive: true });
    const packageJson = join(root, 'packages/ui/package.json');
    writeFileSync(packageJson, JSON.stringify({ ...JSON.parse(readFileSync(packageJson, 'utf8')), scripts: {} }));
    await install(root);
    expect(existsSync(join(root, 'packages/ui/dist'))).toBe(false);
    expect(recordedParts(root)).toEqual(['packages', 'build-core']);
  });

  it('a failing build stops its dependents, keeps the finished parts recorded, and the next run picks up from there', async () => {
    const root = workspace(PACKAGES);
    edit(root, 'ui', 'FAIL\n');
    clearEvents(root);
    const failed = await buildout([], root);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/Failed to install build-ui/);
    expect(failed.stderr).toContain(
      'buildout: part build-ui: command failed with exit code 1 (in packages/ui): node ../../tools/build.mjs build',
    );
    expect(failed.stderr).toContain('    ui: building\n    ui: the source says FAIL\n');
    expect(built(root)).not.toContain('app');
    expect(recordedParts(root)).toEqual(expect.arrayContaining(['packages', 'build-core']));
    expect(recordedParts(root)).not.toContain('build-ui');
    expect(recordedParts(root)).not.toContain('build-app');

    edit(root, 'ui', 'ui v1\n');
    await install(root);
    expect(built(root).filter((name) => name !== 'docs')).toEqual(['app', 'ui']);
    expect(output(root, 'app')).toBe('app: app v1\nui: ui v1\ncore: core v1\n');
  });

  it('a failing build deletes no dist of a package that never got to build; --keep-going builds the independent ones', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    // core changes (so ui and app are to be rebuilt too), ui fails, docs changes on its own.
    edit(root, 'core', 'core v2\n');
    edit(root, 'ui', 'FAIL\n');
    edit(root, 'docs', 'docs v2\n');
    clearEvents(root);
    // One part at a time: docs has not started when ui fails.
    const failed = await buildout(['-j', '1'], root);
    expect(failed.code).toBe(1);
    expect(built(root)).not.toContain('app');
    // app never started: its dist and its record are those of the last good build.
    expect(output(root, 'app')).toBe('app: app v1\nui: ui v1\ncore: core v1\n');
    expect(recordedParts(root)).toEqual(expect.arrayContaining(['build-app', 'build-core']));

    clearEvents(root);
    const kept = await buildout(['install', '--keep-going'], root);
    expect(kept.code).toBe(1);
    expect(built(root)).toContain('docs');
    expect(built(root)).not.toContain('app');
    expect(output(root, 'docs')).toBe('docs: docs v2\n');
    expect(output(root, 'app')).toBe('app: app v1\nui: ui v1\ncore: core v1\n');
  });

  it('a failing build leaves none of its outputs behind', async () => {
    const root = workspace([{ name: 'core' }], 'runner = node ../../tools/build.mjs && exit 7 && true');
    const failed = await buildout([], root);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('command failed with exit code 7');
    expect(existsSync(join(root, 'packages/core/dist'))).toBe(false);
  });
});
