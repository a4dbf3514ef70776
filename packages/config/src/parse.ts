import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { SECTION_NAME } from './names.js';
import { dedent, isPythonSpace, rstripPython, stripPython, trimmedEnd } from './text.js';

export type Operator = '=' | '+=' | '-=';

export interface ParsedOption {
  readonly name: string;
  readonly operator: Operator;
  readonly value: string;
  /** Where the option name starts. */
  readonly location: SourceLocation;
  /** Column where the value starts, when it was written on one line (for pointing at references); else 0. */
  readonly valueColumn: number;
}

export interface ParsedSection {
  readonly name: string;
  /** Where the `[` of the header is. */
  readonly location: SourceLocation;
  readonly options: readonly ParsedOption[];
}

export interface ParseOptions {
  /** Evaluates `[name: condition]`; without it a condition is a syntax error. */
  evaluateCondition?: ((expression: string, location: SourceLocation) => boolean) | undefined;
}

/** The option name that `=> a b` stands for (explicit part dependencies). */
export const PART_DEPENDENCIES = '<part-dependencies>';

// zc.buildout's grammar (names.ts), then an optional `+`/`-` before `=`.
// Linear: the name class excludes what may follow it, so a failed match backtracks once.
const OPTION_START = /^([^\s{}[\]=:]+)([ \t]*)([-+]?)=/;

/**
 * An option being read, which becomes the parsed option itself (one object
 * per option: large files make many): zc.buildout accumulates its text,
 * then dedents it when the file is done. `valueColumn` drops to 0 once the
 * value spans lines.
 */
interface PendingOption {
  name: string;
  operator: Operator;
  value: string;
  location: SourceLocation;
  valueColumn: number;
}

interface PendingSection {
  name: string;
  location: SourceLocation;
  /** Keyed by name and operator: `x`, `x +=` and `x -=` are separate entries, as in zc.buildout. */
  options: Map<string, PendingOption>;
  /** How many of them are `+=`/`-=` (most sections have none: an `=` then has nothing to drop). */
  operations: number;
}

/** `x` for `x =`, `+=x` and `-=x` for the others (names cannot hold `=`, so these never clash). */
const optionKey = (name: string, operator: Operator): string => (operator === '=' ? name : `${operator}${name}`);

/**
 * Parses one buildout.cfg text the way zc.buildout 6's configparser does (see
 * the spec's "File syntax"). Sections whose condition is false are left out;
 * same-name sections (conditional ones, typically) are merged in file order:
 * a later `x =` replaces `x` and drops earlier `x +=`/`x -=`, while repeated
 * `x +=` (or `x -=`) accumulate their lines.
 */
export function parseConfigText(text: string, file: string, options: ParseOptions = {}): ParsedSection[] {
  const sections = new Map<string, PendingSection>();
  let current: PendingSection | undefined;
  // false while inside a section whose condition did not hold: its lines are skipped.
  let sectionEnabled = true;
  let open: PendingOption | undefined;
  let block = false;

  const evaluate = (header: Header, at: (column: number) => SourceLocation): boolean => {
    if (!options.evaluateCondition) {
      throw new BuildoutError(ErrorCodes.SYNTAX, `section [${header.name}] has a condition, which is not allowed here`, {
        location: at(header.conditionColumn),
      });
    }
    return options.evaluateCondition(header.condition!, at(header.conditionColumn));
  };

  const source = text.startsWith('\ufeff') ? text.slice(1) : text;
  // Lines are cut one at a time (no array of them all to keep alive) unless a `\r` needs universal newlines.
  const lines = source.includes('\r') ? splitLines(source) : undefined;
  let position = 0;
  // One function for every line (not a closure per line): it is only called while the line is read.
  let lineNumber = 0;
  const at = (column: number): SourceLocation => ({ file, line: lineNumber, column });
  for (let index = 0; lines ? index < lines.length : position < source.length; index++) {
    let line: string;
    if (lines) line = lines[index]!;
    else {
      const end = source.indexOf('\n', position);
      line = source.slice(position, end === -1 ? source.length : end);
      position = end === -1 ? source.length : end + 1;
    }
    lineNumber = index + 1;

    const first = line[0];
    if (first === '#' || first === ';') continue; // comment, even between the lines of a value

    const startsWithSpace = line === '' || isPythonSpace(first!);
    if (startsWithSpace && open) {
      if (!sectionEnabled) continue;
      const continued = block ? rstripPython(line) : stripPython(line);
      if (block || continued !== '') {
        open.value += `\n${continued}`;
        open.valueColumn = 0;
      }
      continue;
    }
    if (startsWithSpace && (stripPython(line) === '' || !sectionEnabled)) continue;

    if (first === '[') {
      const header = parseHeader(line, at);
      const enabled = header.condition === undefined || evaluate(header, at);
      // A false section leaves the current one and its open option as they are; their lines are skipped.
      sectionEnabled = enabled;
      if (enabled) {
        current = sections.get(header.name);
        if (!current) {
          current = { name: header.name, location: at(1), options: new Map(), operations: 0 };
          sections.set(header.name, current);
        }
        open = undefined;
      }
      continue;
    }

    if (startsWithSpace) {
      throw new BuildoutError(
        ErrorCodes.SYNTAX,
        current ? 'indented line with no option to continue' : 'indented line before the first section header',
        {
          location: at(1),
          hint: current ? 'a value can only be continued after `name = value`; remove the indentation' : undefined,
        },
      );
    }

    // Lines of a disabled section are still checked, as zc.buildout does, but dropped.
    const option = parseOptionStart(line, at);
    if (!sectionEnabled) continue;
    if (!current) {
      throw new BuildoutError(ErrorCodes.SYNTAX, 'option outside any section', {
        location: at(1),
        hint: 'start the file with a section header such as [buildout]',
      });
    }
    const value = stripPython(option.rawValue);
    block = value === '';
    const key = optionKey(option.name, option.operator);
    const existing = current.options.get(key);
    if (existing && option.operator !== '=') {
      existing.value = rstripPython(existing.value);
      if (value !== '') existing.value += `\n${value}`;
      existing.valueColumn = 0;
      open = existing;
      continue;
    }
    if (option.operator === '=' && current.operations > 0) {
      if (current.options.delete(optionKey(option.name, '+='))) current.operations--;
      if (current.options.delete(optionKey(option.name, '-='))) current.operations--;
    }
    if (option.operator !== '=') current.operations++;
    open = { name: option.name, operator: option.operator, value, location: at(1), valueColumn: option.valueColumn };
    current.options.set(key, open);
  }
  const parsed: ParsedSection[] = [];
  for (const section of sections.values()) {
    const options = [...section.options.values()];
    for (const option of options) option.value = finishValue(option.value);
    parsed.push({ name: section.name, location: section.location, options });
  }
  return parsed;
}

/** Python's universal newlines: `\r\n`, `\r` and `\n` all end a line. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A value that starts with whitespace (its first line was empty): dedent, drop leading blank lines and trailing whitespace. */
function finishValue(text: string): string {
  if (text === '' || !isPythonSpace(text[0]!)) return text;
  return dedent(rstripPython(text)).replace(/^(?:[ \t\f\v\r]*\n)+/, '');
}

interface Header {
  name: string;
  condition: string | undefined;
  conditionColumn: number;
}

function parseHeader(line: string, at: (column: number) => SourceLocation): Header {
  // A comment may follow the closing bracket; conditions cannot contain `#` or `;`.
  const commentAt = line.search(/[#;]/);
  const body = rstripPython(commentAt === -1 ? line : line.slice(0, commentAt));
  if (!body.endsWith(']')) {
    throw new BuildoutError(ErrorCodes.SYNTAX, `section header is not closed with ']': ${line.trim()}`, {
      location: at(1),
      hint: commentAt !== -1 ? 'a condition cannot contain # or ; (write \\x23 or \\x3b in its strings)' : undefined,
    });
  }
  const inner = body.slice(1, -1);
  const colon = inner.indexOf(':');
  const rawName = colon === -1 ? inner : inner.slice(0, colon);
  const name = stripPython(rawName);
  const nameColumn = 2 + (rawName.length - rawName.trimStart().length);
  if (!SECTION_NAME.test(name)) {
    throw new BuildoutError(
      ErrorCodes.SYNTAX,
      name === ''
        ? 'section header without a name'
        : `invalid section name '${name}': names cannot contain whitespace or any of # [ ] : ; { }`,
      {
        location: at(nameColumn),
      },
    );
  }
  if (colon === -1) return { name, condition: undefined, conditionColumn: 0 };
  const condition = inner.slice(colon + 1);
  const conditionColumn = 2 + colon + 1 + (condition.length - condition.trimStart().length);
  if (stripPython(condition) === '') {
    // zc.buildout treats `[name:]` like `[name]`.
    return { name, condition: undefined, conditionColumn: 0 };
  }
  return { name, condition: stripPython(condition), conditionColumn };
}

interface OptionStart {
  name: string;
  operator: Operator;
  rawValue: string;
  valueColumn: number;
}

function parseOptionStart(line: string, at: (column: number) => SourceLocation): OptionStart {
  if (line.startsWith('=>')) {
    const rawValue = line.slice(2);
    return { name: PART_DEPENDENCIES, operator: '=', rawValue, valueColumn: 2 + (rawValue.length - rawValue.trimStart().length) + 1 };
  }
  const match = OPTION_START.exec(line);
  if (!match) throw optionSyntaxError(line, at);
  // zc.buildout keeps `name +` / `x+` as written and reads a trailing sign
  // (after any spaces) as the operator, stripping every trailing sign: `k.rstrip(' +')`.
  const valueStart = match[0].length;
  const written = line.slice(0, valueStart - 1).trimEnd();
  const sign = written.endsWith('+') ? '+' : written.endsWith('-') ? '-' : '';
  const operator: Operator = sign === '+' ? '+=' : sign === '-' ? '-=' : '=';
  const name = sign === '' ? written : written.slice(0, trimmedEnd(written, sign === '+' ? isSpaceOrPlus : isSpaceOrMinus));
  if (name === '') {
    throw new BuildoutError(ErrorCodes.SYNTAX, `option name missing before '${sign}='`, { location: at(1) });
  }
  const rawValue = line.slice(valueStart);
  return { name, operator, rawValue, valueColumn: valueStart + (rawValue.length - rawValue.trimStart().length) + 1 };
}

const isSpaceOrPlus = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x2b;
const isSpaceOrMinus = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x2d;

function optionSyntaxError(line: string, at: (column: number) => SourceLocation): BuildoutError {
  const trimmed = line.trim();
  const colonForm = /^([^\s{}[\]=:]+)\s*:/.exec(line);
  if (colonForm) {
    return new BuildoutError(ErrorCodes.SYNTAX, `'${colonForm[1]}:' is not an option: buildout options use '=' only`, {
      location: at(colonForm[1]!.length + 1),
      hint: `write '${colonForm[1]} = ...'`,
    });
  }
  const badName = nameBeforeEquals(line);
  if (badName) {
    const bad = /[\s{}[\]:]/.exec(badName);
    return new BuildoutError(ErrorCodes.SYNTAX, `invalid option name '${badName}': names cannot contain whitespace or any of { } [ ] = :`, {
      location: at(bad ? bad.index + 1 : 1),
    });
  }
  return new BuildoutError(ErrorCodes.SYNTAX, `expected 'name = value', a section header or a comment, got: ${truncate(trimmed)}`, {
    location: at(1),
  });
}

/** What comes before the first `=` and its optional `+`/`-`, without trailing whitespace ('' for none). */
function nameBeforeEquals(line: string): string {
  const equals = line.indexOf('=');
  if (equals <= 0) return '';
  const sign = line[equals - 1] === '+' || line[equals - 1] === '-' ? 1 : 0;
  return line.slice(0, equals - sign).trimEnd();
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
