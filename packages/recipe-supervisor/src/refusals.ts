/**
 * Checks for what supervisord would refuse at start-up, or read differently
 * from what was written without saying so. They run on the generated
 * configuration before anything is written.
 */
import { isPythonSpace } from '@buildout/engine';
import { supervisorError, SupervisorErrorCodes, type Origin } from './errors.js';
import type { EventListenerLine, GroupLine, ProgramLine } from './program-lines.js';
import { expandOnce, percentProblem } from './percent-format.js';
import type { ExpansionContext } from './supervisor-vocabulary.js';

/**
 * supervisord's parser (Python's configparser) ends a value at `;` or `#`
 * that follows whitespace as Python's str.isspace() sees it (an inline
 * comment, which cannot be escaped; \x1c-\x1f, \x85 and \u2003 count, as
 * they do not for JavaScript's \s), and a line break would end it or start
 * another key. Other control characters (NUL, escape, DEL, C1) are refused
 * too: supervisord would pass them on to programs or logs unseen.
 */
export function layoutProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'it contains a line break';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if ((char === ';' || char === '#') && (index === 0 || isPythonSpace(value[index - 1]!))) {
      const where = index === 0 ? 'at the start' : `after ${describeChar(value[index - 1]!)}`;
      return `supervisord would cut it at ${JSON.stringify(char)} (${where}, ";" and "#" start a comment that cannot be escaped)`;
    }
  }
  const control = [...value].find(isControlCharacter);
  if (control !== undefined) return `it contains the control character ${describeChar(control)}; write the value without it`;
  return undefined;
}

/** C0 controls other than tab (line breaks are reported as such), DEL and the C1 controls. */
export function isControlCharacter(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code < 0x20 && char !== '\t') || (code >= 0x7f && code <= 0x9f);
}

function describeChar(char: string): string {
  if (char === ' ') return 'a space';
  if (char === '\t') return 'a tab';
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return isPythonSpace(char) ? `${code}, which Python counts as whitespace` : code;
}

export interface ValueRules {
  readonly context: ExpansionContext;
  /** `[supervisord] environment` is %-expanded twice, so a literal % is %%%% there. */
  readonly expandedTwice?: boolean;
}

/** Throws a clear error when supervisord could not read `key = value` as written. */
export function checkValue(key: string, value: string, rules: ValueRules, origin: Origin): void {
  const problem =
    layoutProblem(value) ??
    percentProblem(value, rules.context) ??
    (rules.expandedTwice ? secondExpansionProblem(value, rules.context) : undefined);
  if (problem !== undefined) {
    throw supervisorError(SupervisorErrorCodes.UNSAFE_VALUE, origin, `cannot write ${key} = ${value}: ${problem}`);
  }
}

function secondExpansionProblem(value: string, context: ExpansionContext): string | undefined {
  const problem = percentProblem(expandOnce(value), context);
  return problem === undefined ? undefined : `supervisord expands this value twice, so a literal % must be written %%%% (${problem})`;
}

/**
 * Names must be unique: supervisord merges sections of the same name
 * silently, and a program, event listener or group sharing a name replace
 * each other. A group may only list programs defined here (unless an
 * `include` can define more).
 */
export function checkNames(
  programs: readonly ProgramLine[],
  listeners: readonly EventListenerLine[],
  groups: readonly GroupLine[],
  includesOtherFiles: boolean,
): void {
  const seen = new Map<string, { kind: string; origin: Origin }>();
  const claim = (name: string, kind: string, origin: Origin): void => {
    const earlier = seen.get(name);
    if (earlier !== undefined) throw duplicateName(name, earlier, origin);
    seen.set(name, { kind, origin });
  };
  for (const program of programs) claim(program.name, 'program', program.origin);
  for (const listener of listeners) claim(listener.name, 'event listener', listener.origin);
  const programNames = new Set(programs.map((program) => program.name));
  for (const group of groups) {
    // A group may carry the name of a program it contains: that program then
    // only exists inside the group, so the names do not collide.
    const earlier = seen.get(group.name);
    if (earlier?.kind === 'program' && group.programs.includes(group.name)) seen.set(group.name, { kind: 'group', origin: group.origin });
    else claim(group.name, 'group', group.origin);
    if (includesOtherFiles) continue;
    const unknown = group.programs.find((program) => !programNames.has(program));
    if (unknown !== undefined) {
      throw supervisorError(
        SupervisorErrorCodes.BAD_GROUP_LINE,
        group.origin,
        `the group lists ${JSON.stringify(unknown)}, which is not a program of this part`,
        `programs defined here: ${[...programNames].join(', ') || 'none'}`,
      );
    }
  }
}

function duplicateName(name: string, earlier: { kind: string; origin: Origin }, origin: Origin): Error {
  const where = earlier.origin.line === undefined ? earlier.origin.option : `${earlier.origin.option} line ${earlier.origin.line.number}`;
  return supervisorError(
    SupervisorErrorCodes.DUPLICATE_NAME,
    origin,
    `the name ${JSON.stringify(name)} is already used by the ${earlier.kind} on ${where}; supervisord would silently merge or replace one with the other`,
  );
}
