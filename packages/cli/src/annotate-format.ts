/**
 * `annotate`'s text, in zc.buildout's layout: `key= first line`, the further
 * lines of a multi-line value indented under it (zc.buildout prints them at
 * the margin, where they read as keys), then where the value came from:
 * `    file:line` for the last assignment and `+=  ` / `-=  ` for the steps
 * after it. With -v, each value's whole history through the layers, newest
 * first, as zc.buildout's verbose annotate prints it.
 */
import { relativeIfInside, type Buildout, type HistoryEntry, type ValueSource } from '@buildout/config';

/** A value as it may be shown (secrets masked); history steps of a secret option go through it too. */
export type ShowValue = (section: string, option: string, value: string) => string;

export function formatAnnotation(
  buildout: Buildout,
  sections: Record<string, Record<string, string>>,
  cwd: string,
  verbose: boolean,
  show: ShowValue,
): string {
  const lines = ['', 'Annotated sections', '=================='];
  // Sorted by name, sections and options, as zc.buildout prints them.
  for (const section of Object.keys(sections).sort()) {
    lines.push('', `[${section}]`);
    const options = sections[section]!;
    for (const option of Object.keys(options).sort()) {
      const value = options[option]!;
      lines.push(...keyAndValue(option, value));
      const history = buildout.history(section, option);
      if (verbose)
        lines.push('', ...history.toReversed().flatMap((entry) => verboseStep(entry, show(section, option, entry.value), cwd)), '');
      else lines.push(...latestSteps(history).map((entry) => `${PREFIX[entry.operation]}${describeSource(entry.source, cwd)}`));
    }
  }
  return `${lines.join('\n')}\n\n`;
}

const PREFIX: Record<HistoryEntry['operation'], string> = { set: '    ', override: '    ', add: '+=  ', remove: '-=  ' };

/** `key= value`; the lines after the first are indented to where the first line's text starts. */
export function keyAndValue(option: string, value: string): string[] {
  const [first = '', ...rest] = value.split('\n');
  const indent = ' '.repeat(option.length + 2);
  if (rest.length === 0) return [first === '' ? `${option}=` : `${option}= ${first}`];
  return [first === '' ? `${option}=` : `${option}= ${first}`, ...rest.map((line) => (line === '' ? '' : `${indent}${line}`))];
}

/** zc.buildout's verbose step: `   IN file` (or `   AS DEFAULT_VALUE`) and `   SET VALUE = ...`. */
function verboseStep(entry: HistoryEntry, value: string, cwd: string): string[] {
  const where = entry.source.kind === 'file' ? 'IN' : 'AS';
  const operation = entry.operation.toUpperCase();
  const valueLines = value.split('\n');
  const steps = [`   ${where} ${describeSource(entry.source, cwd)}`];
  if (valueLines.length <= 1) steps.push(`   ${operation} VALUE = ${value}`);
  else steps.push(`   ${operation} VALUE =`, ...valueLines.map((line) => `      ${line}`));
  return steps;
}

/** The last plain assignment and the `+=`/`-=` steps after it. */
function latestSteps(history: readonly HistoryEntry[]): HistoryEntry[] {
  const steps: HistoryEntry[] = [];
  for (let index = history.length - 1; index >= 0; index--) {
    const entry = history[index]!;
    steps.unshift(entry);
    if (entry.operation === 'set' || entry.operation === 'override') break;
  }
  return steps;
}

/** `file:line` (relative to the current folder when inside it), or zc.buildout's names for values of no file. */
export function describeSource(source: ValueSource, cwd: string): string {
  switch (source.kind) {
    case 'file': {
      return `${relativeIfInside(cwd, source.location.file)}:${source.location.line}`;
    }
    case 'default':
      return 'DEFAULT_VALUE';
    case 'command-line':
      return 'COMMAND_LINE_VALUE';
    case 'computed':
      return 'COMPUTED_VALUE';
    case 'implicit':
      return 'IMPLICIT_VALUE';
  }
}

/** `annotate --json --origins`: each value with where its last step came from. */
export function withOrigins(
  buildout: Buildout,
  sections: Record<string, Record<string, string>>,
  cwd: string,
): Record<string, Record<string, { value: string; origin: string }>> {
  return Object.fromEntries(
    Object.entries(sections).map(([section, options]) => [
      section,
      Object.fromEntries(
        Object.entries(options).map(([option, value]) => {
          const last = buildout.history(section, option).at(-1);
          return [option, { value, origin: last ? describeSource(last.source, cwd) : 'IMPLICIT_VALUE' }];
        }),
      ),
    ]),
  );
}
