/**
 * Restoring a changed part from the output cache in place (end to end, the
 * compiled CLI): the recorded outputs the restore makes again are not removed
 * first, files that are already right are not rewritten, a tampered one is,
 * and a recorded output the cached build did not make is removed.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './engine/cli.js';
import { built, clearEvents, workspace } from './monorepo-support.js';

/** core <- ui <- app; docs stands alone. */
const PACKAGES = [{ name: 'core' }, { name: 'ui', dependencies: ['core'] }, { name: 'app', dependencies: ['ui'] }, { name: 'docs' }];

async function install(root: string) {
  clearEvents(root);
  const result = await buildout([], root);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

/** Inode and modification time: what a rewrite (even with the same bytes) changes. */
function stamp(root: string, path: string): string {
  const stat = statSync(join(root, path));
  return `${stat.ino}:${stat.mtimeMs}`;
}

const out = (name: string): string => `packages/${name}/dist/out.txt`;

describe('restoring a changed part in place', () => {
  it('an input added then removed: the parts restored keep their identical outputs untouched; a tampered one is put back', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    const tamperedContent = readFileSync(join(root, out('ui')), 'utf8');
    // An input the build does not read: a new key for core (and, through its hash, for ui and app), the same outputs.
    writeFileSync(join(root, 'packages/core/README.md'), 'notes\n');
    await install(root);
    expect(built(root)).toEqual(['app', 'core', 'ui']);
    rmSync(join(root, 'packages/core/README.md'));
    const snapshot = Object.fromEntries(['core', 'ui', 'app'].map((name) => [name, stamp(root, out(name))]));
    // Same size, other bytes: only the hash tells.
    writeFileSync(join(root, out('ui')), tamperedContent.replace(/u/g, 'U'));
    const tampered = stamp(root, out('ui'));
    const result = await install(root);
    expect(built(root)).toEqual([]);
    expect(result.stdout).toMatch(/: 3 restored from cache \(3 local, 0 remote\), 1 unchanged\n$/);
    expect(stamp(root, out('core'))).toBe(snapshot.core);
    expect(stamp(root, out('app'))).toBe(snapshot.app);
    expect(stamp(root, out('ui'))).not.toBe(tampered);
    expect(readFileSync(join(root, out('ui')), 'utf8')).toBe(tamperedContent);
  });
});

/** One `command` part: dist/NAME.txt for every file of src/, each run logged to runs.log. */
const GENERATE = `
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
appendFileSync('runs.log', 'run\\n');
mkdirSync('dist', { recursive: true });
for (const name of readdirSync('src')) writeFileSync('dist/' + name + '.txt', readFileSync('src/' + name, 'utf8').toUpperCase());
`;

function generator(): string {
  return tree({
    'buildout.cfg': '[buildout]\nparts = gen\n[gen]\nrecipe = command\ncommand = node gen.mjs\ninputs = src/** gen.mjs\noutputs = dist\n',
    'gen.mjs': GENERATE,
    'src/a': 'a',
    'src/b': 'b',
  });
}

const runs = (root: string): number => readFileSync(join(root, 'runs.log'), 'utf8').split('\n').filter(Boolean).length;
const recorded = (root: string): string =>
  /__buildout_installed__ = ([^_]*)__/.exec(readFileSync(join(root, '.installed.cfg'), 'utf8'))![1]!;

describe('restoring a changed command part in place', () => {
  it('a recorded output the cached build did not make is removed; the ones it made stay as they are', async () => {
    const root = generator();
    await install(root); // src a b: cached
    rmSync(join(root, 'src/b'));
    await install(root); // src a: cached
    writeFileSync(join(root, 'src/b'), 'b');
    await install(root); // a b again: restored
    expect(runs(root)).toBe(2);
    expect(readFileSync(join(root, 'dist/b.txt'), 'utf8')).toBe('B');
    const a = stamp(root, 'dist/a.txt');
    rmSync(join(root, 'src/b'));
    const result = await install(root); // a only: restored, dist/b.txt recorded but not made by that build
    expect(runs(root)).toBe(2);
    expect(result.stdout).toMatch(/: 1 restored from cache \(1 local, 0 remote\)\n$/);
    expect(() => statSync(join(root, 'dist/b.txt'))).toThrow(/ENOENT/);
    expect(stamp(root, 'dist/a.txt')).toBe(a);
    expect(recorded(root)).toBe('dist\n\tdist/a.txt\n');
  });

  it('a file no build made in an output folder: the folder is removed and restored whole, as a build would leave it', async () => {
    const root = generator();
    await install(root);
    rmSync(join(root, 'src/b'));
    await install(root);
    writeFileSync(join(root, 'dist/notes.txt'), 'mine');
    writeFileSync(join(root, 'src/b'), 'b');
    await install(root);
    expect(runs(root)).toBe(2);
    expect(() => statSync(join(root, 'dist/notes.txt'))).toThrow(/ENOENT/);
    expect(readFileSync(join(root, 'dist/a.txt'), 'utf8')).toBe('A');
    expect(readFileSync(join(root, 'dist/b.txt'), 'utf8')).toBe('B');
    expect(recorded(root)).toBe('dist\n\tdist/a.txt\n\tdist/b.txt\n');
  });
});
