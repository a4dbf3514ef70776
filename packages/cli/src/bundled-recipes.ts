import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** Recipe packages that ship with the command, so `recipe = collective.recipe.supervisor` resolves from any buildout. */
const BUNDLED = ['@buildout/recipe-supervisor', '@buildout/recipe-command'];

export function bundledRecipePackages(): string[] {
  const require = createRequire(import.meta.url);
  return BUNDLED.map((name) => dirname(require.resolve(`${name}/package.json`)));
}
