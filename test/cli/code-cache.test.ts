/**
 * The command's bundle is compiled from the V8 code cache the build writes
 * (packages/cli/src/bundle-loader.ts): taken when it fits, refused without
 * harm when it does not, and left aside with -D so traces name the sources.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { temporaryFolder, tree } from '@buildout/testing';

const CLI = fileURLToPath(new URL('../../packages/cli/', import.meta.url));
const REPORT = fileURLToPath(new URL('./fixtures/report-code-cache.mjs', import.meta.url));
const VERSION = (await import('../../packages/cli/package.json', { with: { type: 'json' } })).default.version;

/** `node [NODE_ARGS] --import REPORT <cli>/bin.js ARGS` in `cwd`: exit code, output, and the cache status it reported. */
function run(cli: string, args: string[], cwd: string, nodeArgs: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeArgs, '--import', REPORT, join(cli, 'bin.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: cwd, BUNDLE_LOADER: pathToFileURL(join(cli, 'dist', 'bundle-loader.js')).href },
  });
  return { ...result, cache: /code cache: (\S+)/.exec(result.stderr)?.[1] };
}

/** A copy of the command's bin.js and dist/ (with its package.json, for --version). */
function copyOfCli(): string {
  const copy = join(temporaryFolder('buildout-code-cache-'), 'cli');
  mkdirSync(copy);
  copyFileSync(join(CLI, 'bin.js'), join(copy, 'bin.js'));
  copyFileSync(join(CLI, 'package.json'), join(copy, 'package.json'));
  cpSync(join(CLI, 'dist'), join(copy, 'dist'), { recursive: true });
  return copy;
}

describe('the code cache of the bundle', () => {
  it('is taken by a run of the built command', () => {
    const directory = tree({
      'buildout.cfg': '[buildout]\nparts = a\n\n[a]\nrecipe = ./recipe.mjs\nmessage = hello\n',
      'recipe.mjs': 'export default { install(part) { part.log.info(part.options.message); return []; } };\n',
    });
    const result = run(CLI, ['install'], directory);
    expect(result.stderr).not.toMatch(/Error|warning/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hello');
    expect(result.cache).toBe('accepted');
  });

  it('costs only time when it is damaged or missing: the bundle is compiled as usual', () => {
    const copy = copyOfCli();
    writeFileSync(join(copy, 'dist', 'buildout.cache'), Buffer.from('not a code cache '.repeat(100)));
    const damaged = run(copy, ['--version'], copy);
    expect([damaged.status, damaged.stdout, damaged.cache]).toEqual([0, `buildout ${VERSION}\n`, 'rejected']);
    rmSync(join(copy, 'dist', 'buildout.cache'));
    const missing = run(copy, ['--version'], copy);
    expect([missing.status, missing.stdout, missing.cache]).toEqual([0, `buildout ${VERSION}\n`, 'absent']);
  });

  it("leaves an interrupt budget given to node as it is (the cache, made under the command's own, is then refused)", () => {
    const result = run(CLI, ['--version'], CLI, ['--interrupt-budget=100000']);
    expect([result.status, result.stdout, result.cache]).toEqual([0, `buildout ${VERSION}\n`, 'rejected']);
  });

  it('is left aside with -D, so that a stack trace names the TypeScript sources', () => {
    const directory = tree({
      'buildout.cfg': '[buildout]\nparts = a\n\n[a]\nrecipe = ./recipe.mjs\n',
      'recipe.mjs': 'export default { install() { null.boom; } };\n',
    });
    const result = run(CLI, ['-D', 'install'], directory);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/packages\/engine\/src\/[\w-]+\.ts:\d+/);
    expect(result.stderr).not.toContain('buildout.cjs');
    expect(result.cache).toBe('unused');
  });
});
