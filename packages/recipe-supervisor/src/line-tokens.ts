/**
 * Splits one `programs` / `eventlisteners` / `groups` line into tokens:
 * plain words, `(...)` groups (process options) and `[...]` groups
 * (arguments). Groups may contain spaces and nest, so arguments can hold
 * brackets (`[-c "x[0]"]`) and options supervisord expansions
 * (`(process_name=%(program_name)s_%(process_num)s)`).
 */

import { problemAt, type ProblemSite } from './errors.js';

export type LineToken =
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'options'; readonly text: string; readonly inner: string }
  | { readonly kind: 'arguments'; readonly text: string; readonly inner: string };

/** The tokens of `line`; a line that cannot be split is reported at `site`. */
export function tokenizeLine(line: string, site: ProblemSite): LineToken[] {
  const tokens: LineToken[] = [];
  let position = 0;
  while (position < line.length) {
    const character = line[position]!;
    if (/\s/.test(character)) {
      position += 1;
    } else if (character === '(') {
      const close = matchingClose(line, position, '(', ')');
      if (close === -1) throw problemAt(site, `the "(" of the process options at column ${position + 1} is not closed by ")"`);
      const text = line.slice(position, close + 1);
      tokens.push({ kind: 'options', text, inner: text.slice(1, -1) });
      position = close + 1;
      requireSeparator(line, position, text, site);
    } else if (character === '[') {
      const close = matchingClose(line, position, '[', ']');
      if (close === -1) throw problemAt(site, `the "[" of the arguments at column ${position + 1} is not closed by "]"`);
      const text = line.slice(position, close + 1);
      tokens.push({ kind: 'arguments', text, inner: text.slice(1, -1) });
      position = close + 1;
      requireSeparator(line, position, text, site);
    } else {
      let end = position;
      while (end < line.length && !/\s/.test(line[end]!)) end += 1;
      tokens.push({ kind: 'word', text: line.slice(position, end) });
      position = end;
    }
  }
  return tokens;
}

function matchingClose(line: string, open: number, opening: string, closing: string): number {
  let depth = 0;
  for (let index = open; index < line.length; index += 1) {
    if (line[index] === opening) depth += 1;
    else if (line[index] === closing) {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

// `(a=b)x` or `[x]y` is almost certainly a missing space or a stray character;
// guessing what was meant would hide the mistake.
function requireSeparator(line: string, position: number, group: string, site: ProblemSite): void {
  const next = line[position];
  if (next !== undefined && !/\s/.test(next)) {
    throw problemAt(site, `expected a space after ${JSON.stringify(group)}, found ${JSON.stringify(next)}`);
  }
}

/**
 * The entries of a one-item-per-line option: its non-blank lines, trimmed and
 * numbered from 1 (the first entry is line 1, however the value was indented).
 */
export function numberedLines(value: string | undefined): Array<{ number: number; text: string }> {
  if (value === undefined) return [];
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((text, index) => ({ number: index + 1, text }));
}
