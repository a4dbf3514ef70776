/** What the outputs matched before the command ran is not the part's: not recorded, so uninstalling leaves it; reruns keep what the part recorded. */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import recipe from './command.js';
import { configText, openBuildout, tree, write, type TestBuildout } from '@buildout/testing';

/** A buildout in `root/buildout` with one part, `gen`; `files` are laid out under root first. */
function project(files: Record<string, string>, options: Record<string, string>): { root: string; buildout: TestBuildout } {
  const root = tree({ ...files, 'buildout/.keep': '' });
  // Older than any run: a file the command rewrites gets another modification time.
  for (const path of Object.keys(files)) utimesSync(join(root, path), 1_000_000, 1_000_000);
  const buildout = openBuildout(join(root, 'buildout'));
  buildout.write('buildout.cfg', configText({ buildout: { parts: 'gen' }, gen: { recipe: 'command', ...options } }));
  return { root, buildout };
}

/** Runs `install`; returns what part gen has recorded then, and whether its outputs came from the local cache. */
async function install(buildout: TestBuildout): Promise<readonly string[]> {
  return (await installing(buildout)).recorded;
}

async function installing(buildout: TestBuildout): Promise<{ recorded: readonly string[]; restored: boolean }> {
  const run = await buildout.install({ recipes: { command: recipe } });
  expect(run.error).toBeUndefined();
  return { recorded: buildout.installed().get('gen')?.installed ?? [], restored: run.summary!.restored.local.includes('gen') };
}

async function uninstall(buildout: TestBuildout): Promise<void> {
  buildout.write('buildout.cfg', configText({ buildout: { parts: '' } }));
  expect((await buildout.install({ recipes: { command: recipe } })).error).toBeUndefined();
}

describe('outputs that were there before the command ran', () => {
  test("outputs = * in a folder of the user's: only what the command made is recorded, and uninstalling leaves the user's files", async () => {
    const { root, buildout } = project(
      { 'site9/index.html': '<h1>mine</h1>' },
      { cwd: '../site9', command: 'touch generated.txt', outputs: '*', cache: 'false' },
    );
    expect(await install(buildout)).toEqual([join(root, 'site9/generated.txt')]);
    await uninstall(buildout);
    expect(readdirSync(join(root, 'site9'))).toEqual(['index.html']);
  });

  test('a folder that was there is not recorded whole: the files and folders the command makes in it are, the rest stays', async () => {
    const { root, buildout } = project(
      { 'buildout/dist/README.md': 'mine', 'buildout/dist/old/notes.txt': 'mine too', 'buildout/dist/out.txt': 'stale' },
      { command: 'mkdir -p dist/assets && echo new > dist/out.txt && echo js > dist/assets/app.js', outputs: 'dist' },
    );
    expect(await install(buildout)).toEqual(['dist/assets', 'dist/assets/app.js', 'dist/out.txt']);
    await uninstall(buildout);
    expect(readdirSync(join(root, 'buildout/dist')).sort()).toEqual(['README.md', 'old']);
    expect(readFileSync(join(root, 'buildout/dist/old/notes.txt'), 'utf8')).toBe('mine too');
  });

  // An incremental step (or an earlier run killed half-way) left dist/a; a restore of what this run made would lack it.
  test('a build that left a file it found there is not cached, with a warning', async () => {
    const { buildout } = project(
      { 'buildout/dist/a': 'from before' },
      { command: '[ -e dist/a ] || echo a > dist/a; echo b > dist/b', outputs: 'dist' },
    );
    const run = await buildout.install({ recipes: { command: recipe } });
    expect(run.error).toBeUndefined();
    expect(run.logs.filter((log) => log.level === 'warn').map((log) => log.message)).toEqual([
      'dist/a matched the outputs before the command ran and it left them as they were: the outputs are not cached (a restore would lack them)',
    ]);
    expect(
      existsSync(join(buildout.directory, '.buildout-cache')) && readdirSync(join(buildout.directory, '.buildout-cache')).length > 0,
    ).toBe(false);
  });

  test("a failing command: what it left is removed with the part, the user's files are not", async () => {
    const { root, buildout } = project(
      { 'site9/index.html': '<h1>mine</h1>' },
      { cwd: '../site9', command: 'touch generated.txt\nexit 1', outputs: '*', cache: 'false' },
    );
    expect((await buildout.install({ recipes: { command: recipe } })).error).toMatchObject({ code: 'COMMAND_FAILED' });
    expect(readdirSync(join(root, 'site9'))).toEqual(['index.html']);
  });
});

describe('reruns: what the part recorded stays the part', () => {
  const BUILD = `
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
for (const file of readdirSync('src')) writeFileSync('dist/' + file, readFileSync('src/' + file));
`;
  const options = { command: 'node build.mjs', inputs: 'src build.mjs', outputs: 'dist' };

  test('rebuilt: the engine removed what it recorded, and what the user had stays theirs', async () => {
    const { root, buildout } = project(
      { 'buildout/build.mjs': BUILD, 'buildout/src/a.txt': 'alpha', 'buildout/dist/mine.txt': 'mine' },
      options,
    );
    expect(await install(buildout)).toEqual(['dist/a.txt']);
    write(root, { 'buildout/src/a.txt': 'ALPHA', 'buildout/src/b.txt': 'beta' });
    expect(await install(buildout)).toEqual(['dist/a.txt', 'dist/b.txt']);
    await uninstall(buildout);
    expect(readdirSync(join(root, 'buildout/dist'))).toEqual(['mine.txt']);
  });

  test('restored in place from the local cache: the kept outputs the restore leaves as they are stay recorded, and stay', async () => {
    const { root, buildout } = project(
      { 'buildout/build.mjs': BUILD, 'buildout/src/a.txt': 'alpha', 'buildout/src/b.txt': 'beta' },
      options,
    );
    const first = await install(buildout);
    expect(first).toEqual(['dist', 'dist/a.txt', 'dist/b.txt']);
    write(root, { 'buildout/src/a.txt': 'ALPHA' });
    await install(buildout);
    const b = statSync(join(buildout.directory, 'dist/b.txt')).ino;
    write(root, { 'buildout/src/a.txt': 'alpha' });
    expect(await installing(buildout)).toEqual({ recorded: first, restored: true });
    // Kept, not written again: the same file.
    expect(statSync(join(buildout.directory, 'dist/b.txt')).ino).toBe(b);
    expect(readFileSync(join(buildout.directory, 'dist/a.txt'), 'utf8')).toBe('alpha');
    await uninstall(buildout);
    expect(existsSync(join(buildout.directory, 'dist'))).toBe(false);
  });
});
