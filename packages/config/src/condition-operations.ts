/** What the operators and members of a section condition do to values, with Python's semantics. */
import { Callable, ConditionFault, Mapping, Namespace, Tuple, typeName, type Value } from './condition-scope.js';
import { closest } from './text.js';

const STRING_METHODS: Record<string, (text: string, args: readonly Value[]) => Value> = {
  startswith: (text, [prefix]) => affixes(prefix, 'startswith').some((affix) => text.startsWith(affix)),
  endswith: (text, [suffix]) => affixes(suffix, 'endswith').some((affix) => text.endsWith(affix)),
  lower: (text) => text.toLowerCase(),
  upper: (text) => text.toUpperCase(),
};

function affixes(value: Value | undefined, method: string): string[] {
  if (typeof value === 'string') return [value];
  if (value instanceof Tuple && value.items.every((item) => typeof item === 'string')) return value.items as string[];
  throw new ConditionFault(
    `str.${method}() needs a string or a tuple of strings, not ${value === undefined ? 'nothing' : typeName(value)}`,
  );
}

export function attribute(target: Value, name: string, path: string): Value {
  if (target instanceof Namespace) {
    if (Object.hasOwn(target.members, name)) {
      const member = target.members[name]!;
      return typeof member === 'function' ? member() : member;
    }
    return unsupported(
      `${target.name}.${name}`,
      Object.keys(target.members).map((member) => `${target.name}.${member}`),
    );
  }
  if (typeof target === 'string' && Object.hasOwn(STRING_METHODS, name)) {
    const method = STRING_METHODS[name]!;
    const arity: Record<string, number> = { startswith: 1, endswith: 1, lower: 0, upper: 0 };
    return new Callable(`str.${name}`, (args) => {
      if (args.length !== arity[name]) throw new ConditionFault(`str.${name}() takes ${arity[name]} argument(s), not ${args.length}`);
      return method(target, args);
    });
  }
  if (typeof target === 'string')
    return unsupported(
      `str.${name}`,
      Object.keys(STRING_METHODS).map((method) => `str.${method}`),
    );
  if (target instanceof Tuple && Object.hasOwn(target.fields, name)) return target.items[target.fields[name]!]!;
  if (target instanceof Mapping && name === 'get') {
    return new Callable(`${target.name}.get`, (args) => {
      if (args.length < 1 || args.length > 2 || typeof args[0] !== 'string')
        throw new ConditionFault(`${target.name}.get() takes a name and an optional default`);
      return target.lookup(args[0]) ?? args[1] ?? null;
    });
  }
  throw new ConditionFault(`'${path}.${name}' is not supported in section conditions (${path} is a ${typeName(target)})`);
}

function unsupported(what: string, known: readonly string[]): never {
  const suggestion = closest(what, known);
  throw new ConditionFault(
    `'${what}' is not supported in section conditions (${suggestion ? `did you mean '${suggestion}'?` : `supported: ${known.join(', ')}`})`,
  );
}

export function isNumeric(value: Value): value is number | boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

export function truthy(value: Value): boolean {
  if (value instanceof Tuple) return value.items.length > 0;
  return value !== null && value !== false && value !== 0 && value !== '';
}

function equal(left: Value, right: Value): boolean {
  if (isNumeric(left) && isNumeric(right)) return Number(left) === Number(right);
  if (left instanceof Tuple && right instanceof Tuple) {
    return left.items.length === right.items.length && left.items.every((item, index) => equal(item, right.items[index]!));
  }
  return left === right;
}

const VERSION = /^\d+(\.\d+)*$/;

/** Python's ordering: numbers with numbers, strings with strings, tuples item by item; anything else is a TypeError. */
function order(left: Value, right: Value, marker: boolean): number {
  if (isNumeric(left) && isNumeric(right)) return Number(left) - Number(right);
  if (typeof left === 'string' && typeof right === 'string') {
    // PEP 508: version-like strings compare as versions (node_version >= "20.1").
    if (marker && VERSION.test(left) && VERSION.test(right)) return compareVersions(left, right);
    return left < right ? -1 : left > right ? 1 : 0;
  }
  if (left instanceof Tuple && right instanceof Tuple) {
    for (let index = 0; index < Math.min(left.items.length, right.items.length); index++) {
      const a = left.items[index]!;
      const b = right.items[index]!;
      if (!equal(a, b)) return order(a, b, marker);
    }
    return left.items.length - right.items.length;
  }
  throw new ConditionFault(`cannot order a ${typeName(left)} against a ${typeName(right)}`);
}

export function compare(left: Value, operator: string, right: Value, marker: boolean): boolean {
  switch (operator) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case 'in':
    case 'not in': {
      let found: boolean;
      if (right instanceof Tuple) found = right.items.some((item) => equal(left, item));
      else if (right instanceof Mapping && typeof left === 'string') found = right.lookup(left) !== undefined;
      else if (typeof right === 'string' && typeof left === 'string') found = right.includes(left);
      else
        throw new ConditionFault(
          `'${operator}' needs a string, tuple or os.environ on its right, and a matching left side, not ${typeName(left)} ${operator} ${typeName(right)}`,
        );
      return operator === 'in' ? found : !found;
    }
    default: {
      const difference = order(left, right, marker);
      return operator === '<' ? difference < 0 : operator === '<=' ? difference <= 0 : operator === '>' ? difference > 0 : difference >= 0;
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
