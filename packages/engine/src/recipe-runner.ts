/** The engine's own `runPart` tap (RECIPE_RUNNER): calls the recipe, watched for stray errors and promises that never settle. */
import type { PartOutcome, PartRun } from './hooks.js';
import { normalizePaths } from './part.js';
import type { RecipeWatch } from './recipe-watch.js';

export async function runRecipe(run: PartRun, watch: RecipeWatch): Promise<PartOutcome> {
  const recipe = run.recipe?.recipe;
  if (!recipe) return { paths: [] };
  const call = <T>(method: () => T | Promise<T>): Promise<T> => watch.run(run.name, run.action, method);
  switch (run.action) {
    case 'init':
      await call(() => recipe.init?.(run.part));
      return { paths: [] };
    case 'install':
      return { paths: normalizePaths(await call(() => recipe.install(run.part)), run.name, run.part.directory) };
    case 'update':
      if (recipe.update) return { paths: normalizePaths(await call(() => recipe.update!(run.part)), run.name, run.part.directory) };
      run.part.log.warn(`recipe ${run.recipe!.spec} has no update method; running its install again`);
      return { paths: normalizePaths(await call(() => recipe.install(run.part)), run.name, run.part.directory) };
    case 'uninstall':
      await call(() => recipe.uninstall?.(run.part));
      return { paths: [] };
  }
}
