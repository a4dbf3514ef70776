import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildoutError } from '@buildout/config';
import { RecipeLoader } from './recipe-loader.js';
import { tree, write } from './__fixtures__/support.js';

const RECIPE = (label: string) => `export default { install() { return ['${label}']; } };\n`;

function recipePackage(name: string, version: string, recipes: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {
    [`node_modules/${name}/package.json`]: JSON.stringify({ name, version, buildout: { recipes } }),
  };
  for (const [key, module] of Object.entries(recipes)) files[`node_modules/${name}/${module}`] = RECIPE(`${name} ${key}`);
  return files;
}

async function installs(loader: RecipeLoader, spec: string): Promise<unknown> {
  const loaded = await loader.load(spec, 'part');
  return loaded.recipe.install({} as never);
}

async function failure(promise: Promise<unknown>): Promise<BuildoutError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BuildoutError) return error;
    throw error;
  }
  throw new Error('expected a BuildoutError');
}

describe('RecipeLoader', () => {
  it('loads a local module relative to the buildout directory; its version is a hash of its content', async () => {
    const root = tree({ 'recipes/x.mjs': RECIPE('local') });
    const loaded = await new RecipeLoader({ directory: root }).load('./recipes/x.mjs', 'part');
    expect(await loaded.recipe.install({} as never)).toEqual(['local']);
    expect(loaded.signature).toMatch(/^recipes\/x\.mjs@sha256:[0-9a-f]{16}$/);
    write(root, { 'recipes/x.mjs': RECIPE('edited') });
    const edited = await new RecipeLoader({ directory: root }).load('./recipes/x.mjs', 'part');
    expect(edited.signature).not.toBe(loaded.signature);
    expect(await edited.recipe.install({} as never)).toEqual(['edited']);
  });

  it('resolves NAME and NAME:ENTRY from the recipes a package declares; its version is package@version', async () => {
    const root = tree({
      'project/package.json': JSON.stringify({ dependencies: { 'recipe-pack': '1' } }),
      ...Object.fromEntries(
        Object.entries(recipePackage('recipe-pack', '1.2.3', { 'my.recipe': 'default.js', 'my.recipe:extra': 'extra.js' })).map(
          ([path, text]) => [`project/${path}`, text],
        ),
      ),
    });
    const loader = new RecipeLoader({ directory: join(root, 'project', 'deep', 'buildout') });
    expect(await installs(loader, 'my.recipe')).toEqual(['recipe-pack my.recipe']);
    expect(await installs(loader, 'my.recipe:extra')).toEqual(['recipe-pack my.recipe:extra']);
    expect((await loader.load('my.recipe', 'part')).signature).toBe('recipe-pack@1.2.3');
  });

  it('finds a package named like the recipe even when no package.json lists it', async () => {
    const root = tree(recipePackage('@scope/direct', '0.1.0', { '@scope/direct': 'index.js' }));
    expect(await installs(new RecipeLoader({ directory: root }), '@scope/direct')).toEqual(['@scope/direct @scope/direct']);
  });

  it('falls back to the packages the host bundles, after the buildout’s own', async () => {
    const root = tree({
      'package.json': JSON.stringify({ devDependencies: { mine: '1' } }),
      ...recipePackage('mine', '2.0.0', { shared: 'shared.js' }),
      ...Object.fromEntries(
        Object.entries(recipePackage('bundled', '1.0.0', { shared: 'shared.js', 'only.bundled': 'only.js' })).map(([path, text]) => [
          `host/${path}`,
          text,
        ]),
      ),
    });
    const loader = new RecipeLoader({ directory: root, bundledPackages: [join(root, 'host/node_modules/bundled')] });
    expect(await installs(loader, 'shared')).toEqual(['mine shared']);
    expect(await installs(loader, 'only.bundled')).toEqual(['bundled only.bundled']);
  });

  it('says which recipes are installed when one is unknown', async () => {
    const root = tree({
      'package.json': JSON.stringify({ dependencies: { pack: '1' } }),
      ...recipePackage('pack', '1.0.0', { 'a.b': 'x.js', 'a.b:c': 'y.js' }),
    });
    const error = await failure(
      new RecipeLoader({ directory: root }).load('a.b:nope', 'web', { file: 'buildout.cfg', line: 3, column: 1 }),
    );
    expect(error.code).toBe('RECIPE_NOT_FOUND');
    expect(error.part).toBe('web');
    expect(error.location).toEqual({ file: 'buildout.cfg', line: 3, column: 1 });
    expect(error.message).toBe("unknown recipe 'a.b:nope'; installed recipes: a.b (pack@1.0.0), a.b:c (pack@1.0.0)");
  });

  it('loads a TypeScript module, with a sibling .ts imported by its .js name', async () => {
    const root = tree({
      'recipes/typed.ts': "import { label } from './label.js';\nexport default { install(): string[] { return [label('typed')]; } };\n",
      'recipes/label.ts': 'export const label = (text: string): string => `${text}!`;\n',
    });
    const loaded = await new RecipeLoader({ directory: root }).load('./recipes/typed.ts', 'part');
    expect(await loaded.recipe.install({} as never)).toEqual(['typed!']);
    expect(loaded.signature).toMatch(/^recipes\/typed\.ts@sha256:/);
  });

  it('rejects a missing local module and a module without a recipe', async () => {
    const root = tree({ 'recipes/empty.mjs': 'export const nothing = 1;\n', 'recipes/broken.mjs': 'export default {;\n' });
    const loader = new RecipeLoader({ directory: root });
    expect(await failure(loader.load('./recipes/missing.mjs', 'p'))).toMatchObject({ code: 'RECIPE_NOT_FOUND', part: 'p' });
    const empty = await failure(loader.load('./recipes/empty.mjs', 'p'));
    expect(empty.code).toBe('RECIPE_INVALID');
    expect(empty.message).toContain('needs an install(part) function');
    expect(await failure(loader.load('./recipes/broken.mjs', 'p'))).toMatchObject({
      code: 'RECIPE_INVALID',
      message: expect.stringContaining('cannot be loaded'),
    });
  });

  it('rejects optional methods that are not functions, keepForReinstall and cacheStatus included', async () => {
    const root = tree({
      'recipes/keep.mjs': "export default { install() {}, keepForReinstall: ['dist'] };\n",
      'recipes/status.mjs': "export default { install() {}, cacheStatus: 'local' };\n",
    });
    const loader = new RecipeLoader({ directory: root });
    expect(await failure(loader.load('./recipes/keep.mjs', 'p'))).toMatchObject({
      code: 'RECIPE_INVALID',
      message: expect.stringContaining('keepForReinstall must be a function'),
    });
    expect(await failure(loader.load('./recipes/status.mjs', 'p'))).toMatchObject({
      code: 'RECIPE_INVALID',
      message: expect.stringContaining('cacheStatus must be a function'),
    });
  });
});
