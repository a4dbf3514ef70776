/**
 * The resolved configuration: sections after layering, expanded (macros) and
 * substituted lazily, on first access, like zc.buildout's Options objects.
 * A section nobody reads may hold broken references.
 */
import { dirname, isAbsolute, sep } from 'node:path';
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import {
  applyOverMacro,
  emptySection,
  locationOf,
  MACRO_OPTION,
  newValue,
  type Layer,
  type LayerSection,
  type Value,
} from './layers.js';
import { findReferences, type Reference } from './references.js';
import { closest } from './text.js';
import type { Buildout, HistoryEntry, ResolvedSections, ToJsonOptions } from './types.js';

/** Option of [buildout] whose relative value is made absolute against `directory` (os.path.join, as zc.buildout). */
const DIRECTORY_OPTIONS = new Set(['bin-directory', 'parts-directory', 'develop-eggs-directory', 'eggs-directory']);
/** Options of [buildout] made absolute against the folder of the file that set them. */
const CACHE_OPTIONS = new Set(['extends-cache', 'download-cache']);
const SECTION_NAME_OPTION = '_buildout_section_name_';

export class ResolvedBuildout implements Buildout {
  readonly configFile: string;
  readonly directory: string;
  readonly #raw: Layer;
  readonly #expanded = new Map<string, Map<string, Value>>();
  readonly #resolved = new Map<string, Map<string, string>>();
  /** Values that failed, so a long chain of references to a broken value fails once, not once per reader. */
  readonly #failed = new Map<string, unknown>();
  /** `section:option` keys being substituted, innermost last, for circular reference chains. */
  readonly #resolving: string[] = [];
  readonly #resolvingSet = new Set<string>();

  constructor(raw: Layer, configFile: string, directory: string) {
    this.#raw = raw;
    this.configFile = configFile;
    this.directory = directory;
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
    const key = `${section}:${option}`;
    if (this.#failed.has(key)) throw this.#failed.get(key);
    if (this.#resolvingSet.has(key)) {
      const chain = [...this.#resolving.slice(this.#resolving.indexOf(key)), key];
      throw new BuildoutError(ErrorCodes.CIRCULAR_REFERENCE, `circular reference in substitutions: ${chain.join(' -> ')}`, {
        location: locationOf(value),
        hint: 'one of these options must not refer back to the others',
      });
    }
    this.#resolving.push(key);
    this.#resolvingSet.add(key);
    let text: string;
    try {
      text = this.#absolutize(section, option, value, this.#substitute(section, value));
    } catch (error) {
      this.#failed.set(key, error);
      throw error;
    } finally {
      this.#resolving.pop();
      this.#resolvingSet.delete(key);
    }
    this.#cache(section).set(option, text);
    return text;
  }

  getBoolean(section: string, option: string, fallback: boolean): boolean {
    const text = this.getOptional(section, option);
    if (text === undefined) return fallback;
    if (text === 'true') return true;
    if (text === 'false') return false;
    const value = this.#options(section).get(option)!;
    throw new BuildoutError(ErrorCodes.BAD_BOOLEAN, `invalid value for ${section}:${option}: '${text}' (must be true or false)`, {
      location: locationOf(value),
      hint: `write ${option} = true or ${option} = false`,
    });
  }

  resolveSection(section: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const option of this.optionNames(section)) result[option] = this.get(section, option);
    return result;
  }

  set(section: string, option: string, value: string): void {
    // Values set by recipes are taken literally, as zc.buildout's Options.__setitem__ does.
    this.#options(section).set(option, newValue(value, { kind: 'computed' }));
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
      for (const reference of findReferences(value.value)) {
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

  /** The section's options after macro expansion (done once, on first access). */
  #options(section: string): Map<string, Value> {
    const known = this.#expanded.get(section);
    if (known) return known;
    const raw = this.#raw.get(section);
    if (!raw) {
      throw new BuildoutError(ErrorCodes.MISSING_SECTION, `section [${section}] is not defined`, {
        hint: this.#sectionHint(section),
      });
    }
    const expanded = this.#expand(section, raw, []);
    // A private copy: set() must not change layers that other sections may share.
    const options = expanded === raw ? new Map(raw.plain) : expanded.plain;
    this.#expanded.set(section, options);
    return options;
  }

  /** zc.buildout's `_do_extend_raw`: bases expanded recursively, merged left to right, then the section's own options. */
  #expand(name: string, raw: LayerSection, doing: readonly string[]): LayerSection {
    const macro = raw.plain.get(MACRO_OPTION);
    if (name === 'buildout' || !macro) return raw;
    if (doing.includes(name)) {
      throw new BuildoutError(ErrorCodes.MACRO_LOOP, `macro loop: ${[...doing, name].map((n) => `[${n}]`).join(' <= ')}`, {
        location: locationOf(macro),
        hint: 'a section cannot use itself as a macro, directly or through other macros',
      });
    }
    const bases = emptySection();
    for (const baseName of macro.value.split(/\s+/).filter((word) => word !== '')) {
      const base = this.#raw.get(baseName);
      if (!base) {
        throw new BuildoutError(ErrorCodes.MACRO_MISSING, `[${name}] uses the macro [${baseName}], which is not defined`, {
          location: locationOf(macro),
          hint: this.#sectionHint(baseName),
        });
      }
      for (const [option, value] of this.#expand(baseName, base, [...doing, name]).plain) bases.plain.set(option, value);
    }
    return applyOverMacro(bases, raw);
  }

  #substitute(section: string, value: Value): string {
    const text = value.value;
    if (!text.includes('$')) return text;
    if (!text.includes('$$')) return this.#substitutePiece(section, value, text, 0);
    // `$$` protects what follows it: substitute between the `$$`s and keep them.
    let offset = 0;
    return text.split('$$').map((piece) => {
      const start = offset;
      offset += piece.length + 2;
      return this.#substitutePiece(section, value, piece, start);
    }).join('$$');
  }

  #substitutePiece(section: string, value: Value, piece: string, pieceOffset: number): string {
    const references = findReferences(piece);
    if (references.length === 0) return piece;
    let result = '';
    let position = 0;
    for (const reference of references) {
      const where = (): SourceLocation | undefined => this.#referenceLocation(value, pieceOffset + reference.index);
      if (reference.error !== undefined) {
        throw new BuildoutError(ErrorCodes.BAD_REFERENCE, `${reference.error} (in ${section}:${this.#optionNameOf(section, value)})`, {
          location: where(),
          hint: 'write ${section:option}, ${:option} for this section, or $$ for a literal $',
        });
      }
      result += piece.slice(position, reference.index) + this.#lookup(section, reference, where);
      position = reference.index + reference.text.length;
    }
    return result + piece.slice(position);
  }

  #lookup(fromSection: string, reference: Reference, where: () => SourceLocation | undefined): string {
    const section = reference.section === '' ? fromSection : reference.section;
    if (!this.#raw.has(section)) {
      throw new BuildoutError(ErrorCodes.MISSING_SECTION, `The referenced section, '${section}', was not defined (in ${reference.text})`, {
        location: where(),
        hint: this.#sectionHint(section),
      });
    }
    try {
      const value = this.getOptional(section, reference.option);
      if (value !== undefined) return value;
    } catch (error) {
      // A macro problem of the referenced section is best reported where the reference is.
      if (error instanceof BuildoutError && (error.code === ErrorCodes.MACRO_MISSING || error.code === ErrorCodes.MACRO_LOOP) && !error.location) {
        throw new BuildoutError(error.code, error.message, { location: where(), hint: error.hint });
      }
      throw error;
    }
    // zc.buildout: a missing `_buildout_section_name_` is the name of the section doing the referencing.
    if (reference.option === SECTION_NAME_OPTION) return fromSection;
    throw new BuildoutError(ErrorCodes.MISSING_OPTION, `Referenced option does not exist: ${section}:${reference.option} (in ${reference.text})`, {
      location: where(),
      hint: this.#optionHint(section, reference.option),
    });
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

  #optionNameOf(section: string, value: Value): string {
    for (const [name, candidate] of this.#options(section)) if (candidate === value) return name;
    return '?';
  }

  /** Relative directories in [buildout] become absolute, as zc.buildout makes them. */
  #absolutize(section: string, option: string, value: Value, text: string): string {
    if (section !== 'buildout') return text;
    if (option === 'directory') return isAbsolute(text) ? text : joinPath(dirname(this.configFile), text);
    if (DIRECTORY_OPTIONS.has(option)) return joinPath(this.get('buildout', 'directory'), text);
    if (option === 'installed') return text === '' ? text : joinPath(this.get('buildout', 'directory'), text);
    if (CACHE_OPTIONS.has(option) && text !== '') {
      const source = value.history[value.history.length - 1]!.source;
      const base = source.kind === 'file' && !/^[a-z0-9+.-]+:\/\//i.test(source.location.file)
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

/** Python's os.path.join for two parts: an absolute second part wins; nothing is normalised. */
function joinPath(base: string, path: string): string {
  if (isAbsolute(path)) return path;
  return base.endsWith(sep) ? `${base}${path}` : `${base}${sep}${path}`;
}
