import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';

export type Operator = '=' | '+=' | '-=';

export interface ParsedOption {
  readonly name: string;
  readonly operator: Operator;
  readonly value: string;
  /** Where the option name starts. */
  readonly location: SourceLocation;
}

export interface ParsedSection {
  readonly name: string;
  /** Where the `[` of the header is. */
  readonly location: SourceLocation;
  readonly options: readonly ParsedOption[];
}

export interface ParseOptions {
  /** Evaluates `[name: condition]`; without it a condition is a syntax error. */
  evaluateCondition?: (expression: string, location: SourceLocation) => boolean;
}

/**
 * Parses one buildout.cfg text. Sections whose condition is false are left
 * out; repeated sections are returned as written (merging is the caller's).
 */
export function parseConfigText(_text: string, file: string, _options: ParseOptions = {}): ParsedSection[] {
  throw new BuildoutError(ErrorCodes.SYNTAX, 'parser not implemented yet', {
    location: { file, line: 1, column: 1 },
  });
}
