/**
 * The one error type of the project. Every failure a user can cause carries a
 * stable code, a message saying what is wrong, and where possible the source
 * location and a hint saying what to do. The CLI renders it once, at the edge.
 */

export interface SourceLocation {
  /** Absolute path or URL of the file. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/**
 * Codes used by the core packages. Recipes may use their own codes; by
 * convention they are prefixed with the recipe's short name
 * (`SUPERVISOR_BAD_PROGRAM_LINE`, `COMMAND_FAILED`).
 */
export const ErrorCodes = {
  // config: files and syntax
  CONFIG_NOT_FOUND: 'CONFIG_NOT_FOUND',
  CONFIG_EXISTS: 'CONFIG_EXISTS',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  SYNTAX: 'SYNTAX',
  CONDITION: 'CONDITION',
  EXTENDS_CYCLE: 'EXTENDS_CYCLE',
  DOWNLOAD_FAILED: 'DOWNLOAD_FAILED',
  OFFLINE_NOT_CACHED: 'OFFLINE_NOT_CACHED',
  // config: values
  BAD_ASSIGNMENT: 'BAD_ASSIGNMENT',
  BAD_BOOLEAN: 'BAD_BOOLEAN',
  BAD_REFERENCE: 'BAD_REFERENCE',
  MISSING_SECTION: 'MISSING_SECTION',
  MISSING_OPTION: 'MISSING_OPTION',
  CIRCULAR_REFERENCE: 'CIRCULAR_REFERENCE',
  VALUE_TOO_LARGE: 'VALUE_TOO_LARGE',
  MACRO_LOOP: 'MACRO_LOOP',
  MACRO_MISSING: 'MACRO_MISSING',
  // engine
  USAGE: 'USAGE',
  PART_NOT_FOUND: 'PART_NOT_FOUND',
  PART_CYCLE: 'PART_CYCLE',
  RECIPE_NOT_FOUND: 'RECIPE_NOT_FOUND',
  RECIPE_INVALID: 'RECIPE_INVALID',
  RECIPE_FAILED: 'RECIPE_FAILED',
  EXTENSION_FAILED: 'EXTENSION_FAILED',
  LOCKED: 'LOCKED',
  STATE_CORRUPT: 'STATE_CORRUPT',
} as const;

export type CoreErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface BuildoutErrorOptions {
  location?: SourceLocation | undefined;
  hint?: string | undefined;
  /** The part whose recipe or options caused the error, when there is one. */
  part?: string | undefined;
  cause?: unknown;
}

export class BuildoutError extends Error {
  override readonly name = 'BuildoutError';
  readonly code: string;
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;
  readonly part: string | undefined;

  constructor(code: CoreErrorCode | (string & {}), message: string, options: BuildoutErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.hint = options.hint;
    this.part = options.part;
  }

  /** A copy that also names a part (errors raised inside a recipe get the part added by the engine). */
  withPart(part: string): BuildoutError {
    if (this.part !== undefined) return this;
    return new BuildoutError(this.code, this.message, {
      location: this.location,
      hint: this.hint,
      part,
      cause: this.cause,
    });
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

/** `file:line:col` for messages. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
