/**
 * The planner, pure: which parts there are, in which order, and what happens
 * to each (install / update / uninstall / skip, and why). It reads the
 * configuration through `SectionGraph` and the recorded state through
 * `InstalledState`; it touches no file except through `pathExists`.
 */
import { BuildoutError, closest, type SourceLocation, PART_DEPENDENCIES } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';
import type { CacheSource } from './recipe-api.js';
import type { RemovalVerdict } from './removal.js';
import type { InstalledState } from './state.js';

/** Marks a recorded signature of a part built while one of its dependencies was out of date (`install --only`): it is rebuilt next time. */
export const STALE_SIGNATURE_PREFIX = 'stale-dependencies:';

/** The little the planner needs to know about sections (a `Buildout` provides it). */
export interface SectionGraph {
  hasSection(section: string): boolean;
  /** The section has a non-empty `recipe`. */
  hasRecipe(section: string): boolean;
  /** Option names of the section (for the `recipe` check and its did-you-mean). */
  optionNames(section: string): readonly string[];
  /** Sections the section's values refer to. */
  references(section: string): readonly string[];
  /** The part names of the section's `=>` line (`<part-dependencies>`). */
  partDependencies(section: string): readonly string[];
  location(section: string, option?: string): SourceLocation | undefined;
  /** Every section name, for did-you-mean hints; optional for small test graphs. */
  sectionNames?(): readonly string[];
}

/** `'web'` when a section with a recipe is named like the missing part `wbe`, for hints. */
export function closestPart(graph: SectionGraph, part: string): string | undefined {
  const names = graph.sectionNames?.() ?? [];
  return (
    closest(
      part,
      names.filter((name) => name !== BUILDOUT_SECTION && graph.hasRecipe(name)),
    ) ?? closest(part, names)
  );
}

export interface PartOrder {
  /** Every part, each once, dependencies first. */
  readonly order: readonly string[];
  /** For each part, the parts it needs installed before it (by reference or `=>`). */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

/** A hint that leads with the suggestion, when there is one. */
export function didYouMean(suggestion: string | undefined, otherwise: string): string {
  return suggestion ? `did you mean '${suggestion}'? (or ${otherwise})` : otherwise;
}

/** `[buildout]`: its references are resolved first, as zc.buildout initializes it before any part. */
export const BUILDOUT_SECTION = 'buildout';

/**
 * Part order: sections with a recipe reachable from `[buildout]`, then the
 * listed parts, each preceded (depth first) by the parts it depends on:
 * sections with a recipe that it references, directly or through sections
 * without a recipe, and its `=>` parts. Callers add parts named on the
 * command line or defined by meta-recipes to `listed`.
 */
export function orderParts(graph: SectionGraph, listed: readonly string[]): PartOrder {
  const dependencies = new Map<string, readonly string[]>();
  const order: string[] = [];
  const done = new Set<string>();
  // The chain being visited, and the same as a set: a 1,000-deep chain of references stays linear.
  const visiting: string[] = [];
  const inChain = new Set<string>();

  const dependenciesOf = (part: string): readonly string[] => {
    let found = dependencies.get(part);
    if (found) return found;
    const parts: string[] = [];
    for (const name of graph.partDependencies(part)) {
      if (!graph.hasSection(name)) {
        throw new BuildoutError(EngineErrorCodes.PART_NOT_FOUND, `part ${part} depends on '${name}' (=>), which is not a section`, {
          location: graph.location(part, PART_DEPENDENCIES) ?? graph.location(part),
          part,
          hint: `define [${name}] or remove it from the => line`,
        });
      }
      if (graph.hasRecipe(name) && name !== part && !parts.includes(name)) parts.push(name);
    }
    collectReferencedParts(graph, part, parts);
    found = parts;
    dependencies.set(part, found);
    return found;
  };

  const visit = (part: string): void => {
    if (done.has(part)) return;
    if (part === BUILDOUT_SECTION) throw buildoutAsPart(graph);
    if (!isFolderName(part)) throw notAFolderName(graph, part);
    if (inChain.has(part)) {
      const chain = [...visiting.slice(visiting.indexOf(part)), part];
      throw new BuildoutError(EngineErrorCodes.PART_CYCLE, `parts depend on each other in a cycle: ${chain.join(' -> ')}`, {
        location: graph.location(part),
        part,
        hint: 'a part cannot refer to (or => depend on) a part that refers back to it; break one of these references',
      });
    }
    visiting.push(part);
    inChain.add(part);
    for (const dependency of dependenciesOf(part)) visit(dependency);
    visiting.pop();
    inChain.delete(part);
    done.add(part);
    order.push(part);
  };

  if (graph.hasSection(BUILDOUT_SECTION)) {
    const fromBuildout: string[] = [];
    collectReferencedParts(graph, BUILDOUT_SECTION, fromBuildout);
    for (const part of fromBuildout) visit(part);
  }
  for (const part of listed) {
    if (part === BUILDOUT_SECTION) throw buildoutAsPart(graph);
    if (!graph.hasSection(part)) {
      throw new BuildoutError(EngineErrorCodes.PART_NOT_FOUND, `part '${part}' is listed in parts, but there is no section [${part}]`, {
        location: graph.location(BUILDOUT_SECTION, 'parts'),
        part,
        hint: didYouMean(closestPart(graph, part), `define [${part}] with a recipe, or remove '${part}' from buildout:parts`),
      });
    }
    // A listed section with an empty recipe is not a part (zc.buildout skips it); one without any is an error.
    if (graph.hasRecipe(part)) visit(part);
    else checkHasRecipeOption(graph, part);
  }
  return { order, dependencies };
}

/** `.installed.cfg` has a [buildout] section of its own (the installed parts): a part of that name would be merged into it. */
function buildoutAsPart(graph: SectionGraph): BuildoutError {
  return new BuildoutError(EngineErrorCodes.RESERVED_NAME, "[buildout] holds buildout's own settings and cannot be a part", {
    location: graph.location(BUILDOUT_SECTION, 'recipe') ?? graph.location(BUILDOUT_SECTION, 'parts'),
    part: BUILDOUT_SECTION,
    hint: 'move the recipe and its options to a section of their own, and list that section in buildout:parts',
  });
}

/** A name that, joined to a folder, names an entry right inside it: `parts/..` or `parts/../../x` would be the buildout's or anyone's. */
function isFolderName(part: string): boolean {
  return part !== '.' && part !== '..' && !part.includes('/') && !part.includes('\\');
}

function notAFolderName(graph: SectionGraph, part: string): BuildoutError {
  return new BuildoutError(EngineErrorCodes.BAD_PART_NAME, `part [${part}] has a name that cannot be a folder of its own in parts/`, {
    location: graph.location(part),
    part,
    hint: "recipes keep a part's files in parts/<part>: rename the section to a name that is not . or .. and has no / or \\",
  });
}

/** zc.buildout stops with `Missing option: hello:recipe`; a misspelt `recipie` gets a did-you-mean. */
function checkHasRecipeOption(graph: SectionGraph, part: string): void {
  const options = graph.optionNames(part);
  if (options.includes('recipe')) return;
  const misspelt = options.find((option) => closest(option, ['recipe']) !== undefined);
  throw new BuildoutError(EngineErrorCodes.NO_RECIPE, `[${part}] has no recipe option`, {
    location: (misspelt === undefined ? undefined : graph.location(part, misspelt)) ?? graph.location(part),
    part,
    hint:
      misspelt === undefined
        ? `add recipe = <recipe> to [${part}], or remove '${part}' from buildout:parts`
        : `did you mean recipe instead of ${misspelt}?`,
  });
}

/**
 * Adds to `parts` the sections with a recipe that `section` reaches through
 * its references, looking through sections without a recipe (but not through
 * `[buildout]`, which is resolved before everything else).
 */
function collectReferencedParts(graph: SectionGraph, section: string, parts: string[]): void {
  const seen = new Set<string>([section]);
  const pending = [...graph.references(section)];
  // A queue read by index: shift() would copy it once per reference.
  for (let index = 0; index < pending.length; index += 1) {
    const referenced = pending[index]!;
    if (seen.has(referenced)) continue;
    seen.add(referenced);
    // A reference to a missing section is the config's error to report, when the value is resolved.
    if (!graph.hasSection(referenced)) continue;
    if (graph.hasRecipe(referenced)) {
      if (!parts.includes(referenced)) parts.push(referenced);
    } else if (referenced !== BUILDOUT_SECTION) {
      pending.push(...graph.references(referenced));
    }
  }
}

export type StepAction = 'install' | 'update' | 'uninstall' | 'skip';

export interface OptionChange {
  readonly option: string;
  /** Undefined when the option is new. */
  readonly old: string | undefined;
  /** Undefined when the option was removed. */
  readonly new: string | undefined;
}

export type StepReason =
  | { readonly kind: 'new' }
  | {
      readonly kind: 'changed';
      readonly options: readonly OptionChange[];
      readonly recipe: { readonly old: string; readonly new: string } | undefined;
    }
  | { readonly kind: 'path-missing'; readonly path: string }
  /** Built by `install --only` while a dependency was out of date. */
  | { readonly kind: 'stale-dependencies' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'not-wanted' }
  | { readonly kind: 'not-named' };

export interface PlannedStep {
  readonly part: string;
  readonly action: StepAction;
  readonly reason: StepReason;
  /** Dependencies that are out of date but not touched (`install --only`): the part is built from their old state. */
  readonly staleDependencies?: readonly string[];
  /** Plan time only (`plan`, `--dry-run`): an install would restore the part from this cache instead of building it. */
  readonly cache?: CacheSource;
  /** Uninstall only: recorded paths outside the buildout directory that will be removed (set when there are any). */
  readonly outside?: readonly string[];
  /** Uninstall only: recorded paths that are buildout's own (or hold them), which are kept (set when there are any). */
  readonly kept?: readonly string[];
}

/** What a part of this buildout is now. */
export interface WantedPart {
  /** Fully resolved options, after every recipe's init. */
  readonly options: Readonly<Record<string, string>>;
  /** The recipe's identity and version (`name@version`, or a local module's content hash). */
  readonly signature: string;
}

export interface Plan {
  /** The parts of this buildout, dependencies first. */
  readonly order: readonly string[];
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /**
   * In reverse installed order: parts no longer wanted (these run first), and
   * changed parts (each runs right before its reinstall, when its turn comes).
   */
  readonly uninstall: readonly PlannedStep[];
  /** Install / update / skip for each part, in `order` (then recorded parts left alone). */
  readonly steps: readonly PlannedStep[];
  /** Only the parts named on the command line are touched. */
  readonly partial: boolean;
}

export interface PlanInput extends PartOrder {
  readonly wanted: ReadonlyMap<string, WantedPart>;
  readonly installed: InstalledState;
  /** `install p1 p2`: only these parts are touched. */
  readonly named: readonly string[] | undefined;
  /** Recorded paths are relative to the buildout directory or absolute. */
  readonly pathExists: (path: string) => boolean;
  /** What removing a recorded path would do (the removal guard); without it, uninstall steps list nothing. */
  readonly judgeRemoval?: ((path: string, part: string) => RemovalVerdict) | undefined;
}

export function planActions(input: PlanInput): Plan {
  const { installed, wanted } = input;
  const named = input.named === undefined ? undefined : new Set(input.named);
  const touched = (part: string): boolean => named === undefined || named.has(part);

  const steps: PlannedStep[] = [];
  const reinstalled = new Map<string, StepReason>();
  /** Parts left alone although they are out of date. */
  const stale = new Set<string>();
  for (const part of input.order) {
    const reason = installReason(input, part);
    if (!touched(part)) {
      if (reason) stale.add(part);
      steps.push({ part, action: 'skip', reason: { kind: 'not-named' } });
      continue;
    }
    const staleDependencies = stale.size === 0 ? [] : dependencyClosure(input.dependencies, [part]).filter((other) => stale.has(other));
    const extra = staleDependencies.length > 0 ? { staleDependencies } : {};
    if (reason && reason.kind !== 'new') reinstalled.set(part, reason);
    if (reason) steps.push({ part, action: 'install', reason, ...extra });
    else steps.push({ part, action: 'update', reason: { kind: 'unchanged' }, ...extra });
  }

  const uninstall: PlannedStep[] = [];
  const uninstallStep = (part: string, reason: StepReason): PlannedStep => {
    const step: PlannedStep = { part, action: 'uninstall', reason };
    if (!input.judgeRemoval) return step;
    const outside: string[] = [];
    const kept: string[] = [];
    for (const path of installed.parts.get(part)!.installed) {
      const verdict = input.judgeRemoval(path, part);
      if (verdict.kind === 'remove' && verdict.outside) outside.push(verdict.target);
      else if (verdict.kind === 'protected' || verdict.kind === 'unchecked') kept.push(verdict.target);
    }
    return { ...step, ...(outside.length > 0 ? { outside } : {}), ...(kept.length > 0 ? { kept } : {}) };
  };
  for (const part of installed.parts.keys()) {
    const reason = reinstalled.get(part);
    if (reason) uninstall.push(uninstallStep(part, reason));
    else if (!wanted.has(part)) {
      if (named === undefined) uninstall.push(uninstallStep(part, { kind: 'not-wanted' }));
      else steps.push({ part, action: 'skip', reason: { kind: 'not-named' } });
    }
  }
  // Uninstalls run in reverse installed order: dependents before what they depend on.
  uninstall.reverse();
  return { order: input.order, dependencies: input.dependencies, uninstall, steps, partial: named !== undefined };
}

/** Why the part must be (re)installed; undefined when an update will do. */
function installReason(input: PlanInput, part: string): StepReason | undefined {
  const now = input.wanted.get(part);
  if (!now) throw new Error(`planner: no resolved options for part ${part}`);
  const recorded = input.installed.parts.get(part);
  if (!recorded) return { kind: 'new' };
  if (recorded.signature.startsWith(STALE_SIGNATURE_PREFIX) && recorded.signature.slice(STALE_SIGNATURE_PREFIX.length) === now.signature)
    return { kind: 'stale-dependencies' };
  const options = diffOptions(recorded.options, now.options);
  const recipe = recorded.signature === now.signature ? undefined : { old: recorded.signature, new: now.signature };
  if (options.length > 0 || recipe) return { kind: 'changed', options, recipe };
  const missing = recorded.installed.find((path) => !input.pathExists(path));
  return missing === undefined ? undefined : { kind: 'path-missing', path: missing };
}

/** The parts and everything they depend on, directly or not (the parts themselves excluded unless reached again). */
export function dependencyClosure(dependencies: ReadonlyMap<string, readonly string[]>, parts: readonly string[]): string[] {
  const found = new Set<string>();
  const pending = parts.flatMap((part) => dependencies.get(part) ?? []);
  while (pending.length > 0) {
    const part = pending.pop()!;
    if (found.has(part)) continue;
    found.add(part);
    pending.push(...(dependencies.get(part) ?? []));
  }
  return [...found];
}

/** Changed, added and removed options, in a stable order (recorded options first). */
export function diffOptions(old: Readonly<Record<string, string>>, now: Readonly<Record<string, string>>): OptionChange[] {
  const changes: OptionChange[] = [];
  for (const option of Object.keys(old)) {
    const value = now[option];
    if (value !== old[option]) changes.push({ option, old: old[option], new: value });
  }
  for (const option of Object.keys(now)) {
    if (!Object.hasOwn(old, option)) changes.push({ option, old: undefined, new: now[option] });
  }
  return changes;
}
