/** `buildout init --recipe`: the package it writes passes its own tests against this checkout's packages. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ls, read, removeTemporaryFolders, runCli, tree, write } from '@buildout/testing';

afterEach(removeTemporaryFolders);

const REPO = fileURLToPath(new URL('..', import.meta.url));

/** What `npm install` would put in node_modules, taken from this checkout (the registry has no @buildout packages). */
function linkCheckout(folder: string): void {
  mkdirSync(join(folder, 'node_modules/@buildout'), { recursive: true });
  for (const name of ['cli', 'config', 'engine', 'testing'])
    symlinkSync(join(REPO, 'packages', name), join(folder, 'node_modules/@buildout', name));
  symlinkSync(join(REPO, 'node_modules/vitest'), join(folder, 'node_modules/vitest'));
}

describe('buildout init --recipe', () => {
  it('writes a recipe package whose npm test passes', async () => {
    const cwd = tree();
    const made = await runCli(['init', '--recipe', '@acme/hello-recipe'], { cwd });
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    const folder = join(cwd, 'hello-recipe');
    expect(made.stdout).toBe(
      `Created recipe package @acme/hello-recipe in ${folder}: package.json, tsconfig.json, src/recipe.ts, test/recipe.test.ts, README.md\nNext: cd ${folder} && npm install && npm test\n`,
    );
    expect(ls(folder)).toEqual(['README.md', 'package.json', 'src/', 'test/', 'tsconfig.json']);
    const json = JSON.parse(read(folder, 'package.json'));
    expect(json).toMatchObject({
      name: '@acme/hello-recipe',
      type: 'module',
      buildout: { recipes: { '@acme/hello-recipe': './src/recipe.ts' } },
      scripts: { test: 'vitest run' },
      devDependencies: { '@buildout/engine': '^1.0.0', '@buildout/testing': '^1.0.0' },
    });
    expect(read(folder, 'test/recipe.test.ts')).toContain("from '@buildout/testing'");

    linkCheckout(folder);
    const npmTest = spawnSync(process.execPath, [join(folder, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: folder,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: folder, NO_COLOR: '1' },
    });
    expect(npmTest.stdout).toMatch(/Tests\s+3 passed \(3\)/);
    expect(npmTest.status).toBe(0);

    // The scaffold's tests can fail: a recipe that writes the wrong text fails them.
    write(folder, 'src/recipe.ts', read(folder, 'src/recipe.ts').replace('`${text}\\n`', '`${text}!\\n`'));
    const broken = spawnSync(process.execPath, [join(folder, 'node_modules/vitest/vitest.mjs'), 'run'], {
      cwd: folder,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: folder, NO_COLOR: '1' },
    });
    expect(broken.status).not.toBe(0);
  }, 60_000);

  it('refuses a name npm would refuse, and a folder that has files', async () => {
    const cwd = tree({ 'taken/file.txt': 'x' });
    const bad = await runCli(['init', '--recipe', 'Hello World'], { cwd });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('init --recipe: "Hello World" is not a package name');
    const taken = await runCli(['init', '--recipe', 'hello', 'taken'], { cwd });
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toContain(`${join(cwd, 'taken')} already exists and is not empty`);
    expect(ls(cwd)).toEqual(['taken/']);
  });
});
