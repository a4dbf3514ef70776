import { closest, type Buildout } from '@buildout/config';
import { formatAnnotation, withOrigins } from '../annotate-format.js';
import { usageError } from '../args.js';
import type { CommandContext } from '../command.js';
import { loadConfigWith } from '../load-config.js';
import { parseCommandArguments } from '../command-args.js';
import { findCommand } from './index.js';
import { learnDeclaredSecrets } from '../secrets-plugin.js';

export async function runAnnotate(context: CommandContext): Promise<number> {
  const { options, positionals } = parseCommandArguments(findCommand('annotate')!, context.args);
  const wanted = positionals.length > 0 ? new Set(positionals) : undefined;
  const buildout = await loadConfigWith(context, wanted ?? []);
  for (const section of wanted ?? []) {
    if (buildout.hasSection(section)) continue;
    const meant = closest(section, buildout.sectionNames());
    throw usageError(`annotate: no section [${section}]${meant ? ` (did you mean [${meant}]?)` : ''}`);
  }
  const warn = (message: string): void => void context.stderr.write(`buildout: warning: ${message}\n`);
  const { sections } = buildout.toJSON({
    sections: wanted,
    onUnresolvable: (error, section, option) => warn(`[${section}] ${option}: ${error.message} (the raw value is shown)`),
  });
  const shown = await redactSections(buildout, sections, context);
  if (options.has('origins') && !options.has('json')) throw usageError('annotate: --origins goes with --json');
  if (options.has('json')) {
    const json = options.has('origins') ? withOrigins(buildout, shown, context.cwd) : shown;
    context.stdout.write(`${JSON.stringify({ sections: json }, null, 2)}\n`);
  } else {
    const show = (section: string, option: string, value: string): string => context.redactor.option(section, option, value);
    context.stdout.write(formatAnnotation(buildout, shown, context.cwd, context.global.verbosity > 0, show));
  }
  return 0;
}

/** Secret values as `***`, including options the parts' recipes declare secret. */
async function redactSections(
  buildout: Buildout,
  sections: Record<string, Record<string, string>>,
  context: CommandContext,
): Promise<Record<string, Record<string, string>>> {
  await learnDeclaredSecrets(buildout, context.redactor, Object.keys(sections));
  return context.redactor.sections(sections);
}
