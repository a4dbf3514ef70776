/**
 * How option values from several layers (defaults, files of an extends chain,
 * command line) combine, exactly as zc.buildout 6 merges them: `=` overrides,
 * `+=` appends lines, `-=` removes equal lines. Every value keeps the history
 * of how it was made, for `annotate`.
 */
import { commandLineLocation, type SourceLocation } from './errors.js';
import type { ParsedSection } from './parse.js';
import type { Reference } from './references.js';
import type { HistoryEntry, ValueSource } from './types.js';

export interface Value {
  readonly value: string;
  /** The last step that made the value: how, its text (the lines added or removed, else the value) and where it came from. */
  readonly operation: HistoryEntry['operation'];
  readonly step: string;
  readonly source: ValueSource;
  /** The value that step applied to (none for `set`): the history is this chain, linked so merging copies nothing. */
  readonly previous: Value | undefined;
  /** Column where the value starts in its file (only for a value written on one line, as written). */
  readonly valueColumn: number | undefined;
  /** Its `${...}` references, found once, when first substituted (a macro's values serve every section built on it). */
  references: readonly Reference[] | undefined;
}

/**
 * A section of one layer. `add`/`remove` hold `+=`/`-=` operations not yet
 * applied: they survive merging only in sections that use a macro (`<`),
 * where they apply against the macro when the section is expanded.
 */
export interface LayerSection {
  readonly plain: Map<string, Value>;
  /** Never changed once the section is made (so most sections, which have none, share one empty map). */
  readonly add: ReadonlyMap<string, Value>;
  readonly remove: ReadonlyMap<string, Value>;
  /** Where the section was first written. */
  readonly location: SourceLocation | undefined;
}

export type Layer = Map<string, LayerSection>;

export const MACRO_OPTION = '<';

const IMPLICIT: ValueSource = { kind: 'implicit' };

export function newValue(value: string, source: ValueSource, valueColumn?: number): Value {
  return { value, operation: 'set', step: value, source, previous: undefined, valueColumn, references: undefined };
}

export function sourceOf(value: Value): ValueSource {
  return value.source;
}

/** How the value came to be, oldest step first. */
export function historyOf(value: Value): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (let step: Value | undefined = value; step; step = step.previous) {
    entries.push({ operation: step.operation, value: step.step, source: step.source });
  }
  return entries.reverse();
}

/**
 * Where the last step that came from a file or the command line was made, for
 * error messages; a command-line assignment is `command line: TEXT` (line 0).
 */
export function locationOf(value: Value): SourceLocation | undefined {
  for (let step: Value | undefined = value; step; step = step.previous) {
    if (step.source.kind === 'file') return step.source.location;
    if (step.source.kind === 'command-line' && step.source.assignment !== undefined) return commandLineLocation(step.source.assignment);
  }
  return undefined;
}

function override(lower: Value, higher: Value): Value {
  if (higher.operation === 'add' || higher.operation === 'remove') return higher;
  return { ...higher, operation: 'override', previous: lower };
}

function addLines(base: Value, added: Value): Value {
  const value = `${base.value}\n${added.value}`;
  return {
    value,
    operation: 'add',
    step: added.value,
    source: added.source,
    previous: base,
    valueColumn: undefined,
    references: undefined,
  };
}

function removeLines(base: Value, removed: Value): Value {
  const unwanted = new Set(removed.value.split('\n'));
  const value = base.value
    .split('\n')
    .filter((line) => !unwanted.has(line))
    .join('\n');
  return {
    value,
    operation: 'remove',
    step: removed.value,
    source: removed.source,
    previous: base,
    valueColumn: undefined,
    references: undefined,
  };
}

/** The operations of the sections that have none (most): a buildout of thousands of sections makes no map for them. */
const NO_OPERATIONS: ReadonlyMap<string, Value> = new Map();

export function emptySection(location?: SourceLocation): LayerSection {
  return { plain: new Map(), add: NO_OPERATIONS, remove: NO_OPERATIONS, location };
}

/** One file's sections (the parser has already merged same-name sections). */
export function layerFromParsed(sections: readonly ParsedSection[]): Layer {
  const layer: Layer = new Map();
  for (const parsed of sections) {
    const existing = layer.get(parsed.name);
    const plain = existing?.plain ?? new Map<string, Value>();
    let add: Map<string, Value> | undefined;
    let remove: Map<string, Value> | undefined;
    for (const option of parsed.options) {
      const value = newValue(option.value, { kind: 'file', location: option.location }, option.valueColumn || undefined);
      if (option.operator === '+=') {
        add ??= new Map(existing?.add);
        add.set(option.name, value);
      } else if (option.operator === '-=') {
        remove ??= new Map(existing?.remove);
        remove.set(option.name, value);
      } else plain.set(option.name, value);
    }
    layer.set(parsed.name, {
      plain,
      add: add ?? existing?.add ?? NO_OPERATIONS,
      remove: remove ?? existing?.remove ?? NO_OPERATIONS,
      location: existing?.location ?? parsed.location,
    });
  }
  return layer;
}

/**
 * zc.buildout's `_update_section`: the higher section's operations apply
 * against its own plain value of the same name first, then the lower
 * section's, then "" (so `x +=` onto nothing gives "\nv"); then its plain
 * values override.
 */
export function mergeSection(lower: LayerSection, higher: LayerSection): LayerSection {
  // The operations are never changed, so the result shares them.
  const result = { ...lower, plain: new Map(lower.plain) };
  mergePlain(result.plain, lower.plain, higher);
  return result;
}

/**
 * Applies `higher` onto `target` (which starts as a copy of `lower`): its
 * operations against its own plain value first, then `lower`'s, then "";
 * then its plain values and the results override.
 */
function mergePlain(target: Map<string, Value>, lower: ReadonlyMap<string, Value>, higher: LayerSection): void {
  const apply = (name: string, value: Value): void => {
    const existing = target.get(name);
    target.set(name, existing ? override(existing, value) : value);
  };
  if (higher.add.size === 0 && higher.remove.size === 0) {
    // forEach, not for-of: this runs once per section, mostly before the code is optimized.
    higher.plain.forEach((value, name) => {
      apply(name, value);
    });
    return;
  }
  // In the order of a copy of `higher.plain` with the operations' results set into it.
  const operated = (name: string): Value => {
    let value = higher.plain.get(name) ?? lower.get(name) ?? newValue('', IMPLICIT);
    const added = higher.add.get(name);
    if (added) value = addLines(value, added);
    const removed = higher.remove.get(name);
    if (removed) value = removeLines(value, removed);
    return value;
  };
  higher.plain.forEach((value, name) => {
    apply(name, higher.add.has(name) || higher.remove.has(name) ? operated(name) : value);
  });
  for (const name of higher.add.keys()) if (!higher.plain.has(name)) apply(name, operated(name));
  for (const name of higher.remove.keys()) if (!higher.plain.has(name) && !higher.add.has(name)) apply(name, operated(name));
}

/**
 * zc.buildout's `_update`: sections new to the lower layer have their
 * operations without a plain value of the same name turned into plain values
 * (`x += v` gives "v", `x -= v` gives ""), unless they use a macro, whose
 * operations wait for the macro expansion.
 */
export function mergeLayers(lower: Layer, higher: Layer): Layer {
  const result: Layer = new Map(lower);
  higher.forEach((section, name) => {
    const existing = result.get(name);
    if (existing) result.set(name, mergeSection(existing, section));
    // Sections are not changed once merged, so one without pending operations can be shared, and
    // so can one using a macro (its operations wait for the expansion, which makes a map of its own).
    else if ((section.add.size === 0 && section.remove.size === 0) || section.plain.has(MACRO_OPTION)) result.set(name, section);
    else result.set(name, mergeSection(emptySection(section.location), settleNewSection(section)));
  });
  return result;
}

function settleNewSection(section: LayerSection): LayerSection {
  const plain = new Map(section.plain);
  // The operations left waiting: those with a plain value of the same name.
  const add = new Map<string, Value>();
  const remove = new Map<string, Value>();
  for (const [name, added] of section.add) {
    if (plain.has(name)) add.set(name, added);
    else plain.set(name, added);
  }
  for (const [name, removed] of section.remove) {
    if (plain.has(name)) remove.set(name, removed);
    // zc.buildout records this as the value set, then removed from itself implicitly.
    else plain.set(name, removeLines(removed, newValue(removed.value, IMPLICIT)));
  }
  return { plain, add, remove, location: section.location };
}

/** Merges layers lowest first. */
export function mergeAll(layers: readonly Layer[], base: Layer = new Map()): Layer {
  return layers.reduce(mergeLayers, base);
}

/**
 * zc.buildout's `_do_extend_raw` step for one section: its bases (already
 * expanded, merged left to right) below, its own options (with operations)
 * above; `<` itself is dropped. One new map: this runs for every section
 * built on a macro.
 */
export function applyOverMacro(bases: ReadonlyMap<string, Value>, own: LayerSection): Map<string, Value> {
  const result = new Map(bases);
  mergePlain(result, bases, own);
  result.delete(MACRO_OPTION);
  return result;
}
