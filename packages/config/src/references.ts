/**
 * `${section:option}` references and their alias `$<section:option>`, with
 * zc.buildout's validity rules: names of `[-a-zA-Z0-9 ._]`, an empty section
 * meaning the section the value is in.
 */

export interface Reference {
  /** Offset of the `$` in the text. */
  readonly index: number;
  /** The reference as written, e.g. `${a:b}`. */
  readonly text: string;
  readonly section: string;
  readonly option: string;
  /** Why the reference is not valid, in zc.buildout's words; undefined when it is. */
  readonly error: string | undefined;
}

const REFERENCE = /\$\{([^}]*)\}|\$<([^>]*)>/g;
const VALID = /^[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+$/;
const SIMPLE = /^[-a-zA-Z0-9 ._]+$/;

/** Every reference in a piece of text (split on `$$` first: `$$` is not a reference). */
export function findReferences(text: string): Reference[] {
  if (!text.includes('$')) return [];
  const references: Reference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const body = match[1] ?? match[2]!;
    const parts = body.split(':');
    references.push({
      index: match.index,
      text: match[0],
      section: parts[0] ?? '',
      option: parts[1] ?? '',
      error: VALID.test(body) ? undefined : invalidReason(match[0], parts),
    });
  }
  return references;
}

function invalidReason(text: string, parts: string[]): string {
  if (parts.length < 2) return `The substitution, ${text}, doesn't contain a colon.`;
  if (parts.length > 2) return `The substitution, ${text}, has too many colons.`;
  if (parts[0] !== '' && !SIMPLE.test(parts[0]!)) return `The section name in substitution, ${text}, has invalid characters.`;
  if (parts[1] === '') return `The substitution, ${text}, has no option name.`;
  return `The option name in substitution, ${text}, has invalid characters.`;
}
