/**
 * The public shape of a loaded buildout configuration. The config layer knows
 * sections and options only; parts, recipes and state belong to the engine.
 */
import type { BuildoutError, SourceLocation } from './errors.js';

export interface LoadOptions {
  /** `-c FILE|URL`. Without it, `buildout.cfg` is searched from `cwd` upwards. */
  configFile?: string | undefined;
  /** Defaults to `process.cwd()`. */
  cwd?: string | undefined;
  /** `false` for `-U`: skip `$BUILDOUT_HOME/default.cfg` / `~/.buildout/default.cfg`. */
  userDefaults?: boolean | undefined;
  /** Command-line assignments as typed: `[section:]option[+|-]=value`. */
  assignments?: readonly string[] | undefined;
  /** Environment for `BUILDOUT_HOME` and `HOME`; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Injected for tests; defaults to the platform `fetch`. */
  fetch?: typeof fetch | undefined;
  /**
   * Called with the configuration once its layers are merged, before
   * `[buildout]` is substituted and checked: an error those checks raise may
   * quote a value (the CLI learns its secrets here, to mask them).
   */
  onMerged?: ((buildout: Buildout) => void) | undefined;
}

/** Where a value, or one step of it, came from. */
export type ValueSource =
  | { readonly kind: 'file'; readonly location: SourceLocation }
  | { readonly kind: 'default' }
  /** `assignment`: the assignment as typed (`packages:recipe=nosuch`), for messages. */
  | { readonly kind: 'command-line'; readonly assignment?: string | undefined }
  | { readonly kind: 'computed' }
  | { readonly kind: 'implicit' };

/** One step in the making of a value, oldest first (zc.buildout's annotate history). */
export interface HistoryEntry {
  readonly operation: 'set' | 'override' | 'add' | 'remove';
  readonly value: string;
  readonly source: ValueSource;
}

export interface ToJsonOptions {
  /**
   * Called for a value that cannot be substituted; its raw value is used
   * instead. Values failing for one reason (a reference cycle, a chain of
   * references to one broken value) call it once, for the first of them.
   * Without it, the error is thrown.
   */
  onUnresolvable?: (error: BuildoutError, section: string, option: string) => void;
  /** Only these sections (all of them by default). */
  sections?: Iterable<string> | undefined;
}

/** Every section fully substituted, as `annotate --json` prints it. */
export interface ResolvedSections {
  sections: Record<string, Record<string, string>>;
}

export interface Buildout {
  /** Absolute path (or URL) of the main configuration file. */
  readonly configFile: string;
  /** Absolute `buildout:directory`. */
  readonly directory: string;
  /** Every local configuration file read (absolute paths): the main file, what it extends, user defaults. */
  readonly configFiles: readonly string[];
  /** Section names, in order of first definition. */
  sectionNames(): string[];
  hasSection(section: string): boolean;
  /** Option names of a section after layering and macro expansion. Throws MISSING_SECTION. */
  optionNames(section: string): string[];
  /** The raw (unsubstituted) value after layering and macros, or undefined. */
  raw(section: string, option: string): string | undefined;
  /** The fully substituted value. Throws MISSING_SECTION, MISSING_OPTION or a substitution error. */
  get(section: string, option: string): string;
  /** Like `get`, but undefined when the option does not exist (the section must). */
  getOptional(section: string, option: string): string | undefined;
  /** `true`/`false` exactly; anything else is BAD_BOOLEAN naming where the value came from. */
  getBoolean(section: string, option: string, fallback: boolean): boolean;
  /** Every option of the section, substituted. */
  resolveSection(section: string): Record<string, string>;
  /** Sets a computed value (a recipe's `init` setting `part.options.x`). */
  set(section: string, option: string, value: string): void;
  /** Adds a section with raw values (meta-recipes). Throws if it exists. */
  defineSection(section: string, options: Readonly<Record<string, string>>): void;
  /**
   * Sections referenced by this section's values (`${s:o}`, `$<s:o>`), after
   * macro expansion, in order of first reference, without the section itself.
   */
  references(section: string): string[];
  /** How the value came to be (empty for unknown options). */
  history(section: string, option: string): readonly HistoryEntry[];
  /** Where the section header or the option was written, when it was written in a file. */
  location(section: string, option?: string): SourceLocation | undefined;
  /** Every section substituted (`annotate --json`). */
  toJSON(options?: ToJsonOptions): ResolvedSections;
}
