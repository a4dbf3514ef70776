import { BuildoutError } from '@buildout/engine';

/** Error codes of this recipe (prefixed, as recipe codes are by convention). */
export const SupervisorErrorCodes = {
  BAD_OPTION: 'SUPERVISOR_BAD_OPTION',
  BAD_PROGRAM_LINE: 'SUPERVISOR_BAD_PROGRAM_LINE',
  BAD_EVENTLISTENER_LINE: 'SUPERVISOR_BAD_EVENTLISTENER_LINE',
  BAD_GROUP_LINE: 'SUPERVISOR_BAD_GROUP_LINE',
  BAD_NAME: 'SUPERVISOR_BAD_NAME',
  DUPLICATE_NAME: 'SUPERVISOR_DUPLICATE_NAME',
  UNKNOWN_EVENT: 'SUPERVISOR_UNKNOWN_EVENT',
  UNSAFE_VALUE: 'SUPERVISOR_UNSAFE_VALUE',
  BAD_ENVIRONMENT: 'SUPERVISOR_BAD_ENVIRONMENT',
  NO_PYTHON: 'SUPERVISOR_NO_PYTHON',
  INSTALL_FAILED: 'SUPERVISOR_INSTALL_FAILED',
  CONFIG_REJECTED: 'SUPERVISOR_CONFIG_REJECTED',
} as const;

export type SupervisorErrorCode = (typeof SupervisorErrorCodes)[keyof typeof SupervisorErrorCodes];

/**
 * Where a value came from, for messages: the part, the option and (for
 * one-item-per-line options) the line number and text.
 */
export interface Origin {
  readonly part: string;
  /** Absent when the problem is the part as a whole. */
  readonly option?: string;
  readonly line?: { readonly number: number; readonly text: string };
}

export function describeOrigin(origin: Origin): string {
  const where = origin.option === undefined ? `part ${origin.part}` : `part ${origin.part}, option ${origin.option}`;
  return origin.line === undefined ? where : `${where}, line ${origin.line.number} ${JSON.stringify(origin.line.text)}`;
}

/**
 * Where a helper reports what it finds wrong: the code of that kind of value,
 * its origin and a hint. The recipe reports every problem one way: it throws
 * `supervisorError(...)`, or `problemAt(site, ...)` from helpers that are
 * handed a site.
 */
export interface ProblemSite {
  readonly code: SupervisorErrorCode;
  readonly origin: Origin;
  readonly hint?: string | undefined;
}

export function problemAt(site: ProblemSite, problem: string): BuildoutError {
  return supervisorError(site.code, site.origin, problem, site.hint);
}

export function supervisorError(code: SupervisorErrorCode, origin: Origin, problem: string, hint?: string, cause?: unknown): BuildoutError {
  return new BuildoutError(code, `${describeOrigin(origin)}: ${problem}`, { part: origin.part, option: origin.option, hint, cause });
}
