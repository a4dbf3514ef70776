/** At plan time, whether each part to install would be restored from a cache (`Recipe.cacheStatus`), for `plan --json` and `--dry-run`. */
import { partFailure } from './errors.js';
import { createReadOnlyPart, type PartEnvironment } from './part.js';
import type { Plan, PlannedStep, WantedPart } from './plan.js';
import type { LoadedRecipe } from './recipe-loader.js';

export async function withCacheStatus(
  plan: Plan,
  wanted: ReadonlyMap<string, WantedPart>,
  recipes: ReadonlyMap<string, LoadedRecipe>,
  environment: PartEnvironment,
  directory: string,
): Promise<Plan> {
  const steps = await Promise.all(
    plan.steps.map(async (step): Promise<PlannedStep> => {
      const recipe = recipes.get(step.part);
      if (step.action !== 'install' || !recipe?.recipe.cacheStatus) return step;
      const part = createReadOnlyPart(environment, step.part, directory, wanted.get(step.part)!.options);
      try {
        const cache = await recipe.recipe.cacheStatus(part);
        return cache ? { ...step, cache } : step;
      } catch (error) {
        throw partFailure(error, { name: step.part, action: 'cacheStatus', recipe });
      }
    }),
  );
  return { ...plan, steps };
}
