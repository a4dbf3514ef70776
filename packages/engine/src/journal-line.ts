/**
 * One line of the journal of installed parts, checked: valid JSON of one of
 * the record shapes `state.ts` writes. A broken line is STATE_CORRUPT naming
 * the journal and the line, except the last one, which a kill in the middle of
 * a write may have cut short and which is ignored.
 */
import { BuildoutError } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';
import type { JournalRecord } from './state.js';

export interface JournalLinePlace {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** The last line of the journal (it may be cut short). */
  readonly last: boolean;
}

export function parseJournalLine(text: string, place: JournalLinePlace): JournalRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (place.last) return undefined;
    throw corrupt(place, 'is not valid JSON', error);
  }
  const problem = recordProblem(value);
  if (problem !== undefined) throw corrupt(place, problem);
  return value as JournalRecord;
}

function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a journal record';
  const record = value as Record<string, unknown>;
  if (typeof record.part !== 'string' || record.part === '') return 'names no part';
  switch (record.op) {
    case 'remove':
    case 'discard':
      return undefined;
    case 'created':
      return isStringList(record.paths) ? undefined : 'has no list of paths';
    case 'record': {
      const state = record.state as Record<string, unknown> | null | undefined;
      if (typeof state !== 'object' || state === null) return 'has no part state';
      const options = state.options as Record<string, unknown> | null | undefined;
      const optionsValid = typeof options === 'object' && options !== null && Object.values(options).every((v) => typeof v === 'string');
      if (!optionsValid || !isStringList(state.installed) || typeof state.signature !== 'string') return 'has a malformed part state';
      return undefined;
    }
    default:
      return `has an unknown operation ${JSON.stringify(record.op)}`;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function corrupt(place: JournalLinePlace, problem: string, cause?: unknown): BuildoutError {
  return new BuildoutError(EngineErrorCodes.STATE_CORRUPT, `line ${place.line} of the journal ${problem}`, {
    location: { file: place.file, line: place.line, column: 1 },
    hint: 'delete the journal to keep only what .installed.cfg recorded',
    cause,
  });
}
