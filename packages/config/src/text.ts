/**
 * Python's idea of whitespace (str.isspace / str.strip), which zc.buildout's
 * parser relies on. JavaScript's `\s` and trim() differ: they miss
 * \x1c-\x1f and \x85, and include \ufeff.
 */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_CHAR = new RegExp(`^[${PY_SPACE}]$`);
const LEADING = new RegExp(`^[${PY_SPACE}]+`);
const TRAILING = new RegExp(`[${PY_SPACE}]+$`);

export function isPythonSpace(char: string): boolean {
  return SPACE_CHAR.test(char);
}

export function stripPython(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}

export function rstripPython(text: string): string {
  return text.replace(TRAILING, '');
}

/** Whitespace-separated words of an option value (zc.buildout's `value.split()`); none for undefined. */
export function words(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((word) => word !== '');
}

/**
 * textwrap.dedent: remove the longest run of spaces and tabs common to every
 * line that is not blank; whitespace-only lines become empty.
 */
export function dedent(text: string): string {
  const lines = text.split('\n').map((line) => (/^[ \t]+$/.test(line) ? '' : line));
  let margin: string | undefined;
  for (const line of lines) {
    if (line === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (margin === undefined || margin.startsWith(indent)) margin = indent;
    else if (!indent.startsWith(margin)) {
      let common = 0;
      while (common < margin.length && margin[common] === indent[common]) common++;
      margin = margin.slice(0, common);
    }
  }
  if (!margin) return lines.join('\n');
  const width = margin.length;
  return lines.map((line) => (line.startsWith(margin!) ? line.slice(width) : line)).join('\n');
}

/** Levenshtein distance, for "did you mean ...?" hints. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidate within a small edit distance, for hints. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
