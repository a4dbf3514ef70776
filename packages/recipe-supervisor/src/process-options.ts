/**
 * The `(key=value ...)` group of a `programs` or `eventlisteners` line:
 * supervisord options for that process, separated by spaces.
 */

import { problemAt, type ProblemSite } from './errors.js';

export interface ProcessOption {
  readonly key: string;
  readonly value: string;
}

// A word runs to the next space outside quotes, so that
// `environment=A="x y",B=1` stays one option.
const WORD = /(?:[^\s"']+|"[^"]*"|'[^']*')+/g;

/** Parses the inside of `(...)`; what is wrong is reported at `site` (the line). */
export function parseProcessOptions(inner: string, knownKeys: ReadonlySet<string>, site: ProblemSite): ProcessOption[] {
  const words = inner.match(WORD) ?? [];
  const unmatched = inner.replace(WORD, '').trim();
  if (unmatched !== '') throw problemAt(site, `the process options contain a quote that is not closed: ${JSON.stringify(unmatched)}`);
  if (words.length === 0) throw problemAt(site, 'the process options "()" are empty');
  const options: ProcessOption[] = [];
  for (const word of words) {
    const equals = word.indexOf('=');
    if (equals === -1) throw problemAt(site, `process option ${JSON.stringify(word)} is not key=value`);
    const key = word.slice(0, equals);
    const value = word.slice(equals + 1);
    if (key === '') throw problemAt(site, `process option ${JSON.stringify(word)} has no key`);
    if (value === '') throw problemAt(site, `process option ${JSON.stringify(key)} has no value`);
    if (!knownKeys.has(key)) {
      throw problemAt(
        site,
        `unknown process option ${JSON.stringify(key)} (supervisord would silently ignore it); known options: ${[...knownKeys].sort().join(', ')}`,
      );
    }
    if (options.some((option) => option.key === key)) throw problemAt(site, `process option ${JSON.stringify(key)} is given twice`);
    options.push({ key, value });
  }
  return options;
}
