/**
 * `develop = DIR ...`: recipe packages used in place, whose identity in the
 * signature is a hash of their files; and the one-engine rule: a recipe
 * importing `@buildout/engine` gets the engine of the running command, both
 * from a develop folder that has a copy of its own and from the eggs folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildout as run, tree, type Result } from '../engine/cli.js';
import { recipePackage } from './registry.mjs';

const ENGINE = fileURLToPath(new URL('../../packages/engine', import.meta.url));
const ENGINE_VERSION = (JSON.parse(readFileSync(join(ENGINE, 'package.json'), 'utf8')) as { version: string }).version;
const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

function buildout(args: string[], cwd: string): Promise<Result> {
  // Offline: nothing may be fetched, develop packages need nothing.
  return run(['-U', '-o', ...args], cwd);
}

function succeeded(result: Result): Result {
  if (result.code !== 0) throw new Error(`buildout failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** A recipe that says whether an error thrown by the running engine is an instance of the BuildoutError it imports. */
const ENGINE_CHECK = `import { writeFileSync } from 'node:fs';
import { BuildoutError, defineRecipe } from '@buildout/engine';
export default defineRecipe({
  install(part) {
    let same = 'nothing thrown';
    try {
      part.buildout.get('no-such-section', 'x');
    } catch (error) {
      same = String(error instanceof BuildoutError) + ' ' + error.code;
    }
    writeFileSync('parts/engine.txt', same + '\\n');
    return ['parts/engine.txt'];
  },
  update() {},
});
`;

describe('develop packages', () => {
  it('are used in place; editing one reinstalls its parts, an unchanged one does not', async () => {
    const root = tree({
      ...Object.fromEntries(Object.entries(recipePackage('dev-recipe', '1.0.0')).map(([path, text]) => [`dev-recipe/${path}`, text])),
      'project/buildout.cfg': '[buildout]\ndevelop = ../dev-recipe\nparts = hello\n\n[hello]\nrecipe = dev-recipe\ntext = hi\n',
    });
    const project = join(root, 'project');
    const first = succeeded(await buildout([], project));
    expect(first.stdout).not.toMatch(/^Got /m);
    expect(read(project, 'parts/hello.txt')).toBe('dev-recipe@1.0.0 hi\n');
    const signature = /__buildout_signature__ = (dev-recipe@sha256:[0-9a-f]{16})/.exec(read(project, '.installed.cfg'))?.[1];
    expect(signature).toBeDefined();

    const unchanged = succeeded(await buildout([], project));
    expect(unchanged.stdout).not.toMatch(/^Installed hello/m);

    // Same version, edited code: a new identity, so the part is reinstalled with the new code.
    const recipe = join(root, 'dev-recipe/recipe.js');
    writeFileSync(recipe, readFileSync(recipe, 'utf8').replace("' ' + (part.options.text", "' edited ' + (part.options.text"));
    const edited = succeeded(await buildout([], project));
    expect(edited.stdout).toMatch(/^Uninstalled hello /m);
    expect(edited.stdout).toMatch(/^Installed hello /m);
    expect(read(project, 'parts/hello.txt')).toBe('dev-recipe@1.0.0 edited hi\n');
    expect(read(project, '.installed.cfg')).not.toContain(signature);
    // What is not part of the package (its node_modules) does not count.
    mkdirSync(join(root, 'dev-recipe/node_modules/x'), { recursive: true });
    writeFileSync(join(root, 'dev-recipe/node_modules/x/index.js'), '');
    expect(succeeded(await buildout([], project)).stdout).not.toMatch(/^Installed hello/m);
  }, 60_000);

  it('a develop folder that does not exist is an error naming the option; one without package.json is not a recipe package', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\ndevelop = ./missing\nparts = hello\n\n[hello]\nrecipe = command\ncommand = true\n',
      'python-egg/setup.py': '',
    });
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^buildout\.cfg:2:1: (part hello: )?develop folder \.\/missing does not exist/);
    writeFileSync(join(root, 'buildout.cfg'), read(root, 'buildout.cfg').replace('./missing', './python-egg'));
    succeeded(await buildout([], root));
  });
});

describe('one engine', () => {
  it('a develop recipe with its own copy of @buildout/engine gets the running engine', async () => {
    const root = tree({
      'checker/package.json': JSON.stringify({
        name: 'engine-checker',
        version: '1.0.0',
        type: 'module',
        buildout: { recipes: { 'engine-checker': './recipe.js' } },
        devDependencies: { '@buildout/engine': '*' },
      }),
      'checker/recipe.js': ENGINE_CHECK,
      'project/buildout.cfg': '[buildout]\ndevelop = ../checker\nparts = check\n\n[check]\nrecipe = engine-checker\n',
    });
    // Its own copy: the engine package of this repository, a different module from the command's bundle.
    mkdirSync(join(root, 'checker/node_modules/@buildout'), { recursive: true });
    symlinkSync(ENGINE, join(root, 'checker/node_modules/@buildout/engine'));
    succeeded(await buildout([], join(root, 'project')));
    expect(read(join(root, 'project'), 'parts/engine.txt')).toBe('true MISSING_SECTION\n');
  }, 60_000);

  it('a recipe package in eggs/ (a peer dependency on @buildout/engine) gets the running engine', async () => {
    const links = tree({});
    const source = tree({
      'package.json': JSON.stringify({
        name: 'engine-checker',
        version: '1.0.0',
        type: 'module',
        buildout: { recipes: { 'engine-checker': './recipe.js' } },
        peerDependencies: { '@buildout/engine': `^${ENGINE_VERSION}` },
      }),
      'recipe.js': ENGINE_CHECK,
    });
    const npmEnv = {
      npm_config_cache: join(links, 'npm-cache'),
      npm_config_userconfig: join(links, 'npmrc'),
      npm_config_update_notifier: 'false',
    };
    writeFileSync(join(links, 'npmrc'), '');
    const packed = execFileSync('npm', ['pack', '--pack-destination', links], {
      cwd: source,
      env: { ...process.env, ...npmEnv },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(packed).toContain('engine-checker-1.0.0.tgz');
    const project = tree({
      'buildout.cfg': `[buildout]\nfind-links = ${links}\nindex = http://127.0.0.1:9/\nparts = check\n\n[versions]\nengine-checker = 1.0.0\n\n[check]\nrecipe = engine-checker\n`,
    });
    // Online (npm installs from the tarball), but the index is a closed port: nothing else is fetched.
    const result = await run(['-U'], project, npmEnv);
    if (result.code !== 0) throw new Error(`buildout failed:\n${result.stdout}\n${result.stderr}`);
    expect(read(project, 'parts/engine.txt')).toBe('true MISSING_SECTION\n');
    expect(JSON.parse(read(project, 'eggs/node_modules/@buildout/engine/package.json')).buildout.engineModule).toMatch(/buildout\.mjs$/);
  }, 60_000);
});
