/**
 * The resolved configuration: sections after layering, expanded (macros) and
 * substituted lazily, on first access, like zc.buildout's Options objects.
 * A section nobody reads may hold broken references.
 */
import { dirname, isAbsolute, sep } from 'node:path';
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { applyOverMacro, emptySection, locationOf, MACRO_OPTION, newValue, type Layer, type Value } from './layers.js';
import { findValueReferences, type Reference } from './references.js';
import { closest } from './text.js';
import type { Buildout, HistoryEntry, ResolvedSections, ToJsonOptions } from './types.js';

/** Option of [buildout] whose relative value is made absolute against `directory` (os.path.join, as zc.buildout). */
const DIRECTORY_OPTIONS = new Set(['bin-directory', 'parts-directory', 'develop-eggs-directory', 'eggs-directory']);
/** Options of [buildout] made absolute against the folder of the file that set them. */
const CACHE_OPTIONS = new Set(['extends-cache', 'download-cache']);
const SECTION_NAME_OPTION = '_buildout_section_name_';
/** [buildout] options whose value depends on `directory`. */
const ABSOLUTIZED_OPTIONS = new Set([...DIRECTORY_OPTIONS, 'installed', ...CACHE_OPTIONS]);

/** A value waiting to be substituted. */
interface Pending {
  readonly section: string;
  readonly option: string;
  readonly value: Value;
  /** `section:option`. */
  readonly key: string;
  readonly references: readonly Reference[];
  /** How many of `references` are known to be substituted already. */
  checked: number;
}

export class ResolvedBuildout implements Buildout {
  readonly configFile: string;
  readonly directory: string;
  readonly configFiles: readonly string[];
  readonly #raw: Layer;
  /** Options of each section read so far (macros expanded, set() applied). */
  readonly #expanded = new Map<string, Map<string, Value>>();
  /** Sections whose options map is their own (written by set()). */
  readonly #private = new Set<string>();
  /** Macro expansions of sections that use `<`, shared by the sections built on them. */
  readonly #macroExpansions = new Map<string, Map<string, Value>>();
  readonly #resolved = new Map<string, Map<string, string>>();
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
    return [...this.#options(section).keys()];
  }

  raw(section: string, option: string): string | undefined {
    return this.#options(section).get(option)?.value;
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
    const cached = this.#resolved.get(section)?.get(option);
    if (cached !== undefined) return cached;
    const value = this.#options(section).get(option);
    if (value === undefined) return undefined;
    if (section !== 'buildout' && !value.value.includes('$')) {
      // Nothing to substitute, so nothing can fail or loop.
      this.#cache(section).set(option, value.value);
      return value.value;
    }
    const pending = this.#pending(section, option, value);
    if (this.#failed.has(pending.key)) throw this.#failed.get(pending.key);
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
    const onStack = new Set<string>([first.key]);
    try {
      for (let next: Pending | undefined = dependency; stack.length > 0; ) {
        if (next) {
          if (this.#failed.has(next.key)) throw this.#failed.get(next.key);
          if (onStack.has(next.key)) throw this.#circular(stack, next);
          stack.push(next);
          onStack.add(next.key);
        }
        const top = stack[stack.length - 1]!;
        next = this.#nextDependency(top);
        if (next) continue;
        // Every value it refers to is known now: substituting reads them from the cache.
        this.#finish(top);
        stack.pop();
        onStack.delete(top.key);
      }
    } catch (error) {
      for (const frame of stack) this.#failed.set(frame.key, error);
      throw error;
    }
    return this.#resolved.get(first.section)!.get(first.option)!;
  }

  #pending(section: string, option: string, value: Value): Pending {
    return { section, option, value, key: `${section}:${option}`, references: referencesOf(value), checked: 0 };
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
      if (this.#resolved.get(section)?.has(reference.option)) continue;
      const value = this.#options(section).get(reference.option);
      if (value === undefined) continue; // `_buildout_section_name_`, or an error when substituting
      if (section !== 'buildout' && !value.value.includes('$')) {
        this.#cache(section).set(reference.option, value.value);
        continue;
      }
      return this.#pending(section, reference.option, value);
    }
    // Relative directories of [buildout] are made absolute against `directory`.
    if (
      pending.section === 'buildout' &&
      pending.option !== 'directory' &&
      ABSOLUTIZED_OPTIONS.has(pending.option) &&
      !this.#resolved.get('buildout')?.has('directory')
    ) {
      return this.#pending('buildout', 'directory', this.#options('buildout').get('directory')!);
    }
    return undefined;
  }

  #finish(pending: Pending): string {
    const text = this.#absolutize(pending.section, pending.option, pending.value, this.#substitute(pending));
    this.#cache(pending.section).set(pending.option, text);
    return text;
  }

  #circular(stack: readonly Pending[], repeated: Pending): BuildoutError {
    const keys = stack.map((frame) => frame.key);
    const chain = [...keys.slice(keys.indexOf(repeated.key)), repeated.key];
    return new BuildoutError(ErrorCodes.CIRCULAR_REFERENCE, `circular reference in substitutions: ${chain.join(' -> ')}`, {
      location: locationOf(repeated.value),
      hint: 'one of these options must not refer back to the others',
    });
  }

  getBoolean(section: string, option: string, fallback: boolean): boolean {
    const text = this.getOptional(section, option);
    if (text === undefined) return fallback;
    if (text === 'true') return true;
    if (text === 'false') return false;
    throw badBoolean(section, option, text, locationOf(this.#options(section).get(option)!));
  }

  resolveSection(section: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const option of this.optionNames(section)) result[option] = this.get(section, option);
    return result;
  }

  set(section: string, option: string, value: string): void {
    // Values set by recipes are taken literally, as zc.buildout's Options.__setitem__ does.
    this.#writable(section).set(option, newValue(value, { kind: 'computed' }));
    this.#cache(section).set(option, value);
    this.#failed.clear(); // what failed may resolve now
  }

  defineSection(section: string, options: Readonly<Record<string, string>>): void {
    if (this.#raw.has(section)) {
      throw new BuildoutError(ErrorCodes.BAD_ASSIGNMENT, `section [${section}] already exists`, {
        location: this.#raw.get(section)!.location,
        hint: 'a generated section needs a name of its own',
      });
    }
    const created = emptySection();
    for (const [name, value] of Object.entries(options)) created.plain.set(name, newValue(value, { kind: 'computed' }));
    this.#raw.set(section, created);
    this.#failed.clear();
  }

  references(section: string): string[] {
    const found = new Set<string>();
    for (const value of this.#options(section).values()) {
      for (const reference of referencesOf(value)) {
        if (reference.error === undefined && reference.section !== '' && reference.section !== section) found.add(reference.section);
      }
    }
    return [...found];
  }

  history(section: string, option: string): readonly HistoryEntry[] {
    if (!this.#raw.has(section)) return [];
    return this.#options(section).get(option)?.history ?? [];
  }

  location(section: string, option?: string): SourceLocation | undefined {
    if (option === undefined) return this.#raw.get(section)?.location;
    const value = this.#raw.has(section) ? this.#options(section).get(option) : undefined;
    return value ? locationOf(value) : undefined;
  }

  toJSON(options: ToJsonOptions = {}): ResolvedSections {
    const sections: Record<string, Record<string, string>> = {};
    for (const section of [...this.sectionNames()].sort()) {
      const values: Record<string, string> = {};
      let names: string[];
      try {
        names = this.optionNames(section).sort();
      } catch (error) {
        if (!options.onUnresolvable || !(error instanceof BuildoutError)) throw error;
        options.onUnresolvable(error, section, MACRO_OPTION);
        names = [...this.#raw.get(section)!.plain.keys()].sort();
        for (const name of names) values[name] = this.#raw.get(section)!.plain.get(name)!.value;
        sections[section] = values;
        continue;
      }
      for (const option of names) {
        try {
          values[option] = this.get(section, option);
        } catch (error) {
          if (!options.onUnresolvable || !(error instanceof BuildoutError)) throw error;
          options.onUnresolvable(error, section, option);
          values[option] = this.raw(section, option)!;
        }
      }
      sections[section] = values;
    }
    return { sections };
  }

  #cache(section: string): Map<string, string> {
    let cache = this.#resolved.get(section);
    if (!cache) {
      cache = new Map();
      this.#resolved.set(section, cache);
    }
    return cache;
  }

  /** The section's options, copied first if they are still shared: set() must not change other sections. */
  #writable(section: string): Map<string, Value> {
    const options = this.#options(section);
    if (this.#private.has(section)) return options;
    const copy = new Map(options);
    this.#expanded.set(section, copy);
    this.#private.add(section);
    return copy;
  }

  /** The section's options after macro expansion (done once, on first access). */
  #options(section: string): Map<string, Value> {
    const known = this.#expanded.get(section);
    if (known) return known;
    if (!this.#raw.has(section)) {
      throw new BuildoutError(ErrorCodes.MISSING_SECTION, `section [${section}] is not defined`, {
        hint: this.#sectionHint(section),
      });
    }
    // Shared with the layers and macro expansions until set() writes to it (see #writable).
    const options = this.#expandMacros(section) as Map<string, Value>;
    this.#expanded.set(section, options);
    return options;
  }

  /**
   * zc.buildout's `_do_extend_raw`: a section's macro bases, each expanded,
   * merged left to right, then its own options (with their `+=`/`-=`).
   * Depth first with an explicit stack, each section expanded once.
   */
  #expandMacros(name: string): ReadonlyMap<string, Value> {
    const needsExpansion = (section: string): boolean =>
      section !== 'buildout' && !this.#macroExpansions.has(section) && this.#raw.get(section)!.plain.has(MACRO_OPTION);
    if (!needsExpansion(name)) return this.#macroExpansions.get(name) ?? this.#raw.get(name)!.plain;
    const chain = [name];
    while (chain.length > 0) {
      const current = chain[chain.length - 1]!;
      const raw = this.#raw.get(current)!;
      const macro = raw.plain.get(MACRO_OPTION)!;
      const baseNames = macro.value.split(/\s+/).filter((word) => word !== '');
      let waiting: string | undefined;
      for (const baseName of baseNames) {
        if (!this.#raw.has(baseName)) {
          throw new BuildoutError(ErrorCodes.MACRO_MISSING, `[${current}] uses the macro [${baseName}], which is not defined`, {
            location: locationOf(macro),
            hint: this.#sectionHint(baseName),
          });
        }
        if (!needsExpansion(baseName)) continue;
        if (chain.includes(baseName)) {
          const loop = [...chain.slice(chain.indexOf(baseName)), baseName];
          throw new BuildoutError(ErrorCodes.MACRO_LOOP, `macro loop: ${loop.map((n) => `[${n}]`).join(' <= ')}`, {
            location: locationOf(macro),
            hint: 'a section cannot use itself as a macro, directly or through other macros',
          });
        }
        waiting = baseName;
        break;
      }
      if (waiting !== undefined) {
        chain.push(waiting);
        continue;
      }
      const optionsOf = (base: string): ReadonlyMap<string, Value> => this.#macroExpansions.get(base) ?? this.#raw.get(base)!.plain;
      let bases: ReadonlyMap<string, Value> = baseNames.length === 1 ? optionsOf(baseNames[0]!) : new Map();
      if (baseNames.length > 1) {
        const merged = new Map<string, Value>();
        for (const baseName of baseNames) for (const [option, value] of optionsOf(baseName)) merged.set(option, value);
        bases = merged;
      }
      this.#macroExpansions.set(current, applyOverMacro(bases, raw));
      chain.pop();
    }
    return this.#macroExpansions.get(name)!;
  }

  #substitute(pending: Pending): string {
    const { section, value, references } = pending;
    if (references.length === 0) return value.value;
    const text = value.value;
    let result = '';
    let position = 0;
    for (const reference of references) {
      if (reference.error !== undefined) {
        throw new BuildoutError(ErrorCodes.BAD_REFERENCE, `${reference.error} (in ${section}:${pending.option})`, {
          location: this.#referenceLocation(value, reference.index),
          hint: 'write ${section:option}, ${:option} for this section, or $$ for a literal $',
        });
      }
      result += text.slice(position, reference.index) + this.#lookup(section, value, reference);
      position = reference.index + reference.text.length;
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
    const last = value.history[value.history.length - 1]!;
    // Only a value still exactly as written on one line can point at the column of the reference.
    if (value.valueColumn !== undefined && last.operation !== 'add' && last.operation !== 'remove') {
      return { ...location, column: value.valueColumn + offset };
    }
    return location;
  }

  /** Relative directories in [buildout] become absolute, as zc.buildout makes them. */
  #absolutize(section: string, option: string, value: Value, text: string): string {
    if (section !== 'buildout') return text;
    if (option === 'directory') return isAbsolute(text) ? text : joinPath(dirname(this.configFile), text);
    if (DIRECTORY_OPTIONS.has(option)) return joinPath(this.get('buildout', 'directory'), text);
    if (option === 'installed') return text === '' ? text : joinPath(this.get('buildout', 'directory'), text);
    if (CACHE_OPTIONS.has(option) && text !== '') {
      const source = value.history[value.history.length - 1]!.source;
      const base =
        source.kind === 'file' && !/^[a-z0-9+.-]+:\/\//i.test(source.location.file)
          ? dirname(source.location.file)
          : this.get('buildout', 'directory');
      return joinPath(base, text.startsWith('~/') ? `${process.env.HOME ?? ''}${text.slice(1)}` : text);
    }
    return text;
  }

  #sectionHint(section: string): string | undefined {
    const suggestion = closest(section, this.#raw.keys());
    return suggestion ? `did you mean [${suggestion}]?` : undefined;
  }

  #optionHint(section: string, option: string): string | undefined {
    if (!this.#raw.has(section)) return undefined;
    const suggestion = closest(option, this.#options(section).keys());
    return suggestion ? `did you mean ${section}:${suggestion}?` : `[${section}] has no option '${option}'`;
  }
}

/** zc.buildout's booleans are exactly `true` or `false`. */
export function badBoolean(section: string, option: string, text: string, location: SourceLocation | undefined): BuildoutError {
  return new BuildoutError(ErrorCodes.BAD_BOOLEAN, `invalid value for ${section}:${option}: '${text}' (must be true or false)`, {
    location,
    hint: `write ${option} = true or ${option} = false`,
  });
}

/**
 * The references of a value, found once per value: a macro's values are
 * shared by every section built on it.
 */
const referenceCache = new WeakMap<Value, readonly Reference[]>();
function referencesOf(value: Value): readonly Reference[] {
  let references = referenceCache.get(value);
  if (!references) {
    references = findValueReferences(value.value);
    referenceCache.set(value, references);
  }
  return references;
}

/** Python's os.path.join for two parts: an absolute second part wins; nothing is normalised. */
function joinPath(base: string, path: string): string {
  if (isAbsolute(path)) return path;
  return base.endsWith(sep) ? `${base}${path}` : `${base}${sep}${path}`;
}
