/**
 * Python's idea of whitespace (str.isspace / str.strip), which zc.buildout's
 * parser relies on. JavaScript's `\s` and trim() differ: they miss
 * \x1c-\x1f and \x85, and include \ufeff.
 */
export function isPythonSpace(char: string): boolean {
  return char.length === 1 && isPythonSpaceCode(char.charCodeAt(0));
}

/** Printable ASCII other than space: the usual first and last character of a line, and never whitespace. */
const isPlainAscii = (code: number): boolean => code > 0x20 && code < 0x7f;

/** str.isspace for one UTF-16 code unit. */
export function isPythonSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code >= 0x1c;
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

// Trimming scans by hand: a regular expression such as /\s+$/ retries from
// every position of a long run of spaces, which is quadratic in its length.

/** The index just past the last character of `text` that `isTrimmed` does not accept (0 when it accepts all). */
export function trimmedEnd(text: string, isTrimmed: (code: number) => boolean = isPythonSpaceCode): number {
  let end = text.length;
  while (end > 0 && isTrimmed(text.charCodeAt(end - 1))) end--;
  return end;
}

/** The index of the first character of `text` that `isTrimmed` does not accept (`text.length` when it accepts all). */
export function trimmedStart(text: string, isTrimmed: (code: number) => boolean = isPythonSpaceCode): number {
  let start = 0;
  while (start < text.length && isTrimmed(text.charCodeAt(start))) start++;
  return start;
}

export function stripPython(text: string): string {
  if (text === '' || (isPlainAscii(text.charCodeAt(0)) && isPlainAscii(text.charCodeAt(text.length - 1)))) return text;
  const end = trimmedEnd(text);
  return end === 0 ? '' : text.slice(trimmedStart(text), end);
}

export function rstripPython(text: string): string {
  if (text === '' || isPlainAscii(text.charCodeAt(text.length - 1))) return text;
  return text.slice(0, trimmedEnd(text));
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
  const lines = text.split('\n');
  let margin: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const indent = INDENT.exec(line)![0];
    if (indent.length === line.length) {
      lines[index] = ''; // whitespace only
      continue;
    }
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
const INDENT = /^[ \t]*/;

/**
 * Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`
 * (optimal string alignment), for "did you mean ...?" hints: a swap is the
 * commonest typo, so it counts as one edit.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
      row.push(best);
    }
    beforePrevious = previous;
    previous = row;
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
