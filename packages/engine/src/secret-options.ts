/** Which options of a part hold secrets, for the CLI to mask: names that look secret, and what the part's recipe declares. */
import { BUILDOUT_SECTION } from './plan.js';
import { isSecretOptionName, words, type Buildout } from '@buildout/config';
import { partsByRecipe, type LoadedRecipe, type RecipeLoader } from './recipe-loader.js';

const NONE: ReadonlySet<string> = new Set();

export function secretOptionsOf(buildout: Buildout, part: string, recipe: LoadedRecipe | undefined): ReadonlySet<string> {
  const declared = recipe?.recipe.secretOptions;
  // Most parts have none: no set is made for them (this runs for every part of every plan).
  let secret = declared && declared.length > 0 ? new Set(declared) : undefined;
  if (buildout.hasSection(part)) {
    for (const option of buildout.optionNames(part)) {
      if (!isSecretOptionName(option)) continue;
      secret ??= new Set();
      secret.add(option);
    }
  }
  return secret ?? NONE;
}

/**
 * The recipes of the parts in `buildout:parts`, added to `known`, loaded but
 * not run. Nothing is fetched: only recipes already installed declare secrets;
 * one that cannot be loaded is left out (the commands that run it report that).
 */
export async function loadInstalledRecipes(
  buildout: Buildout,
  loader: RecipeLoader,
  known: ReadonlyMap<string, LoadedRecipe>,
): Promise<Map<string, LoadedRecipe>> {
  const recipes = new Map(known);
  const listed = words(buildout.getOptional(BUILDOUT_SECTION, 'parts') ?? '');
  const users = partsByRecipe(listed, (part) =>
    recipes.has(part) || !buildout.hasSection(part) ? undefined : buildout.getOptional(part, 'recipe')?.trim() || undefined,
  );
  await Promise.all(
    [...users].map(async ([spec, parts]) => {
      const loaded = await loader.load(spec, parts[0]!, undefined, { fetch: false }).catch(() => undefined);
      if (loaded) for (const part of parts) recipes.set(part, loaded);
    }),
  );
  return recipes;
}
