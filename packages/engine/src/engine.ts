/**
 * The engine: files -> resolved sections -> plan -> hooks -> recipes ->
 * recorded state. `createEngine({ buildout })` gives an object whose frozen
 * `hooks` plugins tap (`engine.use(plugin)`, or `[buildout] extensions`);
 * `plan()` stops after planning, `install()` carries the plan out.
 */
import { BuildoutError, monotonicNow, words, type Buildout } from '@buildout/config';
import { withCacheStatus } from './cache-status.js';
import type { EngineOptions, EnginePlugin, InstallRequest, InstallResult, PlanRequest } from './engine-types.js';
import { asBuildoutError, EngineErrorCodes, interrupted, partFailure } from './errors.js';
import { loadExtensions } from './extensions.js';
import { createHooks, RECIPE_RUNNER, type EngineHooks, type LogRecord, type PartAction, type PartRun, type RunSummary } from './hooks.js';
import type { Lock } from './lock.js';
import { ownPaths } from './own-paths.js';
import { checkOwnPaths, createOwnFolders, takeLock } from './path-checks.js';
import { createInitPart, type PartEnvironment } from './part.js';
import { locateOption } from './option-location.js';
import {
  BUILDOUT_SECTION,
  dependencyClosure,
  orderParts,
  planActions,
  type PartOrder,
  type Plan,
  type SectionGraph,
  type WantedPart,
} from './plan.js';
import { partsByRecipe, RecipeLoader, type LoadedRecipe } from './recipe-loader.js';
import { RecipePackages } from './recipe-packages.js';
import { runRecipe } from './recipe-runner.js';
import { RecipeWatch } from './recipe-watch.js';
import { RemovalGuard } from './removal.js';
import { repairInterrupted } from './repair.js';
import { loadInstalledRecipes, secretOptionsOf } from './secret-options.js';
import { dispatch, executePlan, recordedPathExists, type ExecutionResult } from './run.js';
import { checkNamedPart, sectionGraph } from './section-graph.js';
import { orderState, refuseRecordNames, StateStore, type InstalledState } from './state.js';

export type { EngineOptions, EnginePlugin, InstallRequest, InstallResult, PlanRequest } from './engine-types.js';

/** The signal of a run nobody can interrupt. */
const NOT_INTERRUPTED = new AbortController().signal;

const ACTIONS: readonly PartAction[] = ['init', 'install', 'update', 'uninstall'];

export class Engine {
  readonly hooks: EngineHooks = createHooks();
  readonly buildout: Buildout;
  readonly directory: string;
  readonly jobs: number;
  private readonly loader: RecipeLoader;
  /** develop packages, [versions] pins and the eggs folder, for recipes and extensions. */
  readonly packages: RecipePackages;
  private readonly environment: PartEnvironment;
  /** Parts whose init defined parts (meta-recipes). */
  private readonly metaParts = new Set<string>();
  /** Stray errors and never-settling promises of recipe calls (see recipe-watch.ts). */
  private readonly watch = new RecipeWatch();
  private extensionsLoaded: Promise<void> | undefined;
  /** Recipe packages missing from eggs/ are fetched (not while `runInits` only looks at the configuration). */
  private fetchRecipes = true;
  private signal: AbortSignal = NOT_INTERRUPTED;
  /** The recipes of the wanted parts, once planned. */
  private recipes: ReadonlyMap<string, LoadedRecipe> = new Map();

  constructor(options: EngineOptions) {
    this.buildout = options.buildout;
    this.directory = options.buildout.directory;
    this.jobs = Math.max(1, Math.floor(options.jobs ?? 1));
    const log = (record: LogRecord): void => this.hooks.log.call(record);
    const currentSignal = (): AbortSignal => this.signal;
    this.packages = new RecipePackages(this.buildout, log, currentSignal);
    this.loader = new RecipeLoader({
      directory: this.directory,
      bundledPackages: options.bundledRecipePackages,
      given: options.recipes,
      packages: this.packages,
    });
    this.environment = {
      buildout: this.buildout,
      warned: new Set(),
      get offline() {
        return options.buildout.getBoolean(BUILDOUT_SECTION, 'offline', false);
      },
      get signal() {
        return currentSignal();
      },
      log,
    };
    for (const action of ACTIONS) {
      this.hooks.runPart.for(action).tapPromise(RECIPE_RUNNER, (run) => runRecipe(run, this.watch));
    }
  }

  /** Applies a plugin: it taps `engine.hooks`. */
  async use(plugin: EnginePlugin): Promise<void> {
    if (typeof plugin === 'function') await plugin(this);
    else await plugin.apply(this);
  }

  /** What `install` would do, without doing it (`plan`, `install --dry-run`): no lock is taken, nothing is written. */
  async plan(request: PlanRequest = {}): Promise<Plan> {
    checkOwnPaths(this.buildout);
    const { state } = new StateStore(this.installedFile()).load();
    const cwd = process.cwd();
    process.chdir(this.directory);
    this.watch.start();
    try {
      const { plan, wanted, recipes } = await this.prepare(request, state, this.removalGuard());
      const [stray] = this.watch.takeStrays();
      if (stray) throw stray;
      return await withCacheStatus(plan, wanted, recipes, this.environment, this.directory);
    } finally {
      this.watch.stop();
      process.chdir(cwd);
    }
  }

  /**
   * Runs every part's init without planning, so the sections meta-recipes
   * define exist in `buildout` (for `annotate` and `query` of generated parts).
   * Only recipes that are installed run: nothing is fetched for a look at the configuration.
   */
  async runInits(): Promise<void> {
    const cwd = process.cwd();
    process.chdir(this.directory);
    this.fetchRecipes = false;
    try {
      await this.applyExtensions();
      await this.initializeParts(sectionGraph(this.buildout), words(this.buildout.get(BUILDOUT_SECTION, 'parts')));
    } finally {
      this.fetchRecipes = true;
      process.chdir(cwd);
    }
  }

  private async applyExtensions(): Promise<void> {
    this.extensionsLoaded ??= loadExtensions(this);
    await this.extensionsLoaded;
    await this.hooks.configLoaded.promise(this.buildout);
  }

  /** zc.buildout's install: uninstall what is gone or changed, update the rest, install what is new. */
  async install(request: InstallRequest = {}): Promise<InstallResult> {
    const started = monotonicNow();
    const cwd = process.cwd();
    const signal = request.signal ?? NOT_INTERRUPTED;
    this.signal = signal;
    let lock: Lock | undefined;
    const releaseOnExit = (): void => lock?.release();
    let reported = false;
    this.watch.start();
    try {
      if (signal.aborted) throw interrupted(0, []);
      checkOwnPaths(this.buildout);
      lock = takeLock(this.directory);
      // A host that ends the process in the middle (a run that can never finish) still frees the directory.
      process.once('exit', releaseOnExit);
      if (lock.takenOverFrom !== undefined) {
        this.hooks.log.call({
          level: 'info',
          part: undefined,
          message: `took over the lock of an earlier run (pid ${lock.takenOverFrom}) that is no longer running`,
        });
      }
      const store = new StateStore(this.installedFile());
      const loaded = store.load();
      const state = new Map(loaded.state.parts);

      // As zc.buildout does, recipes may count on these folders existing.
      createOwnFolders(this.buildout);
      const guard = this.removalGuard();
      if (loaded.recovered) {
        repairInterrupted(guard, state, loaded.interrupted, this.environment);
        await store.save({ parts: state });
      }
      // Recipes run with the buildout directory as working directory (init included).
      process.chdir(this.directory);
      const { plan, wanted, recipes } = await this.prepare(request, { parts: state }, guard);
      if (signal.aborted)
        throw interrupted(
          0,
          plan.steps.filter((step) => step.action !== 'skip').map((step) => step.part),
        );
      const before = [...state.keys()].join(' ');
      let result: ExecutionResult;
      try {
        result = await executePlan(
          {
            hooks: this.hooks,
            directory: this.directory,
            environment: this.environment,
            store,
            state,
            wanted,
            recipes,
            loader: this.loader,
            jobs: this.jobs,
            meta: this.metaParts,
            guard,
            keepGoing: request.keepGoing === true,
            signal,
          },
          plan,
        );
      } finally {
        const ordered = orderState(state, plan.order);
        if (store.hasJournal || [...ordered.keys()].join(' ') !== before) await store.save({ parts: ordered });
      }
      this.packages.reportPicked();
      const strays = this.watch.takeStrays();
      for (const stray of strays) await this.hooks.failure.promise({ error: stray, run: undefined, durationMs: monotonicNow() - started });
      const errors = [...result.errors, ...strays];
      const summary: RunSummary = { ...result.summary, durationMs: monotonicNow() - started };
      await this.hooks.runDone.promise(summary);
      if (signal.aborted) {
        // What the interrupted parts said is not news; the interruption is.
        reported = true;
        const { installed, updated, uninstalled } = result.summary;
        throw interrupted(new Set([...installed, ...updated, ...uninstalled]).size, result.notStarted);
      }
      if (errors.length > 0) {
        // The failure hook has seen every part failure already.
        reported = true;
        throw errors[0];
      }
      return { plan, summary };
    } catch (error) {
      if (reported) throw error;
      await this.hooks.failure.promise({
        error: asBuildoutError(error, { code: EngineErrorCodes.RECIPE_FAILED }),
        run: undefined,
        durationMs: monotonicNow() - started,
      });
      throw error;
    } finally {
      this.watch.stop();
      process.chdir(cwd);
      process.off('exit', releaseOnExit);
      lock?.release();
      this.signal = NOT_INTERRUPTED;
    }
  }

  /** Built when needed: it resolves the real paths of buildout's own files as they are now. */
  private removalGuard(): RemovalGuard {
    return new RemovalGuard(this.directory, ownPaths(this.buildout));
  }

  /**
   * The options of a part whose values are secrets: those whose names look
   * secret and those its recipe declares (`Recipe.secretOptions`, known once
   * `plan` or `install` loaded the recipe). The CLI masks their values.
   */
  secretOptions(part: string): ReadonlySet<string> {
    return secretOptionsOf(this.buildout, part, this.recipes.get(part));
  }

  /** Loads the recipes of `buildout:parts` without running them (nothing fetched), so `secretOptions` knows what they declare (for `annotate`). */
  async loadSecretDeclarations(): Promise<void> {
    this.recipes = await loadInstalledRecipes(this.buildout, this.loader, this.recipes);
  }

  private installedFile(): string {
    return this.buildout.get(BUILDOUT_SECTION, 'installed');
  }

  private async prepare(
    request: PlanRequest,
    state: InstalledState,
    guard: RemovalGuard,
  ): Promise<{ plan: Plan; wanted: Map<string, WantedPart>; recipes: Map<string, LoadedRecipe> }> {
    guard.knowRecorded(state.parts);
    await this.applyExtensions();
    const graph = sectionGraph(this.buildout);
    const requested = request.parts === undefined || request.parts.length === 0 ? undefined : [...new Set(request.parts)];
    const listed = words(this.buildout.get(BUILDOUT_SECTION, 'parts'));
    // A named part may be one a meta-recipe defines in its init: those are checked once every init ran.
    for (const part of requested ?? []) if (graph.hasSection(part) && !listed.includes(part)) listed.push(part);

    let { partOrder, recipes } = await this.initializeParts(graph, listed);
    const missing = (requested ?? []).filter((part) => !partOrder.order.includes(part));
    if (missing.length > 0) {
      for (const part of missing) checkNamedPart(graph, part);
      ({ partOrder, recipes } = await this.initializeParts(graph, [...listed, ...missing], recipes));
    }
    const named =
      requested === undefined || request.only ? requested : [...requested, ...dependencyClosure(partOrder.dependencies, requested)];
    const wanted = new Map<string, WantedPart>();
    for (const part of partOrder.order) {
      const options = this.buildout.resolveSection(part);
      refuseRecordNames(part, options, this.buildout);
      wanted.set(part, { options, signature: recipes.get(part)!.signature });
    }
    const plan = planActions({
      ...partOrder,
      wanted,
      installed: state,
      named,
      pathExists: (path) => recordedPathExists(this.directory, path),
      judgeRemoval: (path, part) => guard.judge(path, part),
    });
    await this.hooks.planMade.promise(plan);
    return { plan, wanted, recipes };
  }

  /**
   * Orders the parts, loads their recipes and runs every init in part order.
   * Parts a meta-recipe defines in its init are installed as if listed right
   * after the part that defined them; they are ordered and initialized in turn.
   */
  private async initializeParts(
    graph: SectionGraph & { forget(): void },
    listed: string[],
    done?: Map<string, LoadedRecipe>,
  ): Promise<{ partOrder: PartOrder; recipes: Map<string, LoadedRecipe> }> {
    // Parts of `done` are initialized already (a second pass for parts named on the command line).
    const recipes = new Map(done);
    const initialized = new Set(recipes.keys());
    for (;;) {
      const partOrder = orderParts(graph, listed);
      const pending = partOrder.order.filter((part) => !initialized.has(part));
      await this.loadRecipes(
        pending.filter((part) => !recipes.has(part)),
        recipes,
      );
      // Known before any init runs: what an init logs, or fails with, has the options its recipe declares secret masked.
      this.recipes = recipes;
      const defined: { after: string; parts: string[] }[] = [];
      const initObserved = this.initObserved();
      for (const part of pending) {
        initialized.add(part);
        const recipe = recipes.get(part)!;
        // Nothing to run and nobody watching: skip building the part (this matters with thousands of parts).
        if (!recipe.recipe.init && !initObserved) continue;
        const parts = await this.initialize(part, recipe);
        if (parts.length > 0) {
          this.metaParts.add(part);
          defined.push({ after: part, parts });
        }
      }
      if (defined.length === 0) return { partOrder, recipes };
      graph.forget();
      for (const { after, parts } of defined) {
        const at = listed.indexOf(after);
        listed.splice(at < 0 ? listed.length : at + 1, 0, ...parts.filter((part) => !listed.includes(part)));
      }
    }
  }

  /** Loads the recipes of `parts` into `recipes`, each module once however many parts use it. */
  private async loadRecipes(parts: readonly string[], recipes: Map<string, LoadedRecipe>): Promise<void> {
    const users = partsByRecipe(parts, (part) => {
      const spec = this.buildout.get(part, 'recipe').trim();
      if (/\s/.test(spec)) {
        throw new BuildoutError(EngineErrorCodes.RECIPE_NOT_FOUND, `recipe ${JSON.stringify(spec)} is not one name`, {
          part,
          location: this.buildout.location(part, 'recipe'),
          hint: 'recipe = names one recipe: a package (name[:entry]) or a local module (./path.mjs)',
        });
      }
      return spec;
    });
    await Promise.all(
      [...users].map(async ([spec, [first, ...others]]) => {
        const loaded = await this.loader.load(spec, first!, this.buildout.location(first!, 'recipe'), { fetch: this.fetchRecipes });
        for (const part of [first!, ...others]) recipes.set(part, loaded);
      }),
    );
  }

  /** A plugin taps the init of parts (beyond the recipe runner). */
  private initObserved(): boolean {
    const { beforePart, runPart, afterPart } = this.hooks;
    return (
      (beforePart.get('init')?.isUsed() ?? false) ||
      (afterPart.get('init')?.isUsed() ?? false) ||
      (runPart.get('init')?.taps.length ?? 0) > 1
    );
  }

  /** Runs the recipe's init through the hooks; returns the parts it defined. */
  private async initialize(part: string, recipe: LoadedRecipe): Promise<string[]> {
    const init = createInitPart(this.environment, part, this.directory);
    const run: PartRun = { name: part, action: 'init', part: init.part, recipe, step: undefined };
    const started = monotonicNow();
    try {
      const outcome = await dispatch(this.hooks, run);
      await this.hooks.afterPart.get('init')?.promise(run, { outcome, durationMs: monotonicNow() - started });
    } catch (error) {
      throw locateOption(partFailure(error, run), this.buildout);
    }
    return init.defined.filter((section) => section.part).map((section) => section.name);
  }
}

export function createEngine(options: EngineOptions): Engine {
  return new Engine(options);
}
