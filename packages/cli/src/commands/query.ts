import { usageError } from '../args.js';
import type { CommandContext } from '../command.js';
import { loadConfigWith } from '../load-config.js';

export async function runQuery(context: CommandContext): Promise<number> {
  if (context.args.length !== 1) throw usageError('query needs exactly one [section:]option');
  const parts = context.args[0]!.split(':');
  if (parts.length > 2 || parts.some((part) => part === '')) throw usageError(`query: invalid option '${context.args[0]}'`);
  const [section, option] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['buildout', parts[0]!];
  const buildout = await loadConfigWith(context, [section]);
  const value = buildout.raw(section, option);
  if (value === undefined) buildout.get(section, option); // throws the missing-option error with its hint
  context.stdout.write(`${value}\n`);
  return 0;
}
