import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { dedent, isPythonSpace, stripPython, rstripPython } from './text.js';

export type Operator = '=' | '+=' | '-=';

export interface ParsedOption {
  readonly name: string;
  readonly operator: Operator;
  readonly value: string;
  /** Where the option name starts. */
  readonly location: SourceLocation;
  /** Column where the value starts on the first line (for pointing at references). */
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

// zc.buildout's grammar: section names have no whitespace nor `#[]:;{}`;
// option names no whitespace nor `{}[]=:`, then an optional `+`/`-` before `=`.
const SECTION_NAME = /^[^\s#[\]:;{}]+$/;
const OPTION_START = /^([^\s{}[\]=:]+)([ \t]*)([-+]?)=/;

interface OpenOption {
  section: MutableSection;
  name: string;
  operator: Operator;
  location: SourceLocation;
  valueColumn: number;
  /** First line empty: keep indentation and blank lines, dedent at the end. */
  block: boolean;
  lines: string[];
}

interface MutableSection {
  name: string;
  location: SourceLocation;
  options: ParsedOption[];
}

/**
 * Parses one buildout.cfg text the way zc.buildout's configparser does (see
 * the spec's "File syntax"). Sections whose condition is false are left out;
 * a repeated section is returned once per header (merging is the caller's).
 */
export function parseConfigText(text: string, file: string, options: ParseOptions = {}): ParsedSection[] {
  const sections: MutableSection[] = [];
  let current: MutableSection | undefined;
  // false while inside a section whose condition did not hold: its lines are skipped.
  let sectionEnabled = true;
  let open: OpenOption | undefined;

  const evaluate = (header: Header, at: (column: number) => SourceLocation): boolean => {
    if (!options.evaluateCondition) {
      throw new BuildoutError(ErrorCodes.SYNTAX, `section [${header.name}] has a condition, which is not allowed here`, {
        location: at(header.conditionColumn),
      });
    }
    return options.evaluateCondition(header.condition!, at(header.conditionColumn));
  };

  const closeOption = (): void => {
    if (!open) return;
    const option = open;
    open = undefined;
    let value = option.lines.join('\n');
    if (option.block) value = dedentBlock(value);
    option.section.options.push({
      name: option.name,
      operator: option.operator,
      value,
      location: option.location,
      valueColumn: option.valueColumn,
    });
  };

  const lines = splitLines(text.startsWith('\ufeff') ? text.slice(1) : text);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;
    const at = (column: number): SourceLocation => ({ file, line: lineNumber, column });

    const first = line[0];
    if (first === '#' || first === ';') continue; // comment, even between the lines of a value

    const startsWithSpace = line === '' || isPythonSpace(first!);
    if (startsWithSpace && open) {
      if (open.block) open.lines.push(rstripPython(line));
      else {
        const stripped = stripPython(line);
        if (stripped !== '') open.lines.push(stripped);
      }
      continue;
    }
    if (startsWithSpace && (stripPython(line) === '' || !sectionEnabled)) continue;

    closeOption();

    if (first === '[') {
      const header = parseHeader(line, at);
      sectionEnabled = header.condition === undefined || evaluate(header, at);
      if (sectionEnabled) {
        // Same-name sections are merged by the caller, in file order.
        current = { name: header.name, location: at(1), options: [] };
        sections.push(current);
      }
      continue;
    }

    if (startsWithSpace) {
      throw new BuildoutError(ErrorCodes.SYNTAX, current
        ? 'indented line with no option to continue'
        : 'indented line before the first section header', {
        location: at(1),
        hint: current ? 'a value can only be continued after `name = value`; remove the indentation' : undefined,
      });
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
    const stripped = stripPython(option.rawValue);
    open = {
      section: current,
      name: option.name,
      operator: option.operator,
      location: at(1),
      valueColumn: option.valueColumn,
      block: stripped === '',
      lines: [stripped],
    };
  }
  closeOption();
  return sections;
}

/** Python's universal newlines: `\r\n`, `\r` and `\n` all end a line. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A value whose first line was empty: dedent, drop leading blank lines and trailing whitespace. */
function dedentBlock(value: string): string {
  const trimmed = rstripPython(value);
  if (trimmed === '') return '';
  return dedent(trimmed).replace(/^(?:[ \t\f\v\r]*\n)+/, '');
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
    throw new BuildoutError(ErrorCodes.SYNTAX, name === ''
      ? 'section header without a name'
      : `invalid section name '${name}': names cannot contain whitespace or any of # [ ] : ; { }`, {
      location: at(nameColumn),
    });
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
    return { name: PART_DEPENDENCIES, operator: '=', rawValue: line.slice(2), valueColumn: valueColumnOf(line, 2) };
  }
  const match = OPTION_START.exec(line);
  if (!match) throw optionSyntaxError(line, at);
  // zc.buildout keeps `name +` / `x+` as written and reads a trailing sign
  // (after any spaces) as the operator, stripping every trailing sign: `k.rstrip(' +')`.
  const written = `${match[1]!}${match[2]!}${match[3]!}`.trimEnd();
  const sign = written.endsWith('+') ? '+' : written.endsWith('-') ? '-' : '';
  const operator: Operator = sign === '+' ? '+=' : sign === '-' ? '-=' : '=';
  const name = sign === '' ? written : written.replace(sign === '+' ? /[ \t+]+$/ : /[ \t-]+$/, '');
  if (name === '') {
    throw new BuildoutError(ErrorCodes.SYNTAX, `option name missing before '${sign}='`, { location: at(1) });
  }
  const valueStart = match[0].length;
  return { name, operator, rawValue: line.slice(valueStart), valueColumn: valueColumnOf(line, valueStart) };
}

function valueColumnOf(line: string, valueStart: number): number {
  const rest = line.slice(valueStart);
  return valueStart + (rest.length - rest.trimStart().length) + 1;
}

function optionSyntaxError(line: string, at: (column: number) => SourceLocation): BuildoutError {
  const trimmed = line.trim();
  const colonForm = /^([^\s{}[\]=:]+)\s*:/.exec(line);
  if (colonForm) {
    return new BuildoutError(ErrorCodes.SYNTAX, `'${colonForm[1]}:' is not an option: buildout options use '=' only`, {
      location: at(colonForm[1]!.length + 1),
      hint: `write '${colonForm[1]} = ...'`,
    });
  }
  const badName = /^([^=]*?)\s*[-+]?=/.exec(line);
  if (badName && badName[1] !== '') {
    const bad = /[\s{}[\]:]/.exec(badName[1]!);
    return new BuildoutError(ErrorCodes.SYNTAX, `invalid option name '${badName[1]}': names cannot contain whitespace or any of { } [ ] = :`, {
      location: at(bad ? bad.index + 1 : 1),
    });
  }
  return new BuildoutError(ErrorCodes.SYNTAX, `expected 'name = value', a section header or a comment, got: ${truncate(trimmed)}`, {
    location: at(1),
  });
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
