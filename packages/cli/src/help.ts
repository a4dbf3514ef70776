/** The text of `buildout --help` and of `buildout COMMAND --help`. */
import type { Command } from './command.js';
import { commands, DEFAULT_COMMAND } from './commands/index.js';

export const GLOBAL_FLAGS = ['--help', '--version'] as const;

export function helpText(): string {
  const width = Math.max(...commands.map((command: Command) => command.usage.length));
  const lines = commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`);
  return `Usage: buildout [options] [assignments] [command [args]]

Options:
  -c FILE|URL   configuration file (default: buildout.cfg here or in a parent folder)
  -U            do not read user defaults (~/.buildout/default.cfg or $BUILDOUT_HOME/default.cfg)
  -o, -O        offline mode on / off (buildout:offline=true|false)
  -n, -N        newest mode on / off (buildout:newest=true|false)
  -v, -vv       more output: commands and recipe logs; debug detail (plan reasons, timings)
  -q, -qq       less output: warnings and errors only; errors only
  -j N          install up to N independent parts at once
  -D            show stack traces of unexpected errors
  --show-secrets  print secret values (passwords, tokens) instead of ***
  -h, --help    this help (buildout COMMAND --help: the command's)
  --version     the version

Assignments:
  [section:]option=value    set an option (section defaults to buildout)
  [section:]option+=value   add lines to an option
  [section:]option-=value   remove lines from an option
  buildout:extends=FILE     extend the configuration with more files

Commands (default: ${DEFAULT_COMMAND}):
${lines.join('\n')}

Example:
  buildout -c production.cfg -j 4 install
`;
}

/** `buildout NAME --help`: usage, what it does, its options and examples. */
export function commandHelp(command: Command): string {
  const options = [
    ...command.options.map((option) => [`--${option.name}${option.value ? ` ${option.value}` : ''}`, option.description] as const),
    ['-h, --help', 'this help'] as const,
  ];
  const width = Math.max(...options.map(([flag]) => flag.length));
  const lines = [`Usage: buildout [options] [assignments] ${command.usage}`, '', `${capitalize(command.summary)}.`, ''];
  if (command.positionals) lines.push('Arguments:', `  ${command.positionals}`, '');
  lines.push('Options:', ...options.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`), '');
  lines.push('Examples:', ...command.examples.flatMap(([line, what]) => [`  ${line}`, `      ${what}`]), '');
  lines.push("Global options (-c, -U, -v, -q, -j, ...) go before the command: see 'buildout --help'.", '');
  return lines.join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `--help` or `-h` among a command's arguments (before any `--`). */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}
