/**
 * How option values from several layers (defaults, files of an extends chain,
 * command line) combine, exactly as zc.buildout 6 merges them: `=` overrides,
 * `+=` appends lines, `-=` removes equal lines. Every value keeps the history
 * of how it was made, for `annotate`.
 */
import { commandLineLocation, type SourceLocation } from './errors.js';
import type { ParsedSection } from './parse.js';
import type { HistoryEntry, ValueSource } from './types.js';

export interface Value {
  readonly value: string;
  readonly history: readonly HistoryEntry[];
  /** Column where the value starts in its file (only for a value written on one line, as written). */
  readonly valueColumn?: number | undefined;
}

/**
 * A section of one layer. `add`/`remove` hold `+=`/`-=` operations not yet
 * applied: they survive merging only in sections that use a macro (`<`),
 * where they apply against the macro when the section is expanded.
 */
export interface LayerSection {
  readonly plain: Map<string, Value>;
  readonly add: Map<string, Value>;
  readonly remove: Map<string, Value>;
  /** Where the section was first written. */
  readonly location: SourceLocation | undefined;
}

export type Layer = Map<string, LayerSection>;

export const MACRO_OPTION = '<';

const IMPLICIT: ValueSource = { kind: 'implicit' };

export function newValue(value: string, source: ValueSource, valueColumn?: number): Value {
  return { value, history: [{ operation: 'set', value, source }], valueColumn };
}

export function sourceOf(value: Value): ValueSource {
  return value.history[value.history.length - 1]!.source;
}

/**
 * Where the last step that came from a file or the command line was made, for
 * error messages; a command-line assignment is `command line: TEXT` (line 0).
 */
export function locationOf(value: Value): SourceLocation | undefined {
  for (let index = value.history.length - 1; index >= 0; index--) {
    const source = value.history[index]!.source;
    if (source.kind === 'file') return source.location;
    if (source.kind === 'command-line' && source.assignment !== undefined) return commandLineLocation(source.assignment);
  }
  return undefined;
}

function override(lower: Value, higher: Value): Value {
  const last = higher.history[higher.history.length - 1]!;
  if (last.operation === 'add' || last.operation === 'remove') return higher;
  return { value: higher.value, history: [...lower.history, { ...last, operation: 'override' }], valueColumn: higher.valueColumn };
}

function addLines(base: Value, added: Value): Value {
  return {
    value: `${base.value}\n${added.value}`,
    history: [...base.history, { operation: 'add', value: added.value, source: sourceOf(added) }],
  };
}

function removeLines(base: Value, removed: Value): Value {
  const unwanted = new Set(removed.value.split('\n'));
  return {
    value: base.value
      .split('\n')
      .filter((line) => !unwanted.has(line))
      .join('\n'),
    history: [...base.history, { operation: 'remove', value: removed.value, source: sourceOf(removed) }],
  };
}

export function emptySection(location?: SourceLocation): LayerSection {
  return { plain: new Map(), add: new Map(), remove: new Map(), location };
}

function copySection(section: LayerSection): LayerSection {
  return { plain: new Map(section.plain), add: new Map(section.add), remove: new Map(section.remove), location: section.location };
}

/** One file's sections (the parser has already merged same-name sections). */
export function layerFromParsed(sections: readonly ParsedSection[]): Layer {
  const layer: Layer = new Map();
  for (const parsed of sections) {
    let section = layer.get(parsed.name);
    if (!section) {
      section = emptySection(parsed.location);
      layer.set(parsed.name, section);
    }
    for (const option of parsed.options) {
      const value = newValue(option.value, { kind: 'file', location: option.location }, option.valueColumn || undefined);
      const target = option.operator === '+=' ? section.add : option.operator === '-=' ? section.remove : section.plain;
      target.set(option.name, value);
    }
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
  const result = copySection(lower);
  mergePlain(result.plain, lower.plain, higher);
  return result;
}

/**
 * Applies `higher` onto `target` (which starts as a copy of `lower`): its
 * operations against its own plain value first, then `lower`'s, then "";
 * then its plain values and the results override.
 */
function mergePlain(target: Map<string, Value>, lower: ReadonlyMap<string, Value>, higher: LayerSection): void {
  let applied: ReadonlyMap<string, Value> = higher.plain;
  if (higher.add.size > 0 || higher.remove.size > 0) {
    const withOperations = new Map(higher.plain);
    const implicit = newValue('', IMPLICIT);
    for (const name of operationNames(higher)) {
      const added = higher.add.get(name);
      if (added) withOperations.set(name, addLines(withOperations.get(name) ?? lower.get(name) ?? implicit, added));
      const removed = higher.remove.get(name);
      if (removed) withOperations.set(name, removeLines(withOperations.get(name) ?? lower.get(name) ?? implicit, removed));
    }
    applied = withOperations;
  }
  for (const [name, value] of applied) {
    const existing = target.get(name);
    target.set(name, existing ? override(existing, value) : value);
  }
}

function operationNames(section: LayerSection): Set<string> {
  return new Set([...section.add.keys(), ...section.remove.keys()]);
}

/**
 * zc.buildout's `_update`: sections new to the lower layer have their
 * operations without a plain value of the same name turned into plain values
 * (`x += v` gives "v", `x -= v` gives ""), unless they use a macro, whose
 * operations wait for the macro expansion.
 */
export function mergeLayers(lower: Layer, higher: Layer): Layer {
  const result: Layer = new Map(lower);
  for (const [name, section] of higher) {
    const existing = result.get(name);
    if (existing) result.set(name, mergeSection(existing, section));
    // Sections are not changed once merged, so one without pending operations can be shared.
    else if (section.add.size === 0 && section.remove.size === 0) result.set(name, section);
    else if (section.plain.has(MACRO_OPTION)) result.set(name, copySection(section));
    else result.set(name, mergeSection(emptySection(section.location), settleNewSection(section)));
  }
  return result;
}

function settleNewSection(section: LayerSection): LayerSection {
  const settled = copySection(section);
  for (const [name, added] of section.add) {
    if (settled.plain.has(name)) continue;
    settled.plain.set(name, added);
    settled.add.delete(name);
  }
  for (const [name, removed] of section.remove) {
    if (settled.plain.has(name)) continue;
    // zc.buildout records this as the value set, then removed from itself implicitly.
    settled.plain.set(name, removeLines(removed, { ...removed, history: [{ operation: 'set', value: removed.value, source: IMPLICIT }] }));
    settled.remove.delete(name);
  }
  return settled;
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
