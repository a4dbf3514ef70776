/**
 * Every hook of the engine, typed in this one place. Plugins (and
 * `[buildout] extensions`) receive the engine and tap `engine.hooks`:
 *
 *   engine.hooks.afterPart.for('install').tapPromise('my-plugin', async (run, outcome) => { ... });
 *
 * Data flows files -> resolved sections (`configLoaded`) -> plan (`planMade`)
 * -> per part `beforePart` / `runPart` / `afterPart` (or `failure`) -> `runDone`.
 * The engine's own recipe runner is a tap of `runPart` named
 * `RECIPE_RUNNER`; a tap with a lower stage runs first and may return an
 * outcome to replace it, so an extension can wrap or observe any part.
 */
import { AsyncSeriesBailHook, AsyncSeriesHook, HookMap, SyncHook } from 'tapable';
import type { Buildout, BuildoutError, SourceLocation } from '@buildout/config';
import type { CacheSource, Part } from './recipe-api.js';
import type { Plan, PlannedStep } from './plan.js';
import type { LoadedRecipe } from './recipe-loader.js';

/** What happens to a part. `init` runs for every part before planning. */
export type PartAction = 'init' | 'install' | 'update' | 'uninstall';

/** One recipe call on its way through the hooks. */
export interface PartRun {
  readonly name: string;
  readonly action: PartAction;
  /** The object handed to the recipe. */
  readonly part: Part;
  /** Undefined only for an uninstall whose recipe can no longer be loaded (its paths are still removed). */
  readonly recipe: LoadedRecipe | undefined;
  /** Why the part is installed, updated or uninstalled; undefined for `init`. */
  readonly step: PlannedStep | undefined;
}

/** What a recipe call produced: the paths to record (install/update), none otherwise. */
export interface PartOutcome {
  readonly paths: readonly string[];
  /** Set when the recipe restored the outputs from a cache instead of building them. */
  readonly restored?: CacheSource | undefined;
}

export interface PartFinished {
  readonly outcome: PartOutcome;
  readonly durationMs: number;
}

export interface RunFailure {
  readonly error: BuildoutError;
  /** The part that failed, when a part did. */
  readonly run: PartRun | undefined;
  readonly durationMs: number;
}

export interface RunSummary {
  /** Every installed part, restored ones included. */
  readonly installed: readonly string[];
  readonly updated: readonly string[];
  /** Installed parts whose outputs came from a cache, by where they came from. */
  readonly restored: Readonly<Record<CacheSource, readonly string[]>>;
  /** Parts whose recipe defined other parts (meta-recipes such as `workspace`): they build nothing themselves. */
  readonly meta: readonly string[];
  readonly uninstalled: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: readonly string[];
  readonly durationMs: number;
}

export type LogLevel = 'debug' | 'info' | 'warn';

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  /** The part the message is about, if any. */
  readonly part: string | undefined;
  /** Where the option the message is about is set (`part.log.warn(message, { option })`). */
  readonly location?: SourceLocation | undefined;
  /** A recipe's message: the part's options as the recipe holds them now (an install may have set one), for plugins that mask secrets. */
  readonly options?: Readonly<Record<string, string>> | undefined;
}

export interface EngineHooks {
  /** The configuration is loaded and the extensions applied. */
  readonly configLoaded: AsyncSeriesHook<[Buildout]>;
  /** The plan is made (also for `plan` and `--dry-run`, which stop after it). */
  readonly planMade: AsyncSeriesHook<[Plan]>;
  /** Keyed by PartAction. */
  readonly beforePart: HookMap<AsyncSeriesHook<[PartRun]>>;
  /** Keyed by PartAction. The first tap returning an outcome wins; the recipe runner is one of them. */
  readonly runPart: HookMap<AsyncSeriesBailHook<[PartRun], PartOutcome | undefined>>;
  /** Keyed by PartAction. Runs after a part succeeded. */
  readonly afterPart: HookMap<AsyncSeriesHook<[PartRun, PartFinished]>>;
  /** A part failed (once per failed part), or the run failed outside any part. */
  readonly failure: AsyncSeriesHook<[RunFailure]>;
  /** An install is over (also when a part failed; not when it stopped before carrying out its plan). */
  readonly runDone: AsyncSeriesHook<[RunSummary]>;
  /** Messages of recipes (`part.log`) and of the engine. */
  readonly log: SyncHook<[LogRecord]>;
}

/** The name of the engine's own `runPart` tap, for `before:` in tap options. */
export const RECIPE_RUNNER = 'RecipeRunner';

export function createHooks(): EngineHooks {
  return Object.freeze({
    configLoaded: new AsyncSeriesHook<[Buildout]>(['buildout']),
    planMade: new AsyncSeriesHook<[Plan]>(['plan']),
    beforePart: new HookMap(() => new AsyncSeriesHook<[PartRun]>(['run'])),
    runPart: new HookMap(() => new AsyncSeriesBailHook<[PartRun], PartOutcome | undefined>(['run'])),
    afterPart: new HookMap(() => new AsyncSeriesHook<[PartRun, PartFinished]>(['run', 'finished'])),
    failure: new AsyncSeriesHook<[RunFailure]>(['failure']),
    runDone: new AsyncSeriesHook<[RunSummary]>(['summary']),
    log: new SyncHook<[LogRecord]>(['record']),
  });
}
