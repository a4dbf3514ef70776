import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { parseCommandLine, usageError } from './args.js';
import type { Command } from './command.js';
import { commands, DEFAULT_COMMAND } from './commands/index.js';
import { CommandOutput } from './output.js';
import { Redactor } from './redact.js';
import { renderError } from './render.js';

export interface MainIO {
  stdout?: Writable;
  stderr?: Writable;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function main(argv: readonly string[], io: MainIO = {}): Promise<number> {
  const redactor = new Redactor();
  const stdout = new CommandOutput(io.stdout ?? process.stdout, redactor);
  const stderr = new CommandOutput(io.stderr ?? process.stderr, redactor);
  let debug = false;
  try {
    const commandLine = parseCommandLine(argv);
    if (commandLine.kind === 'help') {
      stdout.write(helpText());
      return 0;
    }
    if (commandLine.kind === 'version') {
      stdout.write(`buildout ${version()}\n`);
      return 0;
    }
    debug = commandLine.global.debug;
    redactor.enabled = !commandLine.global.showSecrets;
    const name = commandLine.command ?? DEFAULT_COMMAND;
    const command = commands.find((candidate) => candidate.name === name);
    if (!command) throw usageError(`unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})`);
    const run = await command.load();
    return await run({
      global: commandLine.global,
      args: commandLine.args,
      cwd: io.cwd ?? process.cwd(),
      env: io.env ?? process.env,
      stdout,
      stderr,
      redactor,
    });
  } catch (error) {
    const rendered = renderError(error, debug, io.cwd ?? process.cwd());
    stderr.write(rendered.text);
    return rendered.exitCode;
  }
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

function helpText(): string {
  const width = Math.max(...commands.map((command: Command) => command.usage.length));
  const lines = commands.map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`);
  return `Usage: buildout [options] [assignments] [command [args]]

Options:
  -c FILE|URL   configuration file (default: buildout.cfg here or in a parent folder)
  -U            do not read user defaults (~/.buildout/default.cfg or $BUILDOUT_HOME/default.cfg)
  -o, -O        offline mode on / off (buildout:offline=true|false)
  -n, -N        newest mode on / off (buildout:newest=true|false)
  -v, -q        more / less output (repeatable)
  -j N          install up to N independent parts at once
  -D            show stack traces of unexpected errors
  --show-secrets  show secret option values (passwords, tokens) instead of ***
  -h, --help    this help
  --version     the version

Assignments:
  [section:]option=value    set an option (section defaults to buildout)
  [section:]option+=value   add lines to an option
  [section:]option-=value   remove lines from an option
  buildout:extends=FILE     extend the configuration with more files

Commands (default: ${DEFAULT_COMMAND}):
${lines.join('\n')}
`;
}

export { runAsProcess } from './process-guard.js';
