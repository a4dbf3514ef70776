/** What `createEngine`, `plan()` and `install()` take and give (engine.ts). */
import type { Buildout } from '@buildout/config';
import type { Engine } from './engine.js';
import type { RunSummary } from './hooks.js';
import type { Plan } from './plan.js';
import type { Recipe } from './recipe-api.js';

/** A plugin: an object with `apply(engine)` (webpack style), or just that function. */
export type EnginePlugin =
  | { readonly name?: string; apply(engine: Engine): void | Promise<void> }
  | ((engine: Engine) => void | Promise<void>);

export interface EngineOptions {
  readonly buildout: Buildout;
  /** Folders of recipe packages the host bundles, searched after the buildout's own packages (a function is called only when needed). */
  readonly bundledRecipePackages?: readonly string[] | (() => readonly string[]) | undefined;
  /** Parts installed at once; 1 (the default) installs one after the other. */
  readonly jobs?: number | undefined;
  /** Recipe objects by name (`recipe = NAME`), used before any module is looked for: tests, and hosts that embed the engine. */
  readonly recipes?: Readonly<Record<string, Recipe>> | undefined;
}

export interface PlanRequest {
  /** `install p1 p2`: touch only these parts and (unless `only`) the parts they depend on. */
  readonly parts?: readonly string[] | undefined;
  /** `install --only p1`: leave the named parts' dependencies alone, even when they are out of date. */
  readonly only?: boolean | undefined;
}

export interface InstallRequest extends PlanRequest {
  /** After a part fails, go on with the parts that do not depend on it (`--keep-going`). */
  readonly keepGoing?: boolean | undefined;
  /**
   * Aborting it (the CLI does on SIGINT, SIGTERM, SIGHUP; the reason is the
   * signal's name) starts no new part and hands the abort to running recipes
   * as `part.signal`; the run ends with an INTERRUPTED error once they stopped.
   */
  readonly signal?: AbortSignal | undefined;
}

export interface InstallResult {
  readonly plan: Plan;
  readonly summary: RunSummary;
}
