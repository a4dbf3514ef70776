/**
 * The recipe API, version 1.0: everything a recipe module may rely on. A
 * recipe knows this file (and `BuildoutError`, re-exported by the engine) and
 * nothing else of the engine. docs/recipes.md describes the lifecycle.
 *
 * A recipe module's default export is a `Recipe`; write it with
 * `defineRecipe({...})` to get the types.
 */

/** The version of this API; the engine package has the same major version. */
export const RECIPE_API_VERSION = '1.0';

/** What a message is about: with `option`, it is shown with that option's file and line (`buildout.cfg:7:1: ...`). */
export interface LogSubject {
  readonly option?: string | undefined;
}

export interface Logger {
  info(message: string, about?: LogSubject): void;
  warn(message: string, about?: LogSubject): void;
  debug(message: string, about?: LogSubject): void;
}

/** Read access to every section of the buildout, substituted on access. */
export interface BuildoutAccess {
  /** The main configuration file: an absolute path, or a URL. */
  readonly configFile: string;
  /** Every local configuration file read (the main one, what it extends, user defaults): absolute paths. */
  readonly configFiles: readonly string[];
  /** The substituted value. Throws a BuildoutError (MISSING_SECTION, MISSING_OPTION, or a substitution error). */
  get(section: string, option: string): string;
  /** The substituted value, or `undefined` when the section or the option does not exist. */
  getOptional(section: string, option: string): string | undefined;
  /** Whether the section exists (with `option`: and has that option). */
  has(section: string, option?: string): boolean;
  /** Every option of a section, substituted. Throws MISSING_SECTION. */
  options(section: string): Readonly<Record<string, string>>;
  /** Every section name, in order of definition. */
  sections(): readonly string[];
}

/** How `part.defineSection` adds a section. */
export interface SectionSettings {
  /** Install the section as a part too (right after the part whose init defined it). */
  readonly part?: boolean | undefined;
  /** Parts this part is installed after (its dependencies); they need not be listed in buildout:parts. */
  readonly after?: readonly string[] | undefined;
}

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
  /**
   * Every section, resolved on access: `part.buildout.get('buildout', 'bin-directory')`.
   * (Indexing it, `part.buildout['buildout']['x']`, was API 0.x; it still works, with a warning.)
   */
  readonly buildout: BuildoutAccess;
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
   * uninstall only: true when the part is installed again right after (its
   * options or its recipe changed), false when it leaves the buildout. What a
   * reinstall takes over (a server left running) is kept only then.
   */
  readonly reinstalling: boolean;
  /**
   * Aborted when the run is interrupted (SIGINT, SIGTERM, SIGHUP; `reason` is
   * the signal's name). A recipe running a child process stops it (the
   * `command` recipe forwards the signal to the child's process group) and
   * returns or throws soon; no new part starts meanwhile.
   */
  readonly signal: AbortSignal;
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
   * init only: define a new section (raw values, `${...}` allowed). With
   * `{ part: true }` it is installed as a part too, after the parts it
   * references and the parts named in `after`. This is how meta-recipes
   * generate parts.
   */
  defineSection(name: string, options: Readonly<Record<string, string>>, settings?: SectionSettings): void;
  readonly log: Logger;
}

/** What install/update hand back: the paths the part created (files or folders). */
export type InstalledPaths = readonly string[] | string | void | undefined;

export interface Recipe {
  /**
   * Options whose values are secret (passwords, tokens): shown as *** in
   * plans, logs and errors. They are still recorded, and still count in the
   * part's signature. The CLI also masks any value containing them, and
   * options whose names look secret (`password`, `token`, `api-key`, ...)
   * without being listed; `--show-secrets` shows them all.
   */
  readonly secretOptions?: readonly string[];
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
   * A changed part is uninstalled right before it is installed again, and
   * every path it recorded is removed. A recipe whose install will put some
   * of them back itself, knowing their content (a restore from its cache),
   * names those here and the engine leaves them in place: it removes only the
   * other recorded paths. Install must then make every kept path what it
   * should be (rewrite what differs) or throw: a failure removes the kept
   * paths with the rest of the part, and a kept path install does not
   * record again is removed after it. Until install finishes the part stays
   * recorded with its old signature, so an interrupted run redoes it.
   *
   * Asked after the recorded recipe's `uninstall`, of the new recipe; `part`
   * is the object install receives next (the new options), `recorded` the
   * paths recorded so far. Undefined or `[]`: everything is removed.
   */
  keepForReinstall?(part: Part, recorded: readonly string[]): readonly string[] | undefined | Promise<readonly string[] | undefined>;
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

export { DEFAULT_CACHE_DIRECTORY, describeOwnPath, ownPaths, type OwnPath, type OwnPathRole, type OwnPathSource } from './own-paths.js';
export { ownPathOf } from './removal.js';
/** Helpers recipes share with the engine: option words, atomic file writes, paths as shown to people, "did you mean", Python's whitespace. */
export { closest, editDistance, isPythonSpace, relativeIfInside, temporarySibling, words, writeFileAtomic } from '@buildout/config';
