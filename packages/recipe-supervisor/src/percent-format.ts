/**
 * supervisord applies Python's `%` operator to every value: `%%` is a
 * literal %, `%(name)s` an expansion, anything else after % an error.
 */
import { EXPANSION_NAMES, type ExpansionContext } from './supervisor-vocabulary.js';

// One %-directive of Python's `%` operator, as supervisord applies it to every value.
const DIRECTIVE = /%(?:%|\(([^)]*)\)[#0\- +]*\d*(?:\.\d+)?([a-zA-Z%])?)?/g;
const CONVERSIONS = new Set([...'diouxXeEfFgGcrsa']);

/**
 * Why supervisord's %-expansion would fail on `value`, or undefined when it
 * is fine: `%%` is a literal %, `%(name)s` an expansion of a known name.
 */
export function percentProblem(value: string, context: ExpansionContext): string | undefined {
  for (const match of value.matchAll(DIRECTIVE)) {
    const [directive, name, conversion] = match;
    if (directive === '%%') continue;
    if (name === undefined) return `it contains a lone "%" (write %% for a literal %)`;
    if (conversion === undefined || !CONVERSIONS.has(conversion)) {
      return `${JSON.stringify(directive)} is not a complete expansion (write %(${name})s, or %% for a literal %)`;
    }
    if (!name.startsWith('ENV_') && !EXPANSION_NAMES[context].has(name)) {
      const known = [...EXPANSION_NAMES[context], 'ENV_<variable>'].join(', ');
      return `supervisord cannot expand %(${name}) here (it knows ${known})`;
    }
  }
  return undefined;
}

/** The value after one round of supervisord's %-expansion (names become a placeholder). */
export function expandOnce(value: string): string {
  return value.replace(DIRECTIVE, (directive) => (directive === '%%' ? '%' : 'x'));
}

/**
 * What supervisord makes of `value` once expanded, for the places that take
 * it literally (the supervisorctl command line): `%%` becomes %, `%(here)s`
 * the configuration's folder. Returns undefined when it needs a name only
 * supervisord knows at run time.
 */
export function expandHere(value: string, here: string): string | undefined {
  let unknown = false;
  const expanded = value.replace(DIRECTIVE, (directive, name: string | undefined) => {
    if (directive === '%%') return '%';
    if (name === 'here' && directive.endsWith('s')) return here;
    unknown = true;
    return directive;
  });
  return unknown ? undefined : expanded;
}
