/**
 * The recipe API: everything a recipe module may rely on. A recipe knows this
 * file and nothing else of the engine.
 *
 * A recipe module's default export is a `Recipe`; write it with
 * `defineRecipe({...})` to get the types.
 */

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Every section of the buildout, resolved on access: `part.buildout[section][option]`. */
export type BuildoutView = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Where a part's outputs were restored from instead of being built. */
export type CacheSource = 'local' | 'remote';

export interface Part {
  /** The section name of the part. */
  readonly name: string;
  /**
   * The part's options, fully substituted. In `init` a recipe may add or change
   * options (`part.options.location = ...`); other parts see them as
   * `${name:location}` and they count in the part's signature. In `uninstall`
   * these are the options recorded when the part was installed.
   */
  readonly options: Record<string, string>;
  /** Every section, resolved lazily. Reading a missing section or option throws a BuildoutError. */
  readonly buildout: BuildoutView;
  /** The buildout directory (absolute); recipes run with it as working directory. */
  readonly directory: string;
  /** `buildout:offline` as a boolean. */
  readonly offline: boolean;
  /**
   * install/update: parts this one depends on that are out of date and were
   * left alone (`install --only`). What the part builds now comes from their
   * old state: it is rebuilt by the next full run and must not be cached.
   * Empty otherwise.
   */
  readonly staleDependencies: readonly string[];
  /**
   * Register paths as they are created, so that a failure half-way removes
   * them. Returns every path registered so far. Only valid in install/update.
   */
  created(...paths: string[]): string[];
  /**
   * install/update only: the outputs were restored from a cache instead of
   * being built (the run's summary counts the part as restored).
   */
  restoredFromCache(source: CacheSource): void;
  /**
   * init only: define a new section (raw values, `${...}` allowed); with
   * `{ part: true }` it is installed as a part too, after the parts it
   * references. This is how meta-recipes generate parts.
   */
  defineSection(name: string, options: Record<string, string>, settings?: { part?: boolean }): void;
  readonly log: Logger;
}

/** What install/update hand back: the paths the part created (files or folders). */
export type InstalledPaths = readonly string[] | string | void | undefined;

export interface Recipe {
  /** Runs for every part before anything is planned or installed (zc.buildout's recipe constructor). */
  init?(part: Part): void | Promise<void>;
  /** Creates the part; returns the paths it created. They are removed when the part is uninstalled. */
  install(part: Part): InstalledPaths | Promise<InstalledPaths>;
  /**
   * Runs when the part's signature did not change. Paths it returns are added
   * to the recorded ones. Without it, `install` runs again, with a warning
   * (as zc.buildout does).
   */
  update?(part: Part): InstalledPaths | Promise<InstalledPaths>;
  /** Runs before the recorded paths are removed. */
  uninstall?(part: Part): void | Promise<void>;
  /**
   * Plan time (`plan`, `install --dry-run`), for a part that would be
   * installed: whether install would restore its outputs from a cache rather
   * than build them. Must not change anything. The part is read-only.
   */
  cacheStatus?(part: Part): CacheSource | undefined | Promise<CacheSource | undefined>;
}

/** Identity function that gives a recipe object its types. */
export function defineRecipe<const R extends Recipe>(recipe: R): R {
  return recipe;
}
