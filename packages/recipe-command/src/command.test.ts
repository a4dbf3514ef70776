import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import recipe, { HASH_CACHE_FILE, INPUTS_HASH_OPTION, TAIL_LINES } from './command.js';
import type { PartAction } from '@buildout/engine';
import { age, configText, failure, openBuildout, tree, write, type TestPart } from '@buildout/testing';

/** A build script: copies src/*.txt to dist/, prints a line per file, writes what it saw to seen.json. */
const BUILD = `
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
for (const file of readdirSync('src')) {
  writeFileSync('dist/' + file, readFileSync('src/' + file));
  console.log('built ' + file);
}
writeFileSync('seen.json', JSON.stringify({ cwd: process.cwd(), greeting: process.env.GREETING ?? null }));
`;

const FAIL = `
for (let line = 1; line <= 30; line++) console.log('line ' + line);
setTimeout(() => {
  console.error('error: it broke');
  process.exit(3);
}, 100);
`;

function project(): string {
  const root = tree({ 'pkg/build.mjs': BUILD, 'pkg/src/a.txt': 'a', 'pkg/src/b.txt': 'b', 'pkg/fail.mjs': FAIL });
  age(root, 'pkg/build.mjs', 'pkg/src/a.txt', 'pkg/src/b.txt');
  return root;
}

/** Part `build` of a buildout in `root` with these options, for `action`; install and update parts have been through init, as in a run. */
async function part(root: string, options: Record<string, string>, action: PartAction = 'install'): Promise<TestPart> {
  const buildout = openBuildout(root);
  const build = { recipe: 'command', cwd: 'pkg', command: 'node build.mjs', inputs: 'src build.mjs', outputs: 'dist', ...options };
  buildout.write('buildout.cfg', configText({ buildout: { parts: 'build' }, build }));
  if (action !== 'init') await recipe.init!(await buildout.part('build', 'init'));
  return buildout.part('build', action);
}

/** Runs init on a fresh Part and returns the hash it set. */
async function inputsHash(root: string, options: Record<string, string> = {}): Promise<string> {
  const built = await part(root, options, 'init');
  await recipe.init!(built);
  return built.options[INPUTS_HASH_OPTION]!;
}

describe('init: inputs-hash', () => {
  test('is set, and the same while inputs and options stay the same', async () => {
    const root = project();
    const hash = await inputsHash(root);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(await inputsHash(root)).toBe(hash);
  });

  test('changes when an input file or an option changes', async () => {
    const root = project();
    const hash = await inputsHash(root);
    expect(await inputsHash(root, { env: 'GREETING=hi' })).not.toBe(hash);
    expect(await inputsHash(root, { 'dependency-hashes': 'abc' })).not.toBe(hash);
    write(root, { 'pkg/src/a.txt': 'A' });
    expect(await inputsHash(root)).not.toBe(hash);
  });

  test('ignores outputs, node_modules, files not matched and buildout state, even with inputs = **', async () => {
    const root = project();
    const options = { cwd: '.', command: 'node pkg/build.mjs', inputs: '**', outputs: 'pkg/dist' };
    const hash = await inputsHash(root, options);
    write(root, {
      'pkg/dist/a.txt': 'a',
      'pkg/node_modules/x/index.js': '',
      '.installed.cfg': '[buildout]',
      '.installed.cfg.journal': '{}',
      '.buildout.lock': '123',
      'parts/other/file': '',
      'bin/script': '',
    });
    expect(await inputsHash(root, options)).toBe(hash);
    write(root, { 'pkg/notes.md': 'not an input of the default part' });
    const before = await inputsHash(root);
    write(root, { 'pkg/notes.md': 'still not' });
    expect(await inputsHash(root)).toBe(before);
  });

  test('buildout state is ignored also when inputs reach outside cwd', async () => {
    const root = project();
    write(root, { 'shared/config.json': '{}' });
    const options = { inputs: 'src ../**', outputs: 'dist' };
    const hash = await inputsHash(root, options);
    write(root, { '.installed.cfg': '[buildout]', 'parts/x': '', '.buildout.lock': '1', 'bin/y': '' });
    expect(await inputsHash(root, options)).toBe(hash);
    write(root, { 'shared/config.json': '{"a":1}' });
    expect(await inputsHash(root, options)).not.toBe(hash);
  });

  test('without inputs the hash stands for the options alone', async () => {
    const root = project();
    const hash = await inputsHash(root, { inputs: '' });
    write(root, { 'pkg/src/a.txt': 'changed' });
    expect(await inputsHash(root, { inputs: '' })).toBe(hash);
  });

  test('reports a missing command, or command and install both set', async () => {
    const root = project();
    expect(await failure(async () => recipe.init!(await part(root, { command: '' }, 'init')))).toMatchObject({
      code: 'COMMAND_BAD_OPTION',
      message: 'no command to run: the command option is missing or empty',
      part: 'build',
    });
    expect(await failure(async () => recipe.init!(await part(root, { install: 'make' }, 'init')))).toMatchObject({
      code: 'COMMAND_BAD_OPTION',
      message: 'both command and install are set; they are the same option',
      part: 'build',
    });
    expect(await failure(async () => recipe.init!(await part(root, { env: 'oops' }, 'init')))).toMatchObject({
      code: 'COMMAND_BAD_OPTION',
    });
  });
});

describe('install', () => {
  test('runs the command in cwd with env, returns the outputs relative to the buildout directory, logs output at debug level', async () => {
    const root = project();
    const built = await part(root, { env: 'GREETING=hello there' });
    const paths = await recipe.install(built);
    expect(paths).toEqual(['pkg/dist', 'pkg/dist/a.txt', 'pkg/dist/b.txt']);
    expect(readFileSync(join(root, 'pkg/dist/a.txt'), 'utf8')).toBe('a');
    expect(JSON.parse(readFileSync(join(root, 'pkg/seen.json'), 'utf8'))).toEqual({ cwd: join(root, 'pkg'), greeting: 'hello there' });
    expect(built.logs).toEqual(
      expect.arrayContaining([
        { level: 'debug', message: '$ node build.mjs  (in pkg)' },
        { level: 'debug', message: 'built a.txt' },
        { level: 'debug', message: 'built b.txt' },
      ]),
    );
    expect(built.logs.filter((line) => line.level !== 'debug')).toEqual([]);
  });

  test('saves the input hash cache under the parts directory', async () => {
    const root = project();
    const built = await part(root, {});
    await recipe.install(built);
    const cache = JSON.parse(readFileSync(join(root, 'parts', HASH_CACHE_FILE), 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(cache.files).sort()).toEqual(['pkg/build.mjs', 'pkg/src/a.txt', 'pkg/src/b.txt'].map((path) => join(root, path)));
  });

  test('glob outputs are recorded file by file; an output that was not made is a warning', async () => {
    const root = project();
    const built = await part(root, { outputs: 'dist/*.txt\ncoverage' });
    expect(await recipe.install(built)).toEqual(['pkg/dist/a.txt', 'pkg/dist/b.txt']);
    expect(built.logs).toContainEqual({ level: 'warn', message: 'output coverage does not exist after the command ran' });
  });

  test('command lines run in order and stop at the first failure', async () => {
    const root = project();
    const built = await part(root, { command: "node -e \"require('fs').writeFileSync('one', '')\"\nexit 4\nnode build.mjs" });
    const error = await failure(() => recipe.install(built));
    expect(error).toMatchObject({ code: 'COMMAND_FAILED', message: expect.stringContaining('failed with exit code 4 (in pkg): exit 4') });
    expect(existsSync(join(root, 'pkg/one'))).toBe(true);
    expect(existsSync(join(root, 'pkg/dist'))).toBe(false);
  });

  test('a failing command fails the part with its exit code and the tail of its output', async () => {
    const root = project();
    const built = await part(root, { command: 'node fail.mjs' });
    const error = await failure(() => recipe.install(built));
    expect(error.code).toBe('COMMAND_FAILED');
    expect(error.part).toBe('build');
    const message = error.message as string;
    expect(message.split('\n')[0]).toBe('command failed with exit code 3 (in pkg): node fail.mjs');
    expect(message).toContain(`its last ${TAIL_LINES} lines of output:`);
    // stdout and stderr, the last 20 lines of them
    expect(message).toContain('    line 30\n    error: it broke');
    expect(message).toContain('    line 12\n');
    expect(message).not.toContain('line 11\n');
    expect(error.hint).toContain('-v');
  });

  test('what a failing command left of its outputs is registered, so buildout removes it', async () => {
    const root = project();
    const built = await part(root, { command: 'node build.mjs\nexit 1' });
    await failure(() => recipe.install(built));
    expect(built.registered).toEqual(['pkg/dist', 'pkg/dist/a.txt', 'pkg/dist/b.txt']);
  });

  test('a command killed by a signal says so; silence is said too', async () => {
    const root = project();
    const error = await failure(async () => recipe.install(await part(root, { command: 'kill -TERM $$' })));
    expect(error.message).toBe('command was killed by SIGTERM (in pkg): kill -TERM $$\n  it printed nothing');
  });

  test('a missing cwd is an option error', async () => {
    const root = project();
    const error = await failure(async () => recipe.install(await part(root, { cwd: 'nope' })));
    expect(error).toMatchObject({ code: 'COMMAND_BAD_OPTION', message: `cwd ${join(root, 'nope')} is not a folder` });
  });
});

describe('update (nothing changed)', () => {
  test('runs nothing by default and adds no path (what install recorded stays recorded)', async () => {
    const root = project();
    const built = await part(root, {});
    await recipe.install(built);
    rmSync(join(root, 'pkg/seen.json'));
    // A file put in an output folder since is not the part's: nothing ran that could have made it.
    write(root, { 'pkg/dist/notes.txt': 'mine' });
    expect(await recipe.update!(built)).toEqual([]);
    expect(existsSync(join(root, 'pkg/seen.json'))).toBe(false);
  });

  test('runs the update command when there is one, and returns what it made among the outputs', async () => {
    const root = project();
    const built = await part(root, {
      command: '',
      install: 'node build.mjs',
      update: "node -e \"require('fs').writeFileSync('dist/updated', '')\"",
    });
    await recipe.install(built);
    expect(existsSync(join(root, 'pkg/dist/updated'))).toBe(false);
    expect(await recipe.update!(built)).toEqual(['pkg/dist/updated']);
    expect(existsSync(join(root, 'pkg/dist/updated'))).toBe(true);
  });
});
