/**
 * `.installed.cfg` exactly as `formatInstalledCfg` writes it, read without
 * the general config parser: a no-op rerun reads the whole record (hundreds
 * of KB for a large buildout) before it can do nothing. The layout is
 * narrow (`[name]`, `name = value`, `=> value`, `\t`-continued lines, no
 * edge whitespace: `encodeValue` escapes it), so anything else (a file
 * edited by hand, a comment, a condition, CR line ends) makes this answer
 * undefined and the caller uses the config parser instead: either way the
 * result is the same.
 */
import { PART_DEPENDENCIES, SECTION_NAME, trimmedStart, WRITABLE_OPTION_NAME } from '@buildout/config';

/** Raw (still escaped) values by section and option, or undefined when the text is not in the written layout. */
export function readWrittenSections(text: string): Map<string, Map<string, string>> | undefined {
  if (text.includes('\r')) return undefined;
  const sections = new Map<string, Map<string, string>>();
  // Every part records the same few option names: each is checked once, and kept once.
  const names = new Map<string, string>();
  let options: Map<string, string> | undefined;
  let option: string | undefined;
  let value = '';
  // Lines are read by their indices in the text: a record of thousands of parts has tens of thousands.
  for (let start = 0, end = 0; start < text.length; start = end + 1) {
    end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end === start) continue; // the parser keeps a value open across blank lines too
    const first = text.charCodeAt(start);
    if (first === TAB) {
      // A continuation line; after an empty first line the parser would keep indentation: not ours.
      if (option === undefined || value === '' || end === start + 1 || !isTrimmedAt(text, start + 1) || !isTrimmedAt(text, end - 1))
        return undefined;
      value += `\n${text.slice(start + 1, end)}`;
      continue;
    }
    if (option !== undefined) options!.set(option, value);
    option = undefined;
    if (first === OPEN_BRACKET) {
      const name = text.slice(start + 1, end - 1);
      if (text.charCodeAt(end - 1) !== CLOSE_BRACKET || !SECTION_NAME.test(name)) return undefined;
      options = sections.get(name) ?? new Map<string, string>();
      sections.set(name, options);
      continue;
    }
    if (!options || first === HASH || first === SEMICOLON || !isTrimmedAt(text, start)) return undefined;
    let valueStart: number;
    if (text.startsWith('=>', start) && (end === start + 2 || text.startsWith('=> ', start))) {
      option = PART_DEPENDENCIES;
      valueStart = Math.min(start + 3, end);
    } else {
      const equals = text.indexOf(' = ', start);
      if (equals <= start || equals + 3 > end) return undefined;
      option = knownName(names, text.slice(start, equals));
      if (option === undefined) return undefined;
      valueStart = equals + 3;
    }
    value = text.slice(valueStart, end);
    if (value !== '' && !isTrimmed(value)) return undefined;
  }
  if (option !== undefined) options!.set(option, value);
  return sections;
}

const TAB = 0x09;
const HASH = 0x23;
const SEMICOLON = 0x3b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** `name` as the parser reads it (undefined when it would not), the same string for every part that records it. */
function knownName(names: Map<string, string>, name: string): string | undefined {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (!WRITABLE_OPTION_NAME.test(name)) return undefined;
  names.set(name, name);
  return name;
}

/** No whitespace (Python's) at either end, which the parser would strip. */
function isTrimmed(text: string): boolean {
  return text !== '' && isTrimmedAt(text, 0) && isTrimmedAt(text, text.length - 1);
}

/** The character at `index` is not whitespace to Python (printable ASCII, the usual case, decided at once). */
function isTrimmedAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code > 0x20 && code < 0x7f) return true;
  return trimmedStart(text[index]!) === 0;
}
