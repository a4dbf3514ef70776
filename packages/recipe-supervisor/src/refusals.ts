/**
 * Checks for what supervisord would refuse at start-up, or read differently
 * from what was written without saying so. They run on the generated
 * configuration before anything is written.
 */
import { supervisorError, SupervisorErrorCodes, type Origin } from './errors.js';
import type { EventListenerLine, GroupLine, ProgramLine } from './program-lines.js';
import { expandOnce, percentProblem } from './percent-format.js';
import type { ExpansionContext } from './supervisor-vocabulary.js';

/**
 * supervisord's parser ends a value at `;` or `#` that follows whitespace (an
 * inline comment, which cannot be escaped), and a line break would end it or
 * start another key.
 */
export function layoutProblem(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'it contains a line break';
  const comment = /(^|\s)([;#])/.exec(value);
  if (comment) {
    return `supervisord would cut it at ${JSON.stringify(comment[2])} (after a space, ";" and "#" start a comment that cannot be escaped)`;
  }
  return undefined;
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
