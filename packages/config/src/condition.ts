/**
 * Section conditions (`[name: expression]`) without eval: a small Python-like
 * expression language with `and or not ( )`, comparisons (chained as in
 * Python), `in` / `not in`, string and number literals, True/False/None and a
 * fixed set of platform names.
 */
import { execFileSync } from 'node:child_process';
import { arch, endianness, machine, platform, release } from 'node:os';
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { closest } from './text.js';

type Value = string | number | boolean | null;

type Token =
  | { kind: 'name'; text: string; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'op'; text: string; offset: number }
  | { kind: 'end'; offset: number };

export type ConditionNames = Readonly<Record<string, Value | (() => Value)>>;

/** The names a condition may use, for this machine. Values that cost something to compute are functions. */
export function platformNames(): ConditionNames {
  const system = platform();
  const names: Record<string, Value | (() => Value)> = {
    linux: system === 'linux',
    windows: system === 'win32',
    macosx: system === 'darwin',
    cygwin: system === 'cygwin',
    solaris: system === 'sunos',
    posix: system !== 'win32',
    bits32: ['ia32', 'arm', 'mips', 'mipsel', 'ppc'].includes(arch()),
    bits64: !['ia32', 'arm', 'mips', 'mipsel', 'ppc'].includes(arch()),
    little_endian: endianness() === 'LE',
    big_endian: endianness() === 'BE',
    // PEP 508 markers that make sense for a Node process.
    sys_platform: system === 'win32' ? 'win32' : system,
    platform_system: { linux: 'Linux', darwin: 'Darwin', win32: 'Windows' }[system as string] ?? system,
    platform_machine: machine(),
    platform_release: release(),
    os_name: system === 'win32' ? 'nt' : 'posix',
    node_version: process.versions.node,
    // zc.buildout's interpreter names describe the Python that runs buildout;
    // here they describe the `python3` on PATH, asked only when a condition uses them.
    python2: false,
    python3: true,
    cpython: true,
    pypy: false,
    jython: false,
    ironpython: false,
    python_version: () => pythonVersion(),
  };
  for (const minor of ['27', ...Array.from({ length: 16 }, (_, index) => `3${index}`)]) {
    names[`python${minor}`] = () => pythonVersion().replace('.', '') === minor;
  }
  return names;
}

let cachedPythonVersion: string | undefined;
function pythonVersion(): string {
  if (cachedPythonVersion === undefined) {
    try {
      cachedPythonVersion = execFileSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      }).trim();
    } catch {
      cachedPythonVersion = '';
    }
  }
  return cachedPythonVersion;
}

/** Evaluates `expression`; errors point into the expression at `location` (its first character). */
export function evaluateCondition(expression: string, location: SourceLocation, names: ConditionNames = platformNames()): boolean {
  const fail = (message: string, offset: number, hint?: string): never => {
    throw new BuildoutError(ErrorCodes.CONDITION, message, {
      location: { ...location, column: location.column + offset },
      hint,
    });
  };
  const tokens = tokenize(expression, fail);
  let position = 0;
  const peek = (): Token => tokens[position]!;
  const next = (): Token => tokens[position++]!;
  const isKeyword = (token: Token, word: string): boolean => token.kind === 'name' && token.text === word;
  const isOp = (token: Token, text: string): boolean => token.kind === 'op' && token.text === text;

  const parseOr = (): Value => {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      next();
      const right = parseAnd();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const parseAnd = (): Value => {
    let left = parseNot();
    while (isKeyword(peek(), 'and')) {
      next();
      const right = parseNot();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const parseNot = (): Value => {
    if (isKeyword(peek(), 'not')) {
      next();
      return !truthy(parseNot());
    }
    return parseComparison();
  };
  const parseComparison = (): Value => {
    const first = parsePrimary();
    let left = first;
    let compared = false;
    let holds = true;
    for (;;) {
      const token = peek();
      let operator: string | undefined;
      if (token.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(token.text)) operator = token.text;
      else if (isKeyword(token, 'in')) operator = 'in';
      else if (isKeyword(token, 'not') && isKeyword(tokens[position + 1]!, 'in')) operator = 'not in';
      if (!operator) break;
      next();
      if (operator === 'not in') next();
      const right = parsePrimary();
      // A chain `a < b < c` stops comparing at the first false link, as in Python.
      if (holds) holds = compare(left, operator, right, (message) => fail(message, token.offset));
      compared = true;
      left = right;
    }
    return compared ? holds : first;
  };
  const parsePrimary = (): Value => {
    const token = next();
    if (token.kind === 'string') return token.value;
    if (token.kind === 'number') return token.value;
    if (isOp(token, '(')) {
      const value = parseOr();
      if (!isOp(next(), ')')) fail("missing ')'", tokens[position - 1]!.offset);
      return value;
    }
    if (token.kind === 'name') {
      if (token.text === 'True') return true;
      if (token.text === 'False') return false;
      if (token.text === 'None') return null;
      if (['and', 'or', 'not', 'in'].includes(token.text)) fail(`unexpected '${token.text}'`, token.offset);
      if (!Object.hasOwn(names, token.text)) {
        const suggestion = closest(token.text, Object.keys(names));
        fail(
          `unknown name '${token.text}' in section condition`,
          token.offset,
          suggestion
            ? `did you mean '${suggestion}'?`
            : `names: ${Object.keys(names)
                .filter((n) => !/^python\d/.test(n))
                .join(', ')}`,
        );
      }
      const value = names[token.text]!;
      return typeof value === 'function' ? value() : value;
    }
    if (token.kind === 'end') return fail('condition ends too early', token.offset);
    return fail(`unexpected '${token.kind === 'op' ? token.text : ''}'`, token.offset);
  };

  const value = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') fail(`unexpected ${describe(rest)} in section condition`, rest.offset);
  return truthy(value);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'name':
    case 'op':
      return `'${token.text}'`;
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'end';
  }
}

function truthy(value: Value): boolean {
  return value !== null && value !== false && value !== 0 && value !== '';
}

const VERSION = /^\d+(\.\d+)*$/;

function compare(left: Value, operator: string, right: Value, fail: (message: string) => never): boolean {
  switch (operator) {
    case '==':
      return (
        left === right || (typeof left === 'boolean' && Number(left) === right) || (typeof right === 'boolean' && Number(right) === left)
      );
    case '!=':
      return !compare(left, '==', right, fail);
    case 'in':
    case 'not in': {
      if (typeof left !== 'string' || typeof right !== 'string') fail(`'${operator}' needs two strings`);
      const found = (right as string).includes(left as string);
      return operator === 'in' ? found : !found;
    }
    default: {
      let order: number;
      if (typeof left === 'string' && typeof right === 'string') {
        // PEP 508: version-like strings compare as versions (node_version >= "20.1").
        order = VERSION.test(left) && VERSION.test(right) ? compareVersions(left, right) : left < right ? -1 : left > right ? 1 : 0;
      } else if (typeof left !== 'string' && typeof right !== 'string' && left !== null && right !== null) {
        order = Number(left) - Number(right);
      } else {
        return fail(
          `cannot order ${typeof left === 'string' ? 'a string' : 'a number'} against ${typeof right === 'string' ? 'a string' : 'a number'}`,
        );
      }
      return operator === '<' ? order < 0 : operator === '<=' ? order <= 0 : operator === '>' ? order > 0 : order >= 0;
    }
  }
}

function compareVersions(left: string, right: string): number {
  const a = left.split('.').map(Number);
  const b = right.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function tokenize(expression: string, fail: (message: string, offset: number, hint?: string) => never): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expression.length) {
    const char = expression[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    const start = index;
    if (/[A-Za-z_]/.test(char)) {
      while (index < expression.length && /[A-Za-z0-9_]/.test(expression[index]!)) index++;
      const text = expression.slice(start, index);
      if (expression[index] === '.' || expression[index] === '(') {
        fail(
          `'${text}${expression[index]}' is not supported in section conditions: only names, literals and operators`,
          start,
          'use names such as sys_platform, platform_machine, os_name, node_version, linux, windows, macosx, posix',
        );
      }
      tokens.push({ kind: 'name', text, offset: start });
      continue;
    }
    if (/[0-9]/.test(char)) {
      while (index < expression.length && /[0-9.]/.test(expression[index]!)) index++;
      const text = expression.slice(start, index);
      const value = Number(text);
      if (Number.isNaN(value)) fail(`invalid number '${text}'`, start);
      tokens.push({ kind: 'number', value, offset: start });
      continue;
    }
    if (char === '"' || char === "'") {
      index++;
      let value = '';
      while (index < expression.length && expression[index] !== char) {
        if (expression[index] === '\\') {
          const escaped = expression.slice(index, index + 4);
          // zc.buildout lets conditions spell '#' and ';' as \x23 and \x3b.
          if (/^\\x[0-9a-fA-F]{2}$/.test(escaped)) {
            value += String.fromCharCode(parseInt(escaped.slice(2), 16));
            index += 4;
            continue;
          }
          const simple: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };
          const replacement = simple[expression[index + 1] ?? ''];
          if (replacement === undefined) fail(`unsupported escape '${expression.slice(index, index + 2)}'`, index);
          value += replacement;
          index += 2;
          continue;
        }
        value += expression[index];
        index++;
      }
      if (index >= expression.length) fail('string is not closed', start);
      index++;
      tokens.push({ kind: 'string', value, offset: start });
      continue;
    }
    const two = expression.slice(index, index + 2);
    if (['==', '!=', '<=', '>='].includes(two)) {
      tokens.push({ kind: 'op', text: two, offset: start });
      index += 2;
      continue;
    }
    if ('<>()'.includes(char)) {
      tokens.push({ kind: 'op', text: char, offset: start });
      index++;
      continue;
    }
    fail(`unexpected character '${char}' in section condition`, start);
  }
  tokens.push({ kind: 'end', offset: expression.length });
  return tokens;
}
