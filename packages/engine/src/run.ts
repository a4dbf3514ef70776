/**
 * Carries out a plan: first uninstalls the parts that left `parts` (reverse
 * installed order), then installs and updates, up to `jobs` at once with
 * every part waiting for the parts it depends on. A changed part is
 * uninstalled when its turn comes, right before it is installed again, so a
 * failure or an interruption leaves the parts that did not start as they were;
 * recorded paths its recipe will write again itself (`keepForReinstall`) stay
 * in place meanwhile. One whose recipe has an uninstall of its own is
 * uninstalled before the parts it depends on change (run-order.ts).
 * Every recipe call goes through the hooks; every finished part is appended to
 * the journal at once, so a run killed at any point leaves a state the next
 * run can repair.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { monotonicNow, type BuildoutError } from '@buildout/config';
import { partFailure } from './errors.js';
import type { EngineHooks, PartOutcome, PartRun, RunSummary } from './hooks.js';
import type { CacheSource, Part } from './recipe-api.js';
import { createReadOnlyPart, createRunningPart, normalizePaths, type PartEnvironment, type RunningPart } from './part.js';
import { locateOption } from './option-location.js';
import { STALE_SIGNATURE_PREFIX, type Plan, type PlannedStep, type WantedPart } from './plan.js';
import type { LoadedRecipe, RecipeLoader } from './recipe-loader.js';
import type { RemovalGuard } from './removal.js';
import { runGraph, type RunNode } from './run-order.js';
import { Schedule } from './schedule.js';
import type { InstalledPart, StateStore } from './state.js';

export interface Execution {
  readonly hooks: EngineHooks;
  readonly directory: string;
  readonly environment: PartEnvironment;
  readonly store: StateStore;
  /** The recorded state, updated as parts finish. */
  readonly state: Map<string, InstalledPart>;
  readonly wanted: ReadonlyMap<string, WantedPart>;
  readonly recipes: ReadonlyMap<string, LoadedRecipe>;
  /** For uninstalling parts whose recipe is no longer used by a wanted part. */
  readonly loader: RecipeLoader;
  readonly jobs: number;
  /** Parts whose recipe defined other parts; the summary lists them apart. */
  readonly meta: ReadonlySet<string>;
  /** Every removal goes through it. */
  readonly guard: RemovalGuard;
  /** After a failure, go on with the parts that do not depend on the failed ones. */
  readonly keepGoing: boolean;
  /** Aborted by a signal: start no new part (running recipes see it as `part.signal`). */
  readonly signal: AbortSignal;
}

/** What a reinstall's uninstall leaves for the install: the Part it made for it, and the recorded paths it kept. */
interface Uninstalled {
  readonly running: RunningPart;
  readonly kept: ReadonlySet<string>;
}

export interface ExecutionResult {
  readonly summary: Omit<RunSummary, 'durationMs'>;
  /** Failures in the order they happened (BuildoutErrors, unless a plugin or the engine broke); the run failed if there is any. */
  readonly errors: readonly unknown[];
  /** Parts the plan would have touched that never started (after a failure or an interruption). */
  readonly notStarted: readonly string[];
}

export async function executePlan(execution: Execution, plan: Plan): Promise<ExecutionResult> {
  const { signal, keepGoing } = execution;
  const summary = {
    installed: [] as string[],
    updated: [] as string[],
    uninstalled: [] as string[],
    skipped: plan.steps.filter((step) => step.action === 'skip').map((step) => step.part),
    failed: [] as string[],
    restored: { local: [] as string[], remote: [] as string[] },
    meta: plan.order.filter((part) => execution.meta.has(part)),
  };
  const errors: unknown[] = [];
  const notStarted: string[] = [];
  const failed = (part: string, error: unknown): void => {
    summary.failed.push(part);
    errors.push(error);
  };

  // Uninstalls of changed parts wait for their reinstall; parts that left `parts` go first.
  const reinstallUninstalls = new Map(plan.uninstall.filter((step) => step.reason.kind !== 'not-wanted').map((step) => [step.part, step]));
  const leaving = plan.uninstall.filter((step) => !reinstallUninstalls.has(step.part));
  for (const [index, step] of leaving.entries()) {
    if (signal.aborted || (errors.length > 0 && !keepGoing)) {
      notStarted.push(...leaving.slice(index).map((left) => left.part));
      break;
    }
    const { error } = await uninstall(execution, step);
    if (error) failed(step.part, error);
    else summary.uninstalled.push(step.part);
  }

  const steps = plan.steps.filter((step) => step.action === 'install' || step.action === 'update');
  const graph = runGraph(steps, plan.dependencies, await withUninstallHooks(execution, [...reinstallUninstalls.values()]));
  const schedule = new Schedule(graph.nodes, graph.waitsFor);
  let running = 0;
  const stopped = (): boolean => signal.aborted || (errors.length > 0 && !keepGoing);
  const reinstallOf = new Map(steps.map((step) => [step.part, step]));
  /** Reinstalls whose uninstall ran apart (an 'uninstall-first' node): the Part it prepared and the paths it kept. */
  const uninstalledFirst = new Map<string, Uninstalled>();

  /** A changed part's uninstall before its reinstall: the Part install will get (the uninstall hands it to keepForReinstall). */
  const uninstallForReinstall = async (first: PlannedStep): Promise<Uninstalled | { error: unknown }> => {
    const running = startPart(execution, reinstallOf.get(first.part)!);
    const uninstalled = await uninstall(execution, first, running.part);
    if (uninstalled.error) return { error: uninstalled.error };
    summary.uninstalled.push(first.part);
    return { running, kept: uninstalled.kept };
  };
  const uninstallFirst = async (first: PlannedStep): Promise<{ error?: unknown }> => {
    const uninstalled = await uninstallForReinstall(first);
    if ('error' in uninstalled) return uninstalled;
    uninstalledFirst.set(first.part, uninstalled);
    return {};
  };

  const runStep = async (step: PlannedStep): Promise<{ error?: unknown; restored?: CacheSource | undefined }> => {
    let prepared = uninstalledFirst.get(step.part);
    const first = prepared ? undefined : reinstallUninstalls.get(step.part);
    if (first) {
      const uninstalled = await uninstallForReinstall(first);
      if ('error' in uninstalled) return uninstalled;
      prepared = uninstalled;
    }
    return installOrUpdate(execution, step, prepared?.running ?? startPart(execution, step), prepared?.kept ?? new Set());
  };
  const runNode = (node: RunNode): Promise<{ error?: unknown; restored?: CacheSource | undefined }> =>
    node.kind === 'uninstall-first' ? uninstallFirst(node.step) : runStep(node.step);

  await new Promise<void>((done) => {
    const startReady = (): void => {
      while (!stopped() && running < execution.jobs) {
        const node = schedule.next();
        if (!node) break;
        const { step } = node;
        running += 1;
        // A throwing failure/after tap or a bug of ours is not lost: it fails the run like a part would.
        void runNode(node)
          .catch((error: unknown) => ({ error }))
          .then(({ error, restored }: { error?: unknown; restored?: CacheSource }) => {
            running -= 1;
            if (restored) summary.restored[restored].push(step.part);
            if (error) failed(step.part, error);
            else {
              schedule.finished(node);
              if (node.kind === 'step') (step.action === 'install' ? summary.installed : summary.updated).push(step.part);
            }
            startReady();
          });
      }
      if (running === 0) done();
    };
    startReady();
  });
  // With --keep-going these are the parts that depend on a failed one.
  notStarted.push(...new Set(schedule.left().map((node) => node.step.part)));
  return { summary, errors, notStarted };
}

/**
 * The recipe's uninstall, then the removal of every recorded path. Before a
 * reinstall (`reinstalling` is the part install will get), the paths the new
 * recipe says it writes again itself are kept; the part then stays recorded
 * (with its old signature, so an interruption makes the next run redo it).
 */
async function uninstall(
  execution: Execution,
  step: PlannedStep,
  reinstalling?: Part,
): Promise<{ error?: BuildoutError | undefined; kept: ReadonlySet<string> }> {
  const { hooks, environment, state, store } = execution;
  const recorded = state.get(step.part)!;
  const started = monotonicNow();
  let recipe: LoadedRecipe | undefined;
  const spec = recorded.options.recipe;
  if (spec) {
    try {
      recipe = await execution.loader.load(spec, step.part);
    } catch (error) {
      // The files must go even when the recipe that made them is gone.
      environment.log({
        level: 'warn',
        part: step.part,
        message: `its recipe cannot be loaded (${(error as Error).message}); removing its files without the recipe's uninstall`,
      });
    }
  }
  const run: PartRun = {
    name: step.part,
    action: 'uninstall',
    part: createReadOnlyPart(environment, step.part, execution.directory, recorded.options, reinstalling !== undefined),
    recipe,
    step,
  };
  let kept: ReadonlySet<string> = new Set();
  try {
    await dispatch(hooks, run);
    if (reinstalling) kept = await keptForReinstall(execution, reinstalling, recorded.installed);
    for (const path of recorded.installed) if (!kept.has(path)) removePath(execution, path, step.part);
  } catch (error) {
    // Buildout's own failure to remove a path stays REMOVE_FAILED (a BuildoutError keeps its code), not the recipe's.
    const failure = partFailure(error, run);
    await hooks.failure.promise({ error: failure, run, durationMs: monotonicNow() - started });
    return { error: failure, kept: new Set() };
  }
  if (kept.size === 0) {
    state.delete(step.part);
    store.append({ op: 'remove', part: step.part });
  }
  return { error: await afterPart(hooks, run, { paths: [] }, started), kept };
}

/** The uninstalls whose recorded recipe has an uninstall of its own (one that cannot be loaded has none: its files are just removed). */
async function withUninstallHooks(execution: Execution, uninstalls: readonly PlannedStep[]): Promise<PlannedStep[]> {
  const found: PlannedStep[] = [];
  for (const step of uninstalls) {
    const spec = execution.state.get(step.part)?.options.recipe;
    if (!spec) continue;
    const recipe = await execution.loader.load(spec, step.part).catch(() => undefined);
    if (recipe?.recipe.uninstall) found.push(step);
  }
  return found;
}

/** The recorded paths the new recipe will write again itself (`Recipe.keepForReinstall`); only recorded ones count. */
async function keptForReinstall(execution: Execution, part: Part, recorded: readonly string[]): Promise<ReadonlySet<string>> {
  const recipe = execution.recipes.get(part.name);
  const ask = recipe?.recipe.keepForReinstall;
  if (!ask || recorded.length === 0) return new Set();
  let answer: unknown;
  try {
    answer = await ask.call(recipe.recipe, part, recorded);
  } catch (error) {
    throw partFailure(error, { name: part.name, action: 'keepForReinstall', recipe });
  }
  const named = new Set(normalizePaths(answer, part.name, part.directory));
  return new Set(recorded.filter((path) => named.has(path)));
}

/** The Part install or update receives (created before a reinstall's uninstall, which may hand it to `keepForReinstall`). */
function startPart(execution: Execution, step: PlannedStep): RunningPart {
  const { environment, store } = execution;
  const part = step.part;
  return createRunningPart(
    environment,
    part,
    execution.directory,
    execution.wanted.get(part)!.options,
    (paths) => store.append({ op: 'created', part, paths }),
    step.staleDependencies,
  );
}

/** `kept`: recorded paths the reinstall's uninstall left in place (the part is still recorded with them). */
async function installOrUpdate(
  execution: Execution,
  step: PlannedStep,
  running: RunningPart,
  kept: ReadonlySet<string>,
): Promise<{ error?: BuildoutError | undefined; restored?: CacheSource | undefined }> {
  const { hooks, environment, state, store } = execution;
  const part = step.part;
  const wanted = execution.wanted.get(part)!;
  const recorded = step.action === 'update' ? state.get(part) : undefined;
  // What a failure must remove with the part: an update's recorded paths, or what a reinstall kept.
  const leftover = recorded ?? (kept.size > 0 ? state.get(part) : undefined);
  const started = monotonicNow();
  const run: PartRun = {
    name: part,
    action: step.action as 'install' | 'update',
    part: running.part,
    recipe: execution.recipes.get(part),
    step,
  };
  let outcome: PartOutcome;
  try {
    outcome = await dispatch(hooks, run);
  } catch (error) {
    const failure = locateOption(partFailure(error, run), environment.buildout);
    // A failed install leaves nothing behind; a failed update drops the part and all its files.
    // The recipe's error is the one reported; a path that cannot be removed is a warning beside it.
    for (const path of running.registered()) cleanUp(execution, path, part);
    if (leftover) {
      for (const path of leftover.installed) cleanUp(execution, path, part);
      state.delete(part);
      store.append({ op: 'remove', part });
    } else if (running.registered().length > 0) {
      store.append({ op: 'discard', part });
    }
    await hooks.failure.promise({ error: failure, run, durationMs: monotonicNow() - started });
    return { error: failure };
  }
  const restored = outcome.restored ?? running.restored();
  const registered = running.registered();
  // The usual update adds no path: keep the recorded list (a no-op run of thousands of parts copies nothing).
  const paths =
    recorded && outcome.paths.length === 0 && registered.length === 0
      ? recorded.installed
      : unique([...(recorded?.installed ?? []), ...outcome.paths, ...registered]);
  // A kept path the install did not record again is no longer the part's: it goes, as the uninstall would have removed it.
  if (kept.size > 0) {
    const made = new Set(paths);
    for (const path of kept) if (!made.has(path)) cleanUp(execution, path, part);
  }
  // Built while a dependency it was not allowed to touch was out of date (install --only): the next run rebuilds it.
  const signature = step.staleDependencies ? `${STALE_SIGNATURE_PREFIX}${wanted.signature}` : wanted.signature;
  const record: InstalledPart = { options: wanted.options, installed: paths, signature };
  // A reinstall that kept its paths and ends as it was recorded (outputs restored as they were) has nothing new to record.
  const unchanged = kept.size > 0 && sameRecord(state.get(part), record);
  if (!unchanged && (!recorded || paths.length !== recorded.installed.length || recorded.signature !== signature)) {
    if (!recorded) state.delete(part);
    state.set(part, record);
    store.append({ op: 'record', part, state: record });
  }
  return { error: await afterPart(hooks, run, { paths, restored }, started), restored };
}

/** beforePart, then runPart (the recipe runner, unless a plugin answered first). */
export async function dispatch(hooks: EngineHooks, run: PartRun): Promise<PartOutcome> {
  await hooks.beforePart.get(run.action)?.promise(run);
  const outcome = await hooks.runPart.get(run.action)?.promise(run);
  return outcome ?? { paths: [] };
}

async function afterPart(hooks: EngineHooks, run: PartRun, outcome: PartOutcome, started: number): Promise<BuildoutError | undefined> {
  const durationMs = monotonicNow() - started;
  try {
    await hooks.afterPart.get(run.action)?.promise(run, { outcome, durationMs });
    return undefined;
  } catch (error) {
    // The part itself succeeded and stays recorded; the run still fails.
    const failure = partFailure(error, run);
    await hooks.failure.promise({ error: failure, run, durationMs });
    return failure;
  }
}

function removePath(execution: Execution, path: string, part: string): void {
  execution.guard.remove(path, part, guardLog(execution.environment));
}

function cleanUp(execution: Execution, path: string, part: string): void {
  try {
    removePath(execution, path, part);
  } catch (error) {
    execution.environment.log({ level: 'warn', part, message: (error as Error).message });
  }
}

/** The guard's warnings, as engine log records naming the part. */
export function guardLog(environment: PartEnvironment): { warn(part: string, message: string): void } {
  return { warn: (part, message) => environment.log({ level: 'warn', part, message }) };
}

export function recordedPathExists(directory: string, path: string): boolean {
  return existsSync(isAbsolute(path) ? path : resolve(directory, path));
}

function sameRecord(a: InstalledPart | undefined, b: InstalledPart): boolean {
  if (!a || a.signature !== b.signature || a.installed.length !== b.installed.length) return false;
  if (a.installed.some((path, index) => path !== b.installed[index])) return false;
  const names = Object.keys(a.options);
  return names.length === Object.keys(b.options).length && names.every((name) => a.options[name] === b.options[name]);
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}
