/** Symbolic links among a command's outputs: recorded as links, never followed, never cached. */
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import recipe from './command.js';
import { configText, openBuildout, tree, type TestBuildout } from '@buildout/testing';

/** A buildout in `root/buildout` with part `link`; `root/userdata` holds a user's files, outside the buildout. */
function project(options: Record<string, string>): { root: string; buildout: TestBuildout } {
  const root = tree({ 'userdata/a.txt': 'alpha', 'userdata/b.txt': 'beta', 'buildout/.keep': '' });
  const buildout = openBuildout(join(root, 'buildout'));
  buildout.write('buildout.cfg', configText({ buildout: { parts: 'link' }, link: { recipe: 'command', ...options } }));
  return { root, buildout };
}

/** The paths the cache's artifacts hold. */
function cached(buildout: TestBuildout): string[] {
  const folder = join(buildout.directory, '.buildout-cache');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.tar.gz'))
    .flatMap((name) => {
      const archive = gunzipSync(readFileSync(join(folder, name))).toString('latin1');
      return [...archive.matchAll(/(?:^|\0)([\w./-]+\.txt)\0/g)].map((match) => match[1]!);
    });
}

async function installed(buildout: TestBuildout): Promise<{ paths: string[]; warnings: string[] }> {
  await recipe.init!(await buildout.part('link', 'init'));
  const part = await buildout.part('link', 'install');
  const paths = (await recipe.install(part)) as string[];
  return { paths, warnings: part.logs.filter((line) => line.level === 'warn').map((line) => line.message) };
}

describe('symbolic links among the outputs', () => {
  test('an output that is a link to a folder: the link is recorded, not the files it points to, and nothing is cached', async () => {
    const { buildout } = project({ command: 'ln -sfn ../userdata current', outputs: 'current' });
    const { paths, warnings } = await installed(buildout);
    expect(cached(buildout)).toEqual([]);
    expect(paths).toEqual(['current']);
    expect(warnings).toEqual([
      'current is a symbolic link: the outputs are not cached (the cache keeps files, not links nor what they point to)',
    ]);
  });

  test('a pattern reaching through a link (current/**): the link stands for what is under it', async () => {
    const { buildout } = project({ command: 'ln -sfn ../userdata current', outputs: 'current/**' });
    expect((await installed(buildout)).paths).toEqual(['current']);
    expect(cached(buildout)).toEqual([]);
  });

  test("a link inside an output folder is recorded as the link; its target's content is not cached", async () => {
    const { buildout } = project({
      command: 'mkdir -p dist && echo made > dist/made.txt && ln -sfn ../../userdata/a.txt dist/secret.txt',
      outputs: 'dist',
    });
    const { paths, warnings } = await installed(buildout);
    expect(cached(buildout)).toEqual([]);
    expect(paths).toEqual(['dist', 'dist/made.txt', 'dist/secret.txt']);
    expect(warnings).toEqual([expect.stringMatching(/^dist\/secret.txt is a symbolic link: the outputs are not cached/)]);
  });

  test('uninstalling removes the link, and the files it pointed to stay (also when the pattern names them: current/*.txt)', async () => {
    const { root, buildout } = project({ command: 'ln -sfn ../userdata current', outputs: 'current/*.txt' });
    expect((await buildout.install({ recipes: { command: recipe } })).error).toBeUndefined();
    buildout.write('buildout.cfg', configText({ buildout: { parts: '' } }));
    expect((await buildout.install({ recipes: { command: recipe } })).error).toBeUndefined();
    expect(readdirSync(join(root, 'userdata')).sort()).toEqual(['a.txt', 'b.txt']);
    expect(lstatSync(join(buildout.directory, 'current'), { throwIfNoEntry: false })).toBeUndefined();
  });
});

describe('a restore never writes through a symbolic link', () => {
  test("an output folder replaced by a link to the user's folder: the update's repair leaves the user's file as it is", async () => {
    const { root, buildout } = project({ command: 'mkdir -p dist/sub && echo made > dist/sub/b.txt', outputs: 'dist' });
    expect((await installed(buildout)).paths).toEqual(['dist', 'dist/sub/b.txt']);
    rmSync(join(buildout.directory, 'dist/sub'), { recursive: true });
    symlinkSync('../../userdata', join(buildout.directory, 'dist/sub'));
    const update = await buildout.part('link', 'update');
    await recipe.update!(update);
    expect(readFileSync(join(root, 'userdata/b.txt'), 'utf8')).toBe('beta');
    expect(update.logs).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(
        /^not restoring \w+ from the cache: dist\/sub is a symbolic link, and a restore writes nothing through a link; the outputs are left as they are$/,
      ),
    });
  });
});
