/**
 * One parser for every command's own arguments, driven by the option list of
 * its `Command` (the same list `--help` prints), so a misspelt flag gets a
 * did-you-mean. node:util's parseArgs has no hook for that and its messages
 * talk about positionals; this loop is the little it needs.
 */
import { closest } from '@buildout/config';
import { usageError } from './args.js';
import type { Command } from './command.js';

export interface CommandArguments {
  /** Given options by name: `true` for a flag, the text for an option with a value. */
  readonly options: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

export function parseCommandArguments(command: Command, args: readonly string[]): CommandArguments {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg];
    const option = command.options.find((candidate) => `--${candidate.name}` === flag);
    if (!option) throw unknownOption(command, flag!);
    if (option.value === undefined) {
      if (inline !== undefined) throw usageError(`${command.name}: --${option.name} takes no value`);
      options.set(option.name, true);
      continue;
    }
    const value = inline ?? args[++index];
    if (value === undefined) throw usageError(`${command.name}: --${option.name} needs a value (${option.value})`);
    options.set(option.name, value);
  }
  return { options, positionals };
}

function unknownOption(command: Command, flag: string) {
  const flags = [...command.options.map((option) => `--${option.name}`), '--help'];
  const suggestion = closest(flag, flags);
  const known = command.options.length > 0 ? `options: ${flags.join(', ')}` : `${command.name} takes no options`;
  return usageError(
    `${command.name}: unknown option ${flag}${suggestion ? ` (did you mean ${suggestion}?)` : ` (${known})`}`,
    `run 'buildout ${command.name} --help' for usage`,
  );
}
