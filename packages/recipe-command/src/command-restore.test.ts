/** The command recipe's keepForReinstall and the install that follows it: a restore from the local cache over the outputs in place. */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import recipe from './command.js';
import { CommandErrorCodes } from './errors.js';
import { age, configText, failure, openBuildout, tree, type TestPart } from '@buildout/testing';

/** Copies src/*.txt to dist/ and notes that it ran. */
const BUILD = `
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
for (const file of readdirSync('src')) writeFileSync('dist/' + file, readFileSync('src/' + file));
writeFileSync('ran', '');
`;

function project(): string {
  const root = tree({ 'pkg/build.mjs': BUILD, 'pkg/src/a.txt': 'alpha', 'pkg/src/b.txt': 'beta' });
  age(root, 'pkg/build.mjs', 'pkg/src/a.txt', 'pkg/src/b.txt');
  return root;
}

/** A fresh install Part of `build`, through init as in a run. */
async function part(root: string): Promise<TestPart> {
  const buildout = openBuildout(root);
  const build = { recipe: 'command', cwd: 'pkg', command: 'node build.mjs', inputs: 'src build.mjs', outputs: 'dist' };
  buildout.write('buildout.cfg', configText({ buildout: { parts: 'build' }, build }));
  await recipe.init!(await buildout.part('build', 'init'));
  return buildout.part('build', 'install');
}

/** Builds once (filling the cache) and returns what the install recorded. */
async function builtAndCached(root: string): Promise<string[]> {
  const paths = (await recipe.install(await part(root))) as string[];
  rmSync(join(root, 'pkg/ran'));
  return paths;
}

const cacheFolder = (root: string): string => join(root, '.buildout-cache');

describe('keepForReinstall', () => {
  test('no cache entry for the build: nothing is kept', async () => {
    const root = project();
    expect(await recipe.keepForReinstall!(await part(root), ['pkg/dist', 'pkg/dist/a.txt'])).toBeUndefined();
  });

  test('a cached build: the recorded outputs it makes are kept; install writes only what changed, and runs nothing', async () => {
    const root = project();
    const recorded = await builtAndCached(root);
    expect(recorded).toEqual(['pkg/dist', 'pkg/dist/a.txt', 'pkg/dist/b.txt']);
    const reinstall = await part(root);
    expect(await recipe.keepForReinstall!(reinstall, [...recorded, 'pkg/old.txt'])).toEqual(recorded);
    const a = statSync(join(root, 'pkg/dist/a.txt')).ino;
    // Changed after the keep looked at it: install sees it and puts it back.
    writeFileSync(join(root, 'pkg/dist/b.txt'), 'BETA');
    expect(await recipe.install(reinstall)).toEqual(recorded);
    expect(readFileSync(join(root, 'pkg/dist/b.txt'), 'utf8')).toBe('beta');
    expect(statSync(join(root, 'pkg/dist/a.txt')).ino).toBe(a);
    expect(existsSync(join(root, 'pkg/ran'))).toBe(false);
  });

  test('the entry gone between the keep and the install, with a file to write: the install fails (the engine then removes the kept outputs)', async () => {
    const root = project();
    const recorded = await builtAndCached(root);
    const reinstall = await part(root);
    expect(await recipe.keepForReinstall!(reinstall, recorded)).toEqual(recorded);
    rmSync(cacheFolder(root), { recursive: true });
    writeFileSync(join(root, 'pkg/dist/a.txt'), 'tampered');
    expect(await failure(() => recipe.install(reinstall))).toMatchObject({ code: CommandErrorCodes.COMMAND_CACHE_DAMAGED });
    expect(existsSync(join(root, 'pkg/ran'))).toBe(false);
  });

  test('a damaged entry and a file to write: nothing is kept, the entry is discarded with a warning, and install builds', async () => {
    const root = project();
    const recorded = await builtAndCached(root);
    for (const name of readdirSync(cacheFolder(root)).filter((file) => file.endsWith('.tar.gz'))) {
      const data = readFileSync(join(cacheFolder(root), name));
      data[data.length >> 1]! ^= 0xff;
      writeFileSync(join(cacheFolder(root), name), data);
    }
    rmSync(join(root, 'pkg/dist/b.txt'));
    const reinstall = await part(root);
    expect(await recipe.keepForReinstall!(reinstall, recorded)).toBeUndefined();
    expect(reinstall.logs).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/was damaged.*discarded/) })]);
    await recipe.install(reinstall);
    expect(existsSync(join(root, 'pkg/ran'))).toBe(true);
    expect(readFileSync(join(root, 'pkg/dist/b.txt'), 'utf8')).toBe('beta');
  });

  test("a description whose file modes differ from its artifact's (a set-user-ID bit added): discarded, and install builds", async () => {
    const root = project();
    const recorded = await builtAndCached(root);
    for (const name of readdirSync(cacheFolder(root)).filter((file) => file.endsWith('.json'))) {
      const description = JSON.parse(readFileSync(join(cacheFolder(root), name), 'utf8'));
      for (const file of description.manifest.files) file.mode = 0o4755;
      writeFileSync(join(cacheFolder(root), name), JSON.stringify(description));
    }
    rmSync(join(root, 'pkg/dist/b.txt'));
    const reinstall = await part(root);
    expect(await recipe.keepForReinstall!(reinstall, recorded)).toBeUndefined();
    expect(reinstall.logs).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('(its description does not match its artifact); discarded'),
      }),
    ]);
    await recipe.install(reinstall);
    expect(existsSync(join(root, 'pkg/ran'))).toBe(true);
    expect(statSync(join(root, 'pkg/dist/b.txt')).mode & 0o7000).toBe(0);
  });
});
