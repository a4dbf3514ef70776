/**
 * The resolved configuration: sections after layering, expanded (macros) and
 * substituted lazily, on first access, like zc.buildout's Options objects.
 * A section nobody reads may hold broken references.
 */
import { absolutize, ABSOLUTIZED_OPTIONS } from './defaults.js';
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { emptySection, historyOf, type Layer, locationOf, MACRO_OPTION, newValue, type Value } from './layers.js';
import { expandMacros } from './macros.js';
import { checkRecordable } from './names.js';
import { findValueReferences, type Reference } from './references.js';
import { closest } from './text.js';
import type { Buildout, HistoryEntry, ResolvedSections, ToJsonOptions } from './types.js';
import { badBoolean, circularReference, MAX_VALUE_LENGTH, valueTooLarge } from './value-errors.js';

const SECTION_NAME_OPTION = '_buildout_section_name_';

/** A section read so far. */
interface SectionState {
  /** Options after macro expansion; shared with the layers and macro expansions until set() writes (`own`). */
  options: Map<string, Value>;
  own: boolean;
  /** Substituted values. */
  readonly resolved: Map<string, string>;
}

/** A value waiting to be substituted. */
interface Pending {
  readonly section: string;
  readonly option: string;
  readonly value: Value;
  /** `section:option`, made when first needed (see keyOf). */
  key: string | undefined;
  readonly references: readonly Reference[];
  /** How many of `references` are known to be substituted already. */
  checked: number;
}

export class ResolvedBuildout implements Buildout {
  readonly configFile: string;
  readonly directory: string;
  readonly configFiles: readonly string[];
  readonly #raw: Layer;
  readonly #sections = new Map<string, SectionState>();
  /** Macro expansions of sections that use `<`, shared by the sections built on them. */
  readonly #macros = new Map<string, ReadonlyMap<string, Value>>();
  /** Values that failed, so a long chain of references to a broken value fails once, not once per reader. */
  readonly #failed = new Map<string, unknown>();

  constructor(raw: Layer, configFile: string, directory: string, configFiles: readonly string[] = []) {
    this.#raw = raw;
    this.configFile = configFile;
    this.directory = directory;
    this.configFiles = configFiles;
  }

  sectionNames(): string[] {
    return [...this.#raw.keys()];
  }

  hasSection(section: string): boolean {
    return this.#raw.has(section);
  }

  optionNames(section: string): string[] {
    return [...this.#section(section).options.keys()];
  }

  raw(section: string, option: string): string | undefined {
    return this.#section(section).options.get(option)?.value;
  }

  get(section: string, option: string): string {
    const value = this.getOptional(section, option);
    if (value === undefined) {
      throw new BuildoutError(ErrorCodes.MISSING_OPTION, `Missing option: ${section}:${option}`, {
        location: this.#raw.get(section)?.location,
        hint: this.#optionHint(section, option),
      });
    }
    return value;
  }

  getOptional(section: string, option: string): string | undefined {
    const state = this.#section(section);
    const cached = state.resolved.get(option);
    if (cached !== undefined) return cached;
    const value = state.options.get(option);
    if (value === undefined) return undefined;
    if (section !== 'buildout' && !value.value.includes('$')) {
      // Nothing to substitute, so nothing can fail or loop.
      state.resolved.set(option, value.value);
      return value.value;
    }
    const pending = this.#pending(section, option, value);
    if (this.#failed.size > 0 && this.#failed.has(keyOf(pending))) throw this.#failed.get(keyOf(pending));
    const dependency = this.#nextDependency(pending);
    return dependency ? this.#resolve(pending, dependency) : this.#finish(pending);
  }

  /**
   * Substitutes a value whose references lead to values not substituted yet:
   * depth first, with an explicit stack (chains of any length, no
   * recursion), each value once. A failure fails every value waiting on it,
   * and is remembered.
   */
  #resolve(first: Pending, dependency: Pending): string {
    const stack: Pending[] = [first];
    const onStack = new Set<string>([keyOf(first)]);
    try {
      for (let next: Pending | undefined = dependency; stack.length > 0; ) {
        if (next) {
          if (this.#failed.has(keyOf(next))) throw this.#failed.get(keyOf(next));
          if (onStack.has(keyOf(next))) throw circularReference(stack.map(keyOf), keyOf(next), locationOf(next.value));
          stack.push(next);
          onStack.add(keyOf(next));
        }
        const top = stack[stack.length - 1]!;
        next = this.#nextDependency(top);
        if (next) continue;
        // Every value it refers to is known now: substituting reads them from the cache.
        this.#finish(top);
        stack.pop();
        onStack.delete(keyOf(top));
      }
    } catch (error) {
      for (const frame of stack) this.#failed.set(keyOf(frame), error);
      throw error;
    }
    return this.#sections.get(first.section)!.resolved.get(first.option)!;
  }

  #pending(section: string, option: string, value: Value): Pending {
    return { section, option, value, key: undefined, references: referencesOf(value), checked: 0 };
  }

  /**
   * The next value `pending` refers to that is not substituted yet, in
   * reference order. A reference that is invalid or points nowhere ends the
   * search: substituting reports it, after the ones before it.
   */
  #nextDependency(pending: Pending): Pending | undefined {
    const references = pending.references;
    while (pending.checked < references.length) {
      const reference = references[pending.checked]!;
      const section = reference.section === '' ? pending.section : reference.section;
      if (reference.error !== undefined || !this.#raw.has(section)) {
        pending.checked = references.length;
        break;
      }
      pending.checked++;
      const state = this.#section(section);
      if (state.resolved.has(reference.option)) continue;
      const value = state.options.get(reference.option);
      if (value === undefined) continue; // `_buildout_section_name_`, or an error when substituting
      if (section !== 'buildout' && !value.value.includes('$')) {
        state.resolved.set(reference.option, value.value);
        continue;
      }
      return this.#pending(section, reference.option, value);
    }
    // Relative directories of [buildout] are made absolute against `directory`.
    if (pending.section === 'buildout' && pending.option !== 'directory' && ABSOLUTIZED_OPTIONS.has(pending.option)) {
      const buildout = this.#section('buildout');
      if (!buildout.resolved.has('directory')) return this.#pending('buildout', 'directory', buildout.options.get('directory')!);
    }
    return undefined;
  }

  #finish(pending: Pending): string {
    let text = this.#substitute(pending);
    if (pending.section === 'buildout') {
      text = absolutize(pending.option, text, pending.value, this.configFile, () => this.get('buildout', 'directory'));
    }
    this.#sections.get(pending.section)!.resolved.set(pending.option, text);
    return text;
  }

  getBoolean(section: string, option: string, fallback: boolean): boolean {
    const text = this.getOptional(section, option);
    if (text === undefined) return fallback;
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw badBoolean(section, option, text, locationOf(this.#section(section).options.get(option)!));
  }

  resolveSection(section: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const option of this.optionNames(section)) result[option] = this.get(section, option);
    return result;
  }

  set(section: string, option: string, value: string): void {
    checkRecordable(section, { [option]: value });
    // Values set by recipes are taken literally, as zc.buildout's Options.__setitem__ does.
    const state = this.#section(section);
    if (!state.own) {
      // The options are still shared: set() must not change other sections.
      state.options = new Map(state.options);
      state.own = true;
    }
    state.options.set(option, newValue(value, { kind: 'computed' }));
    state.resolved.set(option, value);
    this.#failed.clear(); // what failed may resolve now
  }

  defineSection(section: string, options: Readonly<Record<string, string>>): void {
    if (this.#raw.has(section)) {
      throw new BuildoutError(ErrorCodes.BAD_ASSIGNMENT, `section [${section}] already exists`, {
        location: this.#raw.get(section)!.location,
        hint: 'a generated section needs a name of its own',
      });
    }
    checkRecordable(section, options);
    const created = emptySection();
    for (const [name, value] of Object.entries(options)) created.plain.set(name, newValue(value, { kind: 'computed' }));
    this.#raw.set(section, created);
    this.#failed.clear();
  }

  references(section: string): string[] {
    const found = new Set<string>();
    // forEach: a for...of over the map makes an iterator result per option in code this cold.
    this.#section(section).options.forEach((value) => {
      for (const reference of referencesOf(value)) {
        if (reference.error === undefined && reference.section !== '' && reference.section !== section) found.add(reference.section);
      }
    });
    return [...found];
  }

  history(section: string, option: string): readonly HistoryEntry[] {
    if (!this.#raw.has(section)) return [];
    const value = this.#section(section).options.get(option);
    return value ? historyOf(value) : [];
  }

  location(section: string, option?: string): SourceLocation | undefined {
    if (option === undefined) return this.#raw.get(section)?.location;
    const value = this.#raw.has(section) ? this.#section(section).options.get(option) : undefined;
    return value ? locationOf(value) : undefined;
  }

  toJSON(options: ToJsonOptions = {}): ResolvedSections {
    const sections: Record<string, Record<string, string>> = {};
    const wanted = options.sections ? [...options.sections].filter((name) => this.#raw.has(name)) : this.sectionNames();
    // Values failing for one reason (a reference cycle, a chain of references to one broken value) report it once.
    const reported = new Set<unknown>();
    const unresolvable = (error: unknown, section: string, option: string): void => {
      if (!options.onUnresolvable || !(error instanceof BuildoutError)) throw error;
      if (!reported.has(error)) options.onUnresolvable(error, section, option);
      reported.add(error);
    };
    for (const section of wanted.sort()) {
      const values: Record<string, string> = {};
      sections[section] = values;
      let names: string[];
      try {
        names = this.optionNames(section).sort();
      } catch (error) {
        unresolvable(error, section, MACRO_OPTION);
        const plain = this.#raw.get(section)!.plain;
        for (const name of [...plain.keys()].sort()) values[name] = plain.get(name)!.value;
        continue;
      }
      for (const option of names) {
        try {
          values[option] = this.get(section, option);
        } catch (error) {
          unresolvable(error, section, option);
          values[option] = this.raw(section, option)!;
        }
      }
    }
    return { sections };
  }

  /** The section's state; its options are expanded (macros) on first access. */
  #section(section: string): SectionState {
    const known = this.#sections.get(section);
    if (known) return known;
    const raw = this.#raw.get(section);
    if (!raw) {
      throw new BuildoutError(ErrorCodes.MISSING_SECTION, `section [${section}] is not defined`, {
        hint: this.#sectionHint(section),
      });
    }
    if (section !== 'buildout' && raw.plain.has(MACRO_OPTION) && !this.#macros.has(section)) {
      for (const [name, expanded] of expandMacros(this.#raw, section, this.#macros)) this.#macros.set(name, expanded);
    }
    const options = (this.#macros.get(section) ?? raw.plain) as Map<string, Value>;
    const state: SectionState = { options, own: false, resolved: new Map() };
    this.#sections.set(section, state);
    return state;
  }

  #substitute(pending: Pending): string {
    const { section, option, value, references } = pending;
    if (references.length === 0) return value.value;
    const text = value.value;
    let result = '';
    let position = 0;
    for (const reference of references) {
      if (reference.error !== undefined) {
        throw new BuildoutError(ErrorCodes.BAD_REFERENCE, `${reference.error} (in ${section}:${option})`, {
          location: this.#referenceLocation(value, reference.index),
          hint: 'write ${section:option}, ${:option} for this section, or $$ for a literal $',
        });
      }
      result += text.slice(position, reference.index) + this.#lookup(section, value, reference);
      position = reference.index + reference.text.length;
      if (result.length > MAX_VALUE_LENGTH) throw valueTooLarge(section, option, locationOf(value));
    }
    return result + text.slice(position);
  }

  #lookup(fromSection: string, from: Value, reference: Reference): string {
    const section = reference.section === '' ? fromSection : reference.section;
    if (!this.#raw.has(section)) {
      throw new BuildoutError(ErrorCodes.MISSING_SECTION, `The referenced section, '${section}', was not defined (in ${reference.text})`, {
        location: this.#referenceLocation(from, reference.index),
        hint: this.#sectionHint(section),
      });
    }
    const value = this.getOptional(section, reference.option);
    if (value !== undefined) return value;
    // zc.buildout: a missing `_buildout_section_name_` is the name of the section doing the referencing.
    if (reference.option === SECTION_NAME_OPTION) return fromSection;
    throw new BuildoutError(
      ErrorCodes.MISSING_OPTION,
      `Referenced option does not exist: ${section}:${reference.option} (in ${reference.text})`,
      {
        location: this.#referenceLocation(from, reference.index),
        hint: this.#optionHint(section, reference.option),
      },
    );
  }

  #referenceLocation(value: Value, offset: number): SourceLocation | undefined {
    const location = locationOf(value);
    if (!location) return undefined;
    // Only a value still exactly as written on one line can point at the column of the reference.
    if (value.valueColumn !== undefined && value.operation !== 'add' && value.operation !== 'remove') {
      return { ...location, column: value.valueColumn + offset };
    }
    return location;
  }

  #sectionHint(section: string): string | undefined {
    const suggestion = closest(section, this.#raw.keys());
    return suggestion ? `did you mean [${suggestion}]?` : undefined;
  }

  #optionHint(section: string, option: string): string | undefined {
    if (!this.#raw.has(section)) return undefined;
    const suggestion = closest(option, this.#section(section).options.keys());
    return suggestion ? `did you mean ${section}:${suggestion}?` : `[${section}] has no option '${option}'`;
  }
}

function keyOf(pending: Pending): string {
  pending.key ??= `${pending.section}:${pending.option}`;
  return pending.key;
}

/** The references of a value, found once per value (and kept on it). */
function referencesOf(value: Value): readonly Reference[] {
  value.references ??= findValueReferences(value.value);
  return value.references;
}
