import { BuildoutError, ErrorCodes } from './errors.js';
import { newValue, type Layer, type LayerSection, type Value } from './layers.js';
import type { Operator } from './parse.js';

export interface Assignment {
  readonly section: string;
  readonly option: string;
  readonly operator: Operator;
  readonly value: string;
  /** The assignment as typed. */
  readonly text: string;
}

const NAME = /^[^\s#[\]:;{}=]+$/;

/** `[section:]option[+|-]=value`, as zc.buildout's command line reads it (section defaults to buildout). */
export function parseAssignment(text: string): Assignment {
  const equals = text.indexOf('=');
  if (equals === -1) throw badAssignment(text, "it has no '='");
  const target = text.slice(0, equals);
  const value = text.slice(equals + 1).trim();
  const parts = target.split(':');
  if (parts.length > 2) throw badAssignment(text, 'it has more than one colon before the =');
  let section = parts.length === 2 ? parts[0]!.trim() : 'buildout';
  let option = parts[parts.length - 1]!.trim();
  let operator: Operator = '=';
  if (option.endsWith('+') || option.endsWith('-')) {
    operator = option.endsWith('+') ? '+=' : '-=';
    option = option.slice(0, -1).trimEnd();
  }
  if (section === '') section = 'buildout';
  if (!NAME.test(section)) throw badAssignment(text, `'${section}' is not a valid section name`);
  if (option === '' || !NAME.test(option)) throw badAssignment(text, `'${option}' is not a valid option name`);
  return { section, option, operator, value, text };
}

function badAssignment(text: string, why: string): BuildoutError {
  return new BuildoutError(ErrorCodes.BAD_ASSIGNMENT, `invalid command-line assignment '${text}': ${why}`, {
    hint: 'write [section:]option=value, option+=value or option-=value (section defaults to buildout)',
  });
}

/** The command-line layer; later assignments of the same option and operator win. */
export function assignmentLayer(assignments: readonly Assignment[]): Layer {
  // Its own maps, filled here (a layer section's operations are read-only).
  const layer = new Map<string, LayerSection & { add: Map<string, Value>; remove: Map<string, Value> }>();
  for (const assignment of assignments) {
    let section = layer.get(assignment.section);
    if (!section) {
      section = { plain: new Map(), add: new Map(), remove: new Map(), location: undefined };
      layer.set(assignment.section, section);
    }
    const target = assignment.operator === '+=' ? section.add : assignment.operator === '-=' ? section.remove : section.plain;
    target.set(assignment.option, newValue(assignment.value, { kind: 'command-line', assignment: assignment.text }));
  }
  return layer;
}
