/**
 * Section conditions (`[name: expression]`) without eval. zc.buildout 6
 * reads a condition as a PEP 508 marker, else evaluates it as Python with
 * `sys`, `os`, `platform` and convenience names in scope. This is the subset
 * real buildouts use: `and or not`, comparisons (chained as in Python), `in`
 * / `not in`, literals (strings, numbers, tuples, True/False/None), names,
 * attribute access, calls of the members condition-scope.ts provides,
 * subscripts and slices, unary minus and `**`. Anything else is an error
 * naming what is not supported. Parsing builds a tree first, so `and`/`or`
 * short-circuit as in Python; nesting is bounded, so every input costs linear
 * time and no deep stack.
 */
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { Callable, ConditionFault, type ConditionNames, Mapping, platformNames, Tuple, typeName, type Value } from './condition-scope.js';
import { attribute, compare, isNumeric, truthy } from './condition-operations.js';
import { tokenize, type Token } from './condition-tokens.js';
import { closest } from './text.js';

export { platformNames, type ConditionNames } from './condition-scope.js';

/** Brackets, `not` and unary minus nested deeper than this are refused (a condition is one header line). */
export const MAX_CONDITION_DEPTH = 100;

type Node =
  | { kind: 'literal'; value: Value; offset: number }
  | { kind: 'name'; name: string; offset: number }
  | { kind: 'tuple'; items: Node[]; offset: number }
  | { kind: 'attribute'; target: Node; name: string; offset: number }
  | { kind: 'call'; target: Node; args: Node[]; offset: number }
  | { kind: 'index'; target: Node; index: Node | undefined; end: Node | undefined; slice: boolean; offset: number }
  | { kind: 'not'; operand: Node; offset: number }
  | { kind: 'negate'; operand: Node; offset: number }
  | { kind: 'power'; base: Node; exponent: Node; offset: number }
  | { kind: 'bool'; operator: 'and' | 'or'; operands: Node[]; offset: number }
  | { kind: 'compare'; first: Node; links: { operator: string; operand: Node; offset: number }[]; offset: number };

const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='];
const KEYWORDS = ['and', 'or', 'not', 'in', 'is', 'if', 'else', 'lambda', 'for'];

/** Evaluates `expression`; errors point into the expression at `location` (its first character). */
export function evaluateCondition(expression: string, location: SourceLocation, names: ConditionNames = platformNames()): boolean {
  const fail = (message: string, offset: number, hint?: string): never => {
    throw new BuildoutError(ErrorCodes.CONDITION, message, { location: { ...location, column: location.column + offset }, hint });
  };
  const tokens = tokenize(expression, fail);
  const tree = parse(tokens, fail);
  // A PEP 508 marker has only names, strings and operators; there, version-like strings compare as versions.
  const marker = !tokens.some(
    (token) => token.kind === 'number' || (token.kind === 'op' && ['.', ',', '[', '-', '**'].includes(token.text)),
  );
  return truthy(evaluate(tree, { names, marker, fail }));
}

function parse(tokens: readonly Token[], fail: (message: string, offset: number) => never): Node {
  let position = 0;
  let depth = 0;
  const peek = (ahead = 0): Token => tokens[Math.min(position + ahead, tokens.length - 1)]!;
  const next = (): Token => tokens[position++]!;
  const isWord = (token: Token, word: string): boolean => token.kind === 'name' && token.text === word;
  const isOp = (token: Token, text: string): boolean => token.kind === 'op' && token.text === text;
  const expect = (text: string, opened: Token): void => {
    const found = peek();
    if (!isOp(found, text)) {
      const what = found.kind === 'end' ? 'the condition ends' : `unexpected ${describe(found)}`;
      fail(`${what}: missing '${text}' for the '${opened.kind === 'op' ? opened.text : ''}' at column ${opened.offset + 1}`, found.offset);
    }
    next();
  };
  const nested = <T>(offset: number, inner: () => T): T => {
    if (++depth > MAX_CONDITION_DEPTH) fail(`section condition nests deeper than ${MAX_CONDITION_DEPTH} levels`, offset);
    const result = inner();
    depth--;
    return result;
  };

  const parseOr = (): Node => parseBool('or', parseAnd);
  const parseAnd = (): Node => parseBool('and', parseNot);
  const parseBool = (operator: 'and' | 'or', operand: () => Node): Node => {
    const first = operand();
    if (!isWord(peek(), operator)) return first;
    const operands = [first];
    while (isWord(peek(), operator)) {
      next();
      operands.push(operand());
    }
    return { kind: 'bool', operator, operands, offset: first.offset };
  };
  const parseNot = (): Node => {
    const token = peek();
    if (!isWord(token, 'not')) return parseComparison();
    next();
    return nested(token.offset, () => ({ kind: 'not', operand: parseNot(), offset: token.offset }));
  };
  const parseComparison = (): Node => {
    const first = parseUnary();
    const links: { operator: string; operand: Node; offset: number }[] = [];
    for (;;) {
      const token = peek();
      let operator: string | undefined;
      if (token.kind === 'op' && COMPARISONS.includes(token.text)) operator = token.text;
      else if (isWord(token, 'in')) operator = 'in';
      else if (isWord(token, 'not') && isWord(peek(1), 'in')) operator = 'not in';
      else if (isWord(token, 'is')) fail("'is' is not supported in section conditions; use == or !=", token.offset);
      if (!operator) break;
      next();
      if (operator === 'not in') next();
      links.push({ operator, operand: parseUnary(), offset: token.offset });
    }
    return links.length === 0 ? first : { kind: 'compare', first, links, offset: first.offset };
  };
  const parseUnary = (): Node => {
    const token = peek();
    if (isOp(token, '-')) {
      next();
      return nested(token.offset, () => ({ kind: 'negate', operand: parseUnary(), offset: token.offset }));
    }
    const base = parsePostfix();
    if (!isOp(peek(), '**')) return base;
    const operator = next();
    return nested(operator.offset, () => ({ kind: 'power', base, exponent: parseUnary(), offset: operator.offset }));
  };
  const parsePostfix = (): Node => {
    let node = parseAtom();
    for (;;) {
      const token = peek();
      if (isOp(token, '.')) {
        next();
        const name = next();
        if (name.kind !== 'name') return fail("a name must follow '.'", name.offset);
        node = { kind: 'attribute', target: node, name: name.text, offset: name.offset };
      } else if (isOp(token, '(')) {
        next();
        const target = node;
        node = nested(token.offset, () => ({ kind: 'call', target, args: parseList(')', token), offset: token.offset }));
      } else if (isOp(token, '[')) {
        next();
        const target = node;
        node = nested(token.offset, () => parseSubscript(target, token));
      } else return node;
    }
  };
  const parseSubscript = (target: Node, opened: Token): Node => {
    const index = isOp(peek(), ':') ? undefined : parseOr();
    let end: Node | undefined;
    const slice = isOp(peek(), ':');
    if (slice) {
      next();
      if (!isOp(peek(), ']')) end = parseOr();
    }
    expect(']', opened);
    return { kind: 'index', target, index, end, slice, offset: opened.offset };
  };
  /** Comma-separated expressions up to `close`; a trailing comma is allowed. */
  const parseList = (close: string, opened: Token): Node[] => {
    const items: Node[] = [];
    while (!isOp(peek(), close)) {
      items.push(parseOr());
      if (!isOp(peek(), ',')) break;
      next();
    }
    expect(close, opened);
    return items;
  };
  const parseAtom = (): Node => {
    const token = next();
    switch (token.kind) {
      case 'string': {
        let value = token.value;
        // Adjacent literals concatenate, as in Python.
        while (peek().kind === 'string') value += (next() as { value: string }).value;
        return { kind: 'literal', value, offset: token.offset };
      }
      case 'number':
        return { kind: 'literal', value: token.value, offset: token.offset };
      case 'end':
        return fail('condition ends too early', token.offset);
      case 'name': {
        const constants: Record<string, Value> = { True: true, False: false, None: null };
        if (Object.hasOwn(constants, token.text)) return { kind: 'literal', value: constants[token.text]!, offset: token.offset };
        if (KEYWORDS.includes(token.text)) return fail(`unexpected '${token.text}'`, token.offset);
        return { kind: 'name', name: token.text, offset: token.offset };
      }
      case 'op': {
        if (token.text === '(' || token.text === '[') {
          return nested(token.offset, (): Node => {
            if (token.text === '[') return { kind: 'tuple', items: parseList(']', token), offset: token.offset };
            if (isOp(peek(), ')')) {
              next();
              return { kind: 'tuple', items: [], offset: token.offset };
            }
            const first = parseOr();
            if (!isOp(peek(), ',')) {
              expect(')', token);
              return first;
            }
            next();
            return { kind: 'tuple', items: [first, ...parseList(')', token)], offset: token.offset };
          });
        }
        return fail(`unexpected '${token.text}'`, token.offset);
      }
    }
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') fail(`unexpected ${describe(rest)} in section condition`, rest.offset);
  return tree;
}

function describe(token: Token): string {
  if (token.kind === 'name' || token.kind === 'op') return `'${token.text}'`;
  return token.kind === 'end' ? 'end' : token.kind;
}

interface Scope {
  readonly names: ConditionNames;
  readonly marker: boolean;
  readonly fail: (message: string, offset: number, hint?: string) => never;
}

function evaluate(node: Node, scope: Scope): Value {
  const { fail } = scope;
  const guarded = <T>(offset: number, inner: () => T): T => {
    try {
      return inner();
    } catch (error) {
      if (error instanceof ConditionFault) return fail(error.message, offset);
      throw error;
    }
  };
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name': {
      if (!Object.hasOwn(scope.names, node.name)) {
        const known = Object.keys(scope.names).filter((name) => !/^python\d/.test(name));
        const suggestion = closest(node.name, Object.keys(scope.names));
        return fail(
          `unknown name '${node.name}' in section condition`,
          node.offset,
          suggestion ? `did you mean '${suggestion}'?` : `names: ${known.join(', ')}`,
        );
      }
      const value = scope.names[node.name]!;
      return guarded(node.offset, () => (typeof value === 'function' ? value() : value));
    }
    case 'tuple':
      return new Tuple(node.items.map((item) => evaluate(item, scope)));
    case 'attribute':
      return guarded(node.offset, () => attribute(evaluate(node.target, scope), node.name, describePath(node.target)));
    case 'call': {
      const target = evaluate(node.target, scope);
      if (!(target instanceof Callable)) return fail(`${describePath(node.target)} (a ${typeName(target)}) cannot be called`, node.offset);
      const args = node.args.map((arg) => evaluate(arg, scope));
      return guarded(node.offset, () => target.call(args));
    }
    case 'index':
      return guarded(node.offset, () => subscript(node, evaluate(node.target, scope), scope));
    case 'not':
      return !truthy(evaluate(node.operand, scope));
    case 'negate': {
      const value = evaluate(node.operand, scope);
      if (typeof value !== 'number' && typeof value !== 'boolean') return fail(`cannot negate a ${typeName(value)}`, node.offset);
      return -Number(value);
    }
    case 'power': {
      const base = evaluate(node.base, scope);
      const exponent = evaluate(node.exponent, scope);
      if (!isNumeric(base) || !isNumeric(exponent))
        return fail(`** needs two numbers, not ${typeName(base)} and ${typeName(exponent)}`, node.offset);
      return Number(base) ** Number(exponent);
    }
    case 'bool': {
      let value: Value = false;
      for (const operand of node.operands) {
        value = evaluate(operand, scope);
        if (node.operator === 'or' ? truthy(value) : !truthy(value)) return value;
      }
      return value;
    }
    case 'compare': {
      let left = evaluate(node.first, scope);
      for (const link of node.links) {
        const right = evaluate(link.operand, scope);
        // A chain `a < b < c` stops at the first false link, as in Python.
        if (!guarded(link.offset, () => compare(left, link.operator, right, scope.marker))) return false;
        left = right;
      }
      return true;
    }
  }
}

/** `sys.version_info`, for messages about a member. */
function describePath(node: Node): string {
  if (node.kind === 'name') return node.name;
  if (node.kind === 'attribute') return `${describePath(node.target)}.${node.name}`;
  if (node.kind === 'call') return `${describePath(node.target)}()`;
  if (node.kind === 'literal' && typeof node.value === 'string') return JSON.stringify(node.value);
  return 'the value';
}

function subscript(node: Extract<Node, { kind: 'index' }>, target: Value, scope: Scope): Value {
  const bound = (child: Node | undefined): number | undefined => {
    if (child === undefined) return undefined;
    const value = evaluate(child, scope);
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new ConditionFault(`an index must be a whole number, not ${typeName(value)}`);
    return value;
  };
  if (target instanceof Mapping) {
    const key = node.index === undefined ? undefined : evaluate(node.index, scope);
    if (node.slice || typeof key !== 'string') throw new ConditionFault(`${target.name}[...] needs a name`);
    const found = target.lookup(key);
    if (found === undefined)
      throw new ConditionFault(`${target.name}[${JSON.stringify(key)}] is not set; use ${target.name}.get(${JSON.stringify(key)})`);
    return found;
  }
  const items: readonly Value[] | undefined = target instanceof Tuple ? target.items : typeof target === 'string' ? [...target] : undefined;
  if (!items) throw new ConditionFault(`a ${typeName(target)} cannot be indexed`);
  const at = (index: number): number => (index < 0 ? Math.max(0, items.length + index) : Math.min(index, items.length));
  if (node.slice) {
    const sliced = items.slice(at(bound(node.index) ?? 0), at(bound(node.end) ?? items.length));
    return typeof target === 'string' ? sliced.join('') : new Tuple(sliced);
  }
  const index = bound(node.index)!;
  const item = items[index < 0 ? items.length + index : index];
  if (item === undefined) throw new ConditionFault(`index ${index} is out of range (length ${items.length})`);
  return item;
}
