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
import { PART_DEPENDENCIES, trimmedStart } from '@buildout/config';

/** zc.buildout's section names; option names as the parser reads them, not ending in an operator sign. */
const SECTION_NAME = /^[^\s#[\]:;{}]+$/;
const OPTION_NAME = /^[^\s{}[\]=:]*[^\s{}[\]=:+-]$/;

/** Raw (still escaped) values by section and option, or undefined when the text is not in the written layout. */
export function readWrittenSections(text: string): Map<string, Map<string, string>> | undefined {
  if (text.includes('\r')) return undefined;
  const sections = new Map<string, Map<string, string>>();
  let options: Map<string, string> | undefined;
  let option: string | undefined;
  let value = '';
  const finishOption = (): void => {
    if (option !== undefined) options!.set(option, value);
    option = undefined;
  };
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue; // the parser keeps a value open across blank lines too
    const first = line[0];
    if (first === '\t') {
      // A continuation line; after an empty first line the parser would keep indentation: not ours.
      const content = line.slice(1);
      if (option === undefined || value === '' || !isTrimmed(content)) return undefined;
      value += `\n${content}`;
      continue;
    }
    finishOption();
    if (first === '[') {
      const name = line.slice(1, -1);
      if (line[line.length - 1] !== ']' || !SECTION_NAME.test(name)) return undefined;
      options = sections.get(name) ?? new Map<string, string>();
      sections.set(name, options);
      continue;
    }
    if (!options || first === '#' || first === ';' || !isTrimmedAt(line, 0)) return undefined;
    if (line.startsWith('=> ') || line === '=>') {
      option = PART_DEPENDENCIES;
      value = line.slice(3);
    } else {
      const equals = line.indexOf(' = ');
      option = line.slice(0, equals);
      if (equals <= 0 || !OPTION_NAME.test(option)) return undefined;
      value = line.slice(equals + 3);
    }
    if (value !== '' && !isTrimmed(value)) return undefined;
  }
  finishOption();
  return sections;
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
