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

const VALID = /^[-a-zA-Z0-9 ._]*:[-a-zA-Z0-9 ._]+$/;
const SIMPLE = /^[-a-zA-Z0-9 ._]+$/;

/**
 * Every reference in a value, with offsets into it. `$$` protects: the value
 * is split on `$$` and only the pieces between are searched, as zc.buildout
 * does, so `$${a:b}` is not a reference.
 */
export function findValueReferences(value: string): Reference[] {
  if (!value.includes('$')) return [];
  if (!value.includes('$$')) return findReferences(value);
  const references: Reference[] = [];
  let offset = 0;
  for (const piece of value.split('$$')) {
    for (const reference of findReferences(piece)) references.push({ ...reference, index: reference.index + offset });
    offset += piece.length + 2;
  }
  return references;
}

/**
 * Every reference in a piece of text that holds no `$$`. A `${` or `$<` without its closing bracket is plain text, as in
 * zc.buildout. Scanned by hand: this runs for every value that holds a `$`.
 */
export function findReferences(text: string): Reference[] {
  const references: Reference[] = [];
  // Once a closing bracket is not found, none is further on: not searching again keeps `${${${...` linear.
  let noBrace = false;
  let noAngle = false;
  let index = text.indexOf('$');
  while (index !== -1 && index < text.length - 1) {
    const open = text[index + 1];
    const close = open === '{' && !noBrace ? '}' : open === '<' && !noAngle ? '>' : undefined;
    const end = close === undefined ? -1 : text.indexOf(close, index + 2);
    if (end === -1) {
      if (close === '}') noBrace = true;
      if (close === '>') noAngle = true;
      index = text.indexOf('$', index + 1);
      continue;
    }
    const body = text.slice(index + 2, end);
    const referenceText = text.slice(index, end + 1);
    const colon = body.indexOf(':');
    const valid = VALID.test(body);
    references.push({
      index,
      text: referenceText,
      section: colon === -1 ? body : body.slice(0, colon),
      option: colon === -1 ? '' : body.slice(colon + 1),
      error: valid ? undefined : invalidReason(referenceText, body.split(':')),
    });
    index = text.indexOf('$', end + 1);
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
