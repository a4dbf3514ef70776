/**
 * The one error type of the project. Every failure a user can cause carries a
 * stable code, a message saying what is wrong, and where possible the source
 * location and a hint saying what to do. The CLI renders it once, at the edge.
 */

export interface SourceLocation {
  /** Absolute path or URL of the file; or, with line 0, where else the value came from (`command line: a:b=c`). */
  readonly file: string;
  /** 1-based line; 0 when the source is not a file. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/**
 * The config layer's codes. Every package owns its codes (the engine's are
 * `EngineErrorCodes`, the CLI's `CliErrorCodes`); a recipe's are prefixed with
 * its short name (`SUPERVISOR_BAD_PROGRAM_LINE`, `COMMAND_FAILED`).
 */
export const ErrorCodes = {
  // files and syntax
  CONFIG_NOT_FOUND: 'CONFIG_NOT_FOUND',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** A file buildout reads or writes cannot be used: permission, symlink loop, a folder where a file should be, ... */
  FILE_ACCESS: 'FILE_ACCESS',
  /** A configuration or state file is a FIFO, a device, a socket or a folder. */
  NOT_A_FILE: 'NOT_A_FILE',
  /** A file is not valid UTF-8. */
  BAD_ENCODING: 'BAD_ENCODING',
  /** A path buildout cannot use: a NUL byte, a `file://` URL naming another host. */
  BAD_PATH: 'BAD_PATH',
  SYNTAX: 'SYNTAX',
  CONDITION: 'CONDITION',
  EXTENDS_CYCLE: 'EXTENDS_CYCLE',
  DOWNLOAD_FAILED: 'DOWNLOAD_FAILED',
  OFFLINE_NOT_CACHED: 'OFFLINE_NOT_CACHED',
  // values
  BAD_ASSIGNMENT: 'BAD_ASSIGNMENT',
  BAD_BOOLEAN: 'BAD_BOOLEAN',
  BAD_REFERENCE: 'BAD_REFERENCE',
  MISSING_SECTION: 'MISSING_SECTION',
  MISSING_OPTION: 'MISSING_OPTION',
  CIRCULAR_REFERENCE: 'CIRCULAR_REFERENCE',
  VALUE_TOO_LARGE: 'VALUE_TOO_LARGE',
  MACRO_LOOP: 'MACRO_LOOP',
  MACRO_MISSING: 'MACRO_MISSING',
} as const;

export interface BuildoutErrorOptions {
  location?: SourceLocation | undefined;
  hint?: string | undefined;
  /** The part whose recipe or options caused the error, when there is one. */
  part?: string | undefined;
  /**
   * The option of the part the error is about. A recipe sets it (with `part`,
   * or the engine adds the part) and the engine fills `location` from where
   * the option was written (file:line:col, or the command-line assignment).
   */
  option?: string | undefined;
  cause?: unknown;
}

export class BuildoutError extends Error {
  override readonly name = 'BuildoutError';
  readonly code: string;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  readonly part: string | undefined;
  readonly option: string | undefined;

  constructor(code: string, message: string, options: BuildoutErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.part = options.part;
    this.option = options.option;
  }
}

/**
 * Recipes and extensions may be loaded with their own copy of this package, so
 * `instanceof` is not enough; the shape is the contract.
 */
export function isBuildoutError(value: unknown): value is BuildoutError {
  if (value instanceof BuildoutError) return true;
  return value instanceof Error && value.name === 'BuildoutError' && typeof (value as { code?: unknown }).code === 'string';
}

/** `file:line:col` for messages (`command line: a:b=c` for a command-line assignment). */
export function formatLocation(location: SourceLocation): string {
  return location.line === 0 ? location.file : `${location.file}:${location.line}:${location.column}`;
}

/** The location of a command-line assignment, as messages name it. */
export function commandLineLocation(assignment: string): SourceLocation {
  return { file: `command line: ${assignment}`, line: 0, column: 0 };
}
