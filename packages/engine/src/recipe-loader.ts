/**
 * `recipe = ...` to a Recipe object, with the identity and version that go
 * into the part's signature.
 *
 * - `./recipes/x.mjs` (or .js, .ts, .mts; relative to the buildout directory):
 *   a local module; its version is a hash of its content.
 * - `NAME[:ENTRY]`: a recipe an installed npm package declares in its
 *   package.json, `"buildout": { "recipes": { "NAME[:ENTRY]": "./dist/x.js" } }`
 *   (zc.buildout's entry points); its version is `package@version`. Packages
 *   are found, in this order: a package named NAME; the dependencies of every
 *   package.json from the buildout directory upwards; the recipe packages the
 *   host (the CLI) bundles.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BuildoutError, type SourceLocation } from '@buildout/config';
import { asBuildoutError, EngineErrorCodes } from './errors.js';
import type { Recipe } from './recipe-api.js';
import { closestLocalRecipe, closestRecipe } from './recipe-suggestions.js';
import {
  contentHash,
  enclosingProjects,
  findPackage,
  importFile,
  isLocalSpec,
  readPackageJson,
  resolveLocal,
  type InstalledPackage,
} from './modules.js';

export interface LoadedRecipe {
  /** `recipe = ...` as written. */
  readonly spec: string;
  readonly recipe: Recipe;
  /** Identity and version: `@scope/package@1.2.0`, or `./recipes/x.mjs@sha256:…` for a local module. */
  readonly signature: string;
  /** The module file. */
  readonly file: string;
}

/** A recipe some package offers, for lookups and for the list in "unknown recipe" errors. */
interface OfferedRecipe {
  readonly key: string;
  readonly module: string;
  readonly from: InstalledPackage;
}

export interface RecipeLoaderOptions {
  /** The buildout directory. */
  readonly directory: string;
  /** Folders of recipe packages the host bundles, searched after the buildout's own (a function is called only when needed). */
  readonly bundledPackages?: readonly string[] | (() => readonly string[]) | undefined;
  /** Recipe objects by name, used before anything is looked up (tests, and hosts that embed the engine). */
  readonly given?: Readonly<Record<string, Recipe>> | undefined;
}

export class RecipeLoader {
  private readonly loaded = new Map<string, Promise<LoadedRecipe>>();
  private offered: OfferedRecipe[] | undefined;

  constructor(private readonly options: RecipeLoaderOptions) {}

  /** Loads (once per spec) the recipe a part names. Errors name the part and, when given, where the recipe option is. */
  load(spec: string, part: string, location?: SourceLocation): Promise<LoadedRecipe> {
    let loading = this.loaded.get(spec);
    if (!loading) {
      const given = this.options.given?.[spec];
      if (given) loading = Promise.resolve({ spec, recipe: given, file: `(the ${spec} recipe object)`, signature: `${spec}@given` });
      else loading = isLocalSpec(spec) ? this.loadLocal(spec) : this.loadFromPackage(spec);
      this.loaded.set(spec, loading);
    }
    return loading.catch((error: unknown) => {
      throw asBuildoutError(error, { code: EngineErrorCodes.RECIPE_INVALID, doing: `recipe ${spec} cannot be loaded`, part, location });
    });
  }

  private async loadLocal(spec: string): Promise<LoadedRecipe> {
    const file = resolveLocal(this.options.directory, spec);
    let source: Buffer;
    try {
      source = readFileSync(file);
    } catch {
      const meant = closestLocalRecipe(spec, file);
      throw new BuildoutError(EngineErrorCodes.RECIPE_NOT_FOUND, `recipe module ${spec} does not exist (looked for ${file})`, {
        hint: meant
          ? `did you mean recipe = ${meant}?`
          : 'local recipe paths are relative to the buildout directory and start with ./ or ../',
      });
    }
    const hash = contentHash(source);
    const recipe = await importRecipe(file, spec, hash);
    const name = relative(this.options.directory, file) || file;
    return { spec, recipe, file, signature: `${name}@sha256:${hash}` };
  }

  private async loadFromPackage(spec: string): Promise<LoadedRecipe> {
    const colon = spec.indexOf(':');
    const name = colon < 0 ? spec : spec.slice(0, colon);
    const entry = colon < 0 ? 'default' : spec.slice(colon + 1);
    const keys = entry === 'default' ? [name, `${name}:default`] : [`${name}:${entry}`];
    const found = this.find(name, keys);
    if (!found) {
      const offered = this.allOffered();
      const list = offered.length === 0 ? 'none' : offered.map((recipe) => `${recipe.key} (${describe(recipe.from)})`).join(', ');
      const meant = closestRecipe(
        spec,
        offered.map((recipe) => recipe.key),
      );
      throw new BuildoutError(EngineErrorCodes.RECIPE_NOT_FOUND, `unknown recipe '${spec}'${meant}; installed recipes: ${list}`, {
        hint: `install an npm package whose package.json declares "buildout": { "recipes": { "${keys[0]}": "./path/to/module.js" } }, or use a local module: recipe = ./recipes/x.mjs`,
      });
    }
    const file = join(found.from.directory, found.module);
    const recipe = await importRecipe(file, spec);
    return { spec, recipe, file, signature: describe(found.from) };
  }

  private find(name: string, keys: readonly string[]): OfferedRecipe | undefined {
    const named = findPackage(name, this.options.directory);
    if (named) {
      const match = offeredBy(named).find((recipe) => keys.includes(recipe.key));
      if (match) return match;
    }
    return this.allOffered().find((recipe) => keys.includes(recipe.key));
  }

  /** What every visible recipe package offers: the buildout's dependencies first, then the bundled packages. */
  private allOffered(): OfferedRecipe[] {
    if (this.offered) return this.offered;
    const packages: InstalledPackage[] = [];
    const seen = new Set<string>();
    const add = (installed: InstalledPackage | undefined): void => {
      if (!installed || seen.has(installed.directory)) return;
      seen.add(installed.directory);
      packages.push(installed);
    };
    for (const project of enclosingProjects(this.options.directory)) {
      const json = readPackageJson(project);
      const names = Object.keys({ ...json?.dependencies, ...json?.devDependencies, ...json?.optionalDependencies });
      for (const dependency of names) add(findPackage(dependency, project));
    }
    const bundled = this.options.bundledPackages;
    for (const directory of typeof bundled === 'function' ? bundled() : (bundled ?? [])) {
      const json = readPackageJson(directory);
      if (json) add({ directory, json });
    }
    this.offered = packages.flatMap(offeredBy);
    return this.offered;
  }
}

function offeredBy(installed: InstalledPackage): OfferedRecipe[] {
  const recipes = installed.json.buildout?.recipes ?? {};
  return Object.entries(recipes).map(([key, module]) => ({ key, module, from: installed }));
}

function describe(installed: InstalledPackage): string {
  return `${installed.json.name ?? installed.directory}@${installed.json.version ?? '0.0.0'}`;
}

async function importRecipe(file: string, spec: string, version?: string): Promise<Recipe> {
  let module: Record<string, unknown>;
  try {
    module = await importFile(file, version);
  } catch (error) {
    throw asBuildoutError(error, { code: EngineErrorCodes.RECIPE_INVALID, doing: `recipe ${spec} cannot be loaded`, hint: `fix ${file}` });
  }
  const recipe = module.default as Partial<Recipe> | undefined;
  if (!recipe || typeof recipe.install !== 'function') {
    throw new BuildoutError(
      EngineErrorCodes.RECIPE_INVALID,
      `recipe ${spec} (${file}) does not export a recipe: its default export needs an install(part) function`,
      {
        hint: 'export default defineRecipe({ install(part) { ...; return [createdPaths] } })',
      },
    );
  }
  for (const method of ['init', 'update', 'uninstall'] as const) {
    if (recipe[method] !== undefined && typeof recipe[method] !== 'function') {
      throw new BuildoutError(EngineErrorCodes.RECIPE_INVALID, `recipe ${spec} (${file}): ${method} must be a function`);
    }
  }
  const secrets: unknown = recipe.secretOptions;
  if (secrets !== undefined && !(Array.isArray(secrets) && secrets.every((option) => typeof option === 'string'))) {
    throw new BuildoutError(EngineErrorCodes.RECIPE_INVALID, `recipe ${spec} (${file}): secretOptions must be a list of option names`);
  }
  return recipe as Recipe;
}
