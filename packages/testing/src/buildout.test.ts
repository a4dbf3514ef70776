import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configText, createBuildout, normalize, removeTemporaryFolders, tree } from './index.js';

afterEach(removeTemporaryFolders);

const HELLO = `
import { mkdirSync, writeFileSync } from 'node:fs';
export default {
  install(part) {
    mkdirSync('parts/' + part.name, { recursive: true });
    part.created('parts/' + part.name);
    writeFileSync('parts/' + part.name + '/hello.txt', 'hello ' + part.options.who + '\\n');
    part.log.info('said hello to ' + part.options.who);
    return [];
  },
  update() {},
};
`;

describe('createBuildout', () => {
  it('writes, reads and lists files in a temporary buildout with an empty buildout.cfg', () => {
    const buildout = createBuildout();
    expect(buildout.read('buildout.cfg')).toBe('[buildout]\nparts =\n');
    buildout.write('a/b/c.txt', 'text');
    expect(buildout.read('a/b/c.txt')).toBe('text');
    expect(buildout.ls()).toEqual(['a/', 'buildout.cfg']);
    expect(buildout.exists('a/b')).toBe(true);
  });

  it('runs the real buildout command, whose output normalizes to text a test can hold', async () => {
    const buildout = createBuildout({
      'buildout.cfg': configText({ buildout: { parts: 'hello' }, hello: { recipe: './hello.mjs', who: 'world' } }),
      'hello.mjs': HELLO,
    });
    const first = await buildout.run();
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toBe('');
    expect(buildout.normalize(first.stdout)).toBe(
      'Installing hello...\nhello: said hello to world\nInstalled hello (TIME)\nDone in TIME: 1 built\n',
    );
    expect(buildout.read('parts/hello/hello.txt')).toBe('hello world\n');
    expect(buildout.ls()).toEqual(['.installed.cfg', 'bin/', 'buildout.cfg', 'hello.mjs', 'parts/']);

    const bad = await buildout.run(['install', 'nowhere']);
    expect(bad.exitCode).toBe(1);
    expect(buildout.normalize(bad.stderr)).toContain("cannot install 'nowhere': there is no section [nowhere]");
  });
});

describe('buildout.part', () => {
  const files = {
    'buildout.cfg': configText({
      buildout: { parts: 'hello' },
      greeting: { who: 'world' },
      hello: { recipe: './hello.mjs', who: '${greeting:who}', note: 'in ${buildout:directory}' },
    }),
    'hello.mjs': HELLO,
  };

  it('is the Part the engine builds: substituted options, part.buildout, logs and registered paths', async () => {
    const buildout = createBuildout(files);
    const part = await buildout.part('hello');
    expect(part.options).toEqual({ recipe: './hello.mjs', who: 'world', note: `in ${buildout.directory}` });
    expect(part.buildout.get('greeting', 'who')).toBe('world');
    expect(part.directory).toBe(buildout.directory);
    const { default: recipe } = await import(join(buildout.directory, 'hello.mjs'));
    // Recipes run in the buildout directory, as the engine runs them.
    const cwd = process.cwd();
    process.chdir(buildout.directory);
    try {
      await recipe.install(part);
    } finally {
      process.chdir(cwd);
    }
    expect(part.registered).toEqual(['parts/hello']);
    expect(part.logs).toEqual([{ level: 'info', message: 'said hello to world' }]);
  });

  it('refuses what the engine refuses in that method', async () => {
    const buildout = createBuildout(files);
    const init = await buildout.part('hello', 'init');
    expect(() => init.created('x')).toThrow('part.created() can only be used in install and update');
    const install = await buildout.part('hello', 'install');
    expect(() => install.defineSection('x', {})).toThrow('part.defineSection() can only be used in init');
    await expect(buildout.part('nowhere')).rejects.toMatchObject({ code: 'MISSING_SECTION' });
  });

  it('in init, writes options through and records the sections a meta-recipe defines, with their dependencies', async () => {
    const buildout = createBuildout(files);
    const part = await buildout.part('hello', 'init');
    part.options.location = 'parts/hello';
    part.defineSection('child', { recipe: './hello.mjs', who: '${hello:location}' }, { part: true, after: ['hello'] });
    expect(part.defined).toEqual([
      { name: 'child', options: { recipe: './hello.mjs', who: '${hello:location}' }, part: true, after: ['hello'] },
    ]);
    expect(part.buildout.get('child', 'who')).toBe('parts/hello');
    // The same configuration, as in a run: an install part sees what init set.
    expect((await buildout.part('child')).options.who).toBe('parts/hello');
  });

  it('in uninstall, has the recorded options', async () => {
    const part = await createBuildout(files).part('hello', 'uninstall', { recorded: { recipe: './hello.mjs', who: 'then' } });
    expect(part.options).toEqual({ recipe: './hello.mjs', who: 'then' });
    expect(part.reinstalling).toBe(false);
    const before = await createBuildout(files).part('hello', 'uninstall', { reinstalling: true });
    expect(before.reinstalling).toBe(true);
  });
});

describe('normalize', () => {
  it('names folders, hides durations and colours', () => {
    const folder = tree();
    expect(normalize(`\x1b[1mDone in 1.25 s\x1b[0m at ${folder}/x (12 ms)`, { [folder]: '/sample-buildout' })).toBe(
      'Done in TIME at /sample-buildout/x (TIME)',
    );
  });
});
