/**
 * `recipe = ...` to a Recipe object, with the identity and version that go
 * into the part's signature.
 *
 * - `./recipes/x.mjs` (or .js, .ts, .mts; relative to the buildout directory):
 *   a local module; its version is a hash of its content.
 * - `NAME[:ENTRY]`: a recipe an npm package declares in its
 *   package.json, `"buildout": { "recipes": { "NAME[:ENTRY]": "./dist/x.js" } }`
 *   (zc.buildout's entry points); its version is `package@version`. Packages
 *   are found, in this order: `develop` packages (version: a hash of their
 *   files); a package named NAME; the dependencies of every package.json from
 *   the buildout directory upwards; the recipe packages the host (the CLI)
 *   bundles; the package NAME in the eggs folder, fetched when missing
 *   (recipe-packages.ts). An installed package whose version differs from its
 *   `[versions]` pin is passed over.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildoutError, isBuildoutError, type SourceLocation } from '@buildout/config';
import { asBuildoutError, EngineErrorCodes } from './errors.js';
import type { Recipe } from './recipe-api.js';
import { describe, isPackageName, type RecipePackages, type UsedPackage } from './recipe-packages.js';
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

/** Errors of the eggs folder that mean the package is nowhere to be had. */
const MISSING = new Set<string>([EngineErrorCodes.PACKAGE_NOT_FOUND, EngineErrorCodes.PACKAGE_OFFLINE]);

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
  /** The package's identity in the signature (describe(from) unless it is a develop package). */
  readonly signature: string;
  /** One of the host's bundled packages: it imports the host's engine on its own. */
  readonly bundled: boolean;
}

export interface RecipeLoaderOptions {
  /** The buildout directory. */
  readonly directory: string;
  /** Folders of recipe packages the host bundles, searched after the buildout's own (a function is called only when needed). */
  readonly bundledPackages?: readonly string[] | (() => readonly string[]) | undefined;
  /** develop packages, pins and the eggs folder; without it only installed packages are found. */
  readonly packages?: RecipePackages | undefined;
  /** Recipe objects by name, used before anything is looked up (tests, and hosts that embed the engine). */
  readonly given?: Readonly<Record<string, Recipe>> | undefined;
}

export class RecipeLoader {
  private readonly loaded = new Map<string, Promise<LoadedRecipe>>();
  private offered: OfferedRecipe[] | undefined;

  constructor(private readonly options: RecipeLoaderOptions) {}

  /** Loads (once per spec) the recipe a part names. Errors name the part and, when given, where the recipe option is. */
  load(spec: string, part: string, location?: SourceLocation, settings: { fetch?: boolean } = {}): Promise<LoadedRecipe> {
    const fetch = settings.fetch ?? true;
    const key = fetch ? spec : `${spec}\0installed-only`;
    let loading = this.loaded.get(key);
    if (!loading) {
      const given = this.options.given?.[spec];
      if (given) loading = Promise.resolve({ spec, recipe: given, file: `(the ${spec} recipe object)`, signature: `${spec}@given` });
      else loading = isLocalSpec(spec) ? this.loadLocal(spec) : this.loadFromPackage(spec, fetch);
      this.loaded.set(key, loading);
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
    const recipe = await importRecipe(file, spec, undefined, hash);
    const name = relative(this.options.directory, file) || file;
    return { spec, recipe, file, signature: `${name}@sha256:${hash}` };
  }

  /** `fetch: false`: only what is installed, the eggs folder as it is (nothing is asked of a registry). */
  private async loadFromPackage(spec: string, fetch: boolean): Promise<LoadedRecipe> {
    const colon = spec.indexOf(':');
    const name = colon < 0 ? spec : spec.slice(0, colon);
    const entry = colon < 0 ? 'default' : spec.slice(colon + 1);
    const keys = entry === 'default' ? [name, `${name}:default`] : [`${name}:${entry}`];
    let found: OfferedRecipe | undefined;
    try {
      // A name close to an installed recipe is taken for a typo rather than fetched, unless it is pinned.
      const typo = () => this.meant(spec) !== '' && this.options.packages?.pin(name) === undefined;
      found = this.find(name, keys) ?? (typo() ? undefined : fetch ? await this.fetch(name, keys) : this.installedEgg(name, keys));
    } catch (error) {
      // Not installed, and the registry has none (or nothing may be downloaded): still an unknown recipe.
      if (!isBuildoutError(error) || !MISSING.has(error.code)) throw error;
      throw new BuildoutError(
        EngineErrorCodes.RECIPE_NOT_FOUND,
        `unknown recipe '${spec}'${this.meant(spec)}; installed recipes: ${this.listOffered()}; ${error.message}`,
        {
          hint: error.hint,
          cause: error,
        },
      );
    }
    if (!found) {
      throw new BuildoutError(
        EngineErrorCodes.RECIPE_NOT_FOUND,
        `unknown recipe '${spec}'${this.meant(spec)}; installed recipes: ${this.listOffered()}`,
        {
          hint: `install an npm package whose package.json declares "buildout": { "recipes": { "${keys[0]}": "./path/to/module.js" } }, or use a local module: recipe = ./recipes/x.mjs`,
        },
      );
    }
    checkDeclaration(found);
    const file = join(found.from.directory, found.module);
    const recipe = await importRecipe(file, spec, found.bundled ? undefined : found.from);
    return { spec, recipe, file, signature: found.signature };
  }

  private find(name: string, keys: readonly string[]): OfferedRecipe | undefined {
    const packages = this.options.packages;
    for (const developed of packages?.develop() ?? []) {
      const match = offeredBy(developed).find((recipe) => keys.includes(recipe.key));
      if (match) return match;
    }
    const accepted = (recipe: OfferedRecipe): boolean =>
      keys.includes(recipe.key) && (recipe.bundled || !packages || packages.accepts(recipe.from));
    const named = findPackage(name, this.options.directory);
    if (named) {
      const match = offeredBy({ installed: named, signature: describe(named) }).find(accepted);
      if (match) return match;
    }
    return this.allOffered().find(accepted);
  }

  /** `, did you mean 'x'?` when an installed recipe is close. */
  private meant(spec: string): string {
    return closestRecipe(
      spec,
      this.allOffered().map((recipe) => recipe.key),
    );
  }

  private listOffered(): string {
    const offered = this.allOffered();
    return offered.length === 0 ? 'none' : offered.map((recipe) => `${recipe.key} (${describe(recipe.from)})`).join(', ');
  }

  private installedEgg(name: string, keys: readonly string[]): OfferedRecipe | undefined {
    const egg = this.options.packages?.installedEgg(name);
    return egg ? offeredBy(egg).find((recipe) => keys.includes(recipe.key)) : undefined;
  }

  /** NAME from the eggs folder (fetched when missing); undefined when NAME cannot be a package. */
  private async fetch(name: string, keys: readonly string[]): Promise<OfferedRecipe | undefined> {
    const packages = this.options.packages;
    if (!packages || !isPackageName(name)) return undefined;
    const egg = await packages.egg(name);
    const offered = offeredBy(egg);
    const match = offered.find((recipe) => keys.includes(recipe.key));
    if (match) return match;
    throw new BuildoutError(
      EngineErrorCodes.RECIPE_NOT_FOUND,
      `package ${egg.signature} declares no recipe '${keys[0]}'; it offers: ${offered.map((recipe) => recipe.key).join(', ') || 'none'}`,
      {
        hint: `its package.json needs "buildout": { "recipes": { "${keys[0]}": "./path/to/module.js" } } (an object of names and module paths)`,
      },
    );
  }

  /** What every visible recipe package offers: the buildout's dependencies first, then the bundled packages. */
  private allOffered(): OfferedRecipe[] {
    if (this.offered) return this.offered;
    const packages: OfferedRecipe[][] = [];
    const seen = new Set<string>();
    const add = (installed: InstalledPackage | undefined, bundled = false): void => {
      if (!installed || seen.has(installed.directory)) return;
      seen.add(installed.directory);
      packages.push(offeredBy({ installed, signature: describe(installed) }, bundled));
    };
    for (const project of enclosingProjects(this.options.directory)) {
      const json = readPackageJson(project);
      const names = Object.keys({ ...json?.dependencies, ...json?.devDependencies, ...json?.optionalDependencies });
      for (const dependency of names) add(findPackage(dependency, project));
    }
    const bundled = this.options.bundledPackages;
    for (const directory of typeof bundled === 'function' ? bundled() : (bundled ?? [])) {
      const json = readPackageJson(directory);
      if (json) add({ directory, json }, true);
    }
    this.offered = packages.flat();
    return this.offered;
  }
}

/** Parts by the recipe they name (`specOf`; undefined leaves a part out), so each recipe is loaded once however many parts use it. */
export function partsByRecipe(parts: Iterable<string>, specOf: (part: string) => string | undefined): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const part of parts) {
    const spec = specOf(part);
    if (spec === undefined) continue;
    const using = users.get(spec);
    if (using) using.push(part);
    else users.set(spec, [part]);
  }
  return users;
}

function offeredBy(used: UsedPackage, bundled = false): OfferedRecipe[] {
  const recipes: unknown = used.installed.json.buildout?.recipes ?? {};
  // `"recipes": ["./index.mjs"]` names no recipe (its keys would be 0, 1, ...).
  if (typeof recipes !== 'object' || recipes === null || Array.isArray(recipes)) return [];
  return Object.entries(recipes).map(([key, module]) => ({ key, module, from: used.installed, signature: used.signature, bundled }));
}

/** A recipe's declaration names a module file of its package, or the load fails saying what the package.json should hold. */
function checkDeclaration(found: OfferedRecipe): void {
  const module: unknown = found.module;
  const problem =
    typeof module !== 'string' || module === ''
      ? 'that is not a path'
      : !existsSync(join(found.from.directory, module))
        ? `there is no such file in ${found.from.directory}`
        : undefined;
  if (problem === undefined) return;
  throw new BuildoutError(
    EngineErrorCodes.RECIPE_INVALID,
    `package ${found.signature} declares its recipe '${found.key}' as ${JSON.stringify(module)}: ${problem}`,
    { hint: `its package.json needs "buildout": { "recipes": { "${found.key}": "./path/to/module.js" } }, a module the package holds` },
  );
}

async function importRecipe(file: string, spec: string, from?: InstalledPackage, version?: string): Promise<Recipe> {
  let module: Record<string, unknown>;
  try {
    module = await importFile(file, version, from);
  } catch (error) {
    const at = frameIn(error, from?.directory ?? dirname(file));
    const doing = `recipe ${spec} cannot be loaded${at === undefined ? '' : ` (${at})`}`;
    throw asBuildoutError(error, { code: EngineErrorCodes.RECIPE_INVALID, doing, hint: `fix ${file}` });
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
  for (const method of ['init', 'update', 'uninstall', 'cacheStatus', 'keepForReinstall'] as const) {
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

/** Where in `folder` (the recipe's package, or its module's folder) an error thrown while importing was raised: `file:line:column`. */
function frameIn(error: unknown, folder: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const match of stack.matchAll(/(file:\/\/[^\s()]+?|\/[^\s()]+?):(\d+)(?::(\d+))?(?=\)|\s|$)/g)) {
    const path = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (path.startsWith(`${folder}${sep}`)) return `${path}:${match[2]}${match[3] === undefined ? '' : `:${match[3]}`}`;
  }
  return undefined;
}
