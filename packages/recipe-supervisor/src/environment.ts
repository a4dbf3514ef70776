/**
 * `environment=KEY=value,...` values. supervisord splits them with a
 * non-POSIX shlex whose word characters are letters, digits and `_/.+-():`;
 * an unquoted value is silently cut at any other character (`A=x y` gives
 * `x`, `A=$HOME` gives `$`). So every value outside that set is written
 * quoted, and values no quoting can carry are refused.
 */

import type { BuildoutError } from '@buildout/engine';
import { problemAt, type ProblemSite } from './errors.js';

export type EnvironmentPair = readonly [key: string, value: string];

const PLAIN_VALUE = /^[A-Za-z0-9_/.+\-():]+$/;
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const ENVIRONMENT_HINT = 'write KEY=value,KEY2="value with spaces"';

/** The value of `key` as supervisord must read it; one no quoting can carry is reported at `site`. */
export function quoteEnvironmentValue(key: string, value: string, site: ProblemSite): string {
  if (PLAIN_VALUE.test(value)) return value;
  const refuse = (problem: string): BuildoutError => problemAt(site, `cannot pass the value of ${key} to supervisord: ${problem}`);
  if (/[\r\n]/.test(value)) throw refuse('it contains a line break');
  // supervisord strips every quote character from both ends of a value.
  if (/^["']|["']$/.test(value)) throw refuse('it starts or ends with a quote character, which supervisord strips');
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw refuse('it contains both kinds of quotes, which supervisord cannot read');
}

/** `KEY=value,KEY2="v 2"`; a key or value that cannot be written is reported at `site`. */
export function formatEnvironment(pairs: readonly EnvironmentPair[], site: ProblemSite): string {
  return pairs
    .map(([key, value]) => {
      if (!KEY.test(key))
        throw problemAt(site, `environment variable name ${JSON.stringify(key)} is not a valid name (letters, digits and _)`);
      return `${key}=${quoteEnvironmentValue(key, value, site)}`;
    })
    .join(',');
}

/**
 * Reads `KEY=value` pairs separated by commas or line breaks, as users write
 * them in `supervisord-environment` or a process's `environment=` option. A
 * value may be quoted ("..." or '...') to hold commas or spaces; unquoted
 * values are trimmed. What is wrong is reported at `site`.
 */
export function parseEnvironment(text: string, site: ProblemSite): EnvironmentPair[] {
  const pairs: EnvironmentPair[] = [];
  let position = 0;
  const skipSeparators = (): void => {
    while (position < text.length && /[\s,]/.test(text[position]!)) position += 1;
  };
  skipSeparators();
  while (position < text.length) {
    const equals = text.indexOf('=', position);
    const key = (equals === -1 ? text.slice(position) : text.slice(position, equals)).trim();
    if (equals === -1 || /[,\n]/.test(key)) throw problemAt(site, `${JSON.stringify(key.split(/[,\n]/)[0])} is not KEY=value`);
    if (!KEY.test(key)) throw problemAt(site, `${JSON.stringify(key)} is not a valid environment variable name (letters, digits and _)`);
    if (pairs.some(([existing]) => existing === key)) throw problemAt(site, `${key} is given twice`);
    position = equals + 1;
    while (text[position] === ' ' || text[position] === '\t') position += 1;
    const quote = text[position];
    let value: string;
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, position + 1);
      if (close === -1) throw problemAt(site, `the value of ${key} opens a ${quote} quote that is not closed`);
      value = text.slice(position + 1, close);
      position = close + 1;
      while (text[position] === ' ' || text[position] === '\t') position += 1;
      if (position < text.length && !/[,\n\r]/.test(text[position]!)) {
        throw problemAt(site, `unexpected ${JSON.stringify(text.slice(position).split(/[,\n]/)[0])} after the quoted value of ${key}`);
      }
    } else {
      let end = position;
      while (end < text.length && !/[,\n\r]/.test(text[end]!)) end += 1;
      value = text.slice(position, end).trim();
      position = end;
    }
    pairs.push([key, value]);
    skipSeparators();
  }
  return pairs;
}

/** Pairs of `base` with those of `overrides` replacing same-named ones in place, new ones appended. */
export function mergeEnvironment(base: readonly EnvironmentPair[], overrides: readonly EnvironmentPair[]): EnvironmentPair[] {
  const merged = base.map(([key, value]): EnvironmentPair => [key, overrides.find(([name]) => name === key)?.[1] ?? value]);
  for (const pair of overrides) if (!base.some(([key]) => key === pair[0])) merged.push(pair);
  return merged;
}
