import { usageError } from '../args.js';
import type { CommandContext } from '../command.js';
import { loadConfigWith } from '../load-config.js';
import { parseCommandArguments } from '../command-args.js';
import { findCommand } from './index.js';
import { learnDeclaredSecrets } from '../secrets-plugin.js';

export async function runQuery(context: CommandContext): Promise<number> {
  const { positionals } = parseCommandArguments(findCommand('query')!, context.args);
  if (positionals.length !== 1) throw usageError('query needs exactly one [section:]option', "run 'buildout query --help' for usage");
  const parts = positionals[0]!.split(':');
  if (parts.length > 2 || parts.some((part) => part === '')) throw usageError(`query: invalid option '${positionals[0]}'`);
  const [section, option] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['buildout', parts[0]!];
  const buildout = await loadConfigWith(context, [section]);
  const value = buildout.raw(section, option);
  if (value === undefined) buildout.get(section, option); // throws the missing-option error with its hint
  await learnDeclaredSecrets(buildout, context.redactor, [section]);
  context.stdout.write(`${context.redactor.option(section, option, value!)}\n`);
  return 0;
}
