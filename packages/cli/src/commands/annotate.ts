import { parseArgs } from 'node:util';
import { relativeIfInside, type Buildout, type HistoryEntry, type ValueSource } from '@buildout/config';
import { usageError } from '../args.js';
import type { CommandContext } from '../command.js';
import { loadConfigWith } from '../load-config.js';

export async function runAnnotate(context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs(context.args);
  const wanted = positionals.length > 0 ? new Set(positionals) : undefined;
  const buildout = await loadConfigWith(context, wanted ?? []);
  for (const section of wanted ?? []) {
    if (!buildout.hasSection(section)) throw usageError(`annotate: no section [${section}]`);
  }
  const warn = (message: string): void => void context.stderr.write(`buildout: warning: ${message}\n`);
  const { sections: shown } = buildout.toJSON({
    sections: wanted,
    onUnresolvable: (error, section, option) => warn(`[${section}] ${option}: ${error.message} (the raw value is shown)`),
  });
  if (values.json) context.stdout.write(`${JSON.stringify({ sections: shown }, null, 2)}\n`);
  else context.stdout.write(formatAnnotation(buildout, shown, context, context.global.verbosity > 0));
  return 0;
}

function parseCommandArgs(args: string[]): { values: { json?: boolean }; positionals: string[] } {
  try {
    return parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`annotate: ${(error as Error).message}`);
  }
}

/** zc.buildout's annotate layout: `option= value`, then where each step of it came from. */
function formatAnnotation(
  buildout: Buildout,
  sections: Record<string, Record<string, string>>,
  context: CommandContext,
  verbose: boolean,
): string {
  const lines = ['', 'Annotated sections', '=================='];
  for (const [section, options] of Object.entries(sections)) {
    lines.push('', `[${section}]`);
    for (const [option, value] of Object.entries(options)) {
      const [first = '', ...rest] = value.split('\n');
      lines.push(first === '' && rest.length === 0 ? `${option}=` : `${option}= ${first}`, ...rest);
      const history = buildout.history(section, option);
      for (const entry of verbose ? history : latestSteps(history)) {
        const prefix = entry.operation === 'add' ? '+=  ' : entry.operation === 'remove' ? '-=  ' : '    ';
        lines.push(`${prefix}${describeSource(entry.source, context.cwd)}`);
      }
    }
  }
  return `${lines.join('\n')}\n\n`;
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

function describeSource(source: ValueSource, cwd: string): string {
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
