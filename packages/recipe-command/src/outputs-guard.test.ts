/** Issue 8, point 2: outputs never name buildout's own files, the buildout directory (or above), nor the part's inputs. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import recipe from './command.js';
import { configText, openBuildout, tree } from '@buildout/testing';

/** The message init refuses the outputs with, or undefined when it accepts them. */
async function refusal(root: string, options: Record<string, string>): Promise<string | undefined> {
  const buildout = openBuildout(root);
  buildout.write('buildout.cfg', configText({ buildout: { parts: 'site' }, site: { recipe: 'command', command: 'true', ...options } }));
  try {
    await recipe.init!(await buildout.part('site', 'init'));
    return undefined;
  } catch (error) {
    expect((error as { code?: string }).code).toBe('COMMAND_BAD_OPTION');
    return (error as Error).message;
  }
}

describe('command outputs', () => {
  test('outputs = * in the buildout directory is refused, naming the option and the file', async () => {
    const root = tree({ 'buildout.cfg': '', 'src/a.txt': '' });
    expect(await refusal(root, { outputs: '*' })).toBe('outputs: * matches buildout.cfg, a configuration file of this buildout');
  });

  test.each([
    ['.', '., the buildout directory'],
    ['./', '., the buildout directory'],
    ['..', '.., a folder holding the buildout directory'],
    ['bin', "bin, one of buildout's folders"],
    ['parts/', "parts, one of buildout's folders"],
    ['.installed.cfg', ".installed.cfg, buildout's own state (installed parts, journal or lock)"],
    ['.installed.cfg.journal', "matches files named .installed.cfg..., buildout's own state (installed parts, journal or lock)"],
    ['.buildout.lock.takeover', 'matches files named .buildout.lock...'],
    ['.buildout.lock', ".buildout.lock, buildout's own state (installed parts, journal or lock)"],
    ['eggs', "eggs, one of buildout's folders"],
    ['.buildout-cache', "buildout's caches"],
  ])('outputs = %s is refused', async (outputs, said) => {
    const root = tree({});
    expect(await refusal(root, { outputs })).toContain(said);
  });

  test('from a package folder, outputs reaching up to the buildout are refused', async () => {
    const root = tree({ 'packages/ui/src/a.ts': '' });
    const cwd = 'packages/ui';
    expect(await refusal(root, { cwd, outputs: '../..' })).toBe('outputs: ../.. matches ../.., the buildout directory');
    expect(await refusal(root, { cwd, outputs: '../../*' })).toContain('matches ../../buildout.cfg, a configuration file of this buildout');
    expect(await refusal(root, { cwd, outputs: '../../.i*' })).toContain("matches ../../.installed.cfg, buildout's own state");
    expect(await refusal(root, { cwd, outputs: join(root, 'bin') })).toContain("matches ../../bin, one of buildout's folders");
  });

  test("outputs matching the part's inputs are refused", async () => {
    const root = tree({ 'packages/ui/src/a.ts': '' });
    const cwd = 'packages/ui';
    expect(await refusal(root, { cwd, inputs: 'src/** package.json', outputs: 'src' })).toBe(
      'outputs: src matches src, an input of this part',
    );
    expect(await refusal(root, { cwd, inputs: 'src/** package.json', outputs: '*.json' })).toContain(
      'matches package.json, an input of this part',
    );
    expect(await refusal(root, { cwd, inputs: '**', outputs: '*' })).toContain('the inputs name every file here');
  });

  test('outputs the command makes are accepted, inside bin and parts too', async () => {
    const root = tree({ 'packages/ui/src/a.ts': '' });
    for (const outputs of ['dist', 'build/**', '*.js', 'bin/tool', 'parts/site', 'dist !dist/keep']) {
      expect(await refusal(root, { outputs }), outputs).toBeUndefined();
    }
    expect(await refusal(root, { cwd: 'packages/ui', inputs: '**', outputs: 'dist' })).toBeUndefined();
    expect(await refusal(root, { cwd: 'packages/ui', inputs: 'src/**', outputs: 'src/**/*.js' })).toBeUndefined();
  });

  test("an exclusion lets an output pattern leave buildout's own path out", async () => {
    const root = tree({});
    expect(await refusal(root, { outputs: 'bi* !bin' })).toBeUndefined();
    expect(await refusal(root, { outputs: 'bi*' })).toContain('matches bin');
  });
});
