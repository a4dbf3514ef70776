import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { parseCommandLine, usageError } from './args.js';
import { closest } from '@buildout/config';
import { commands, DEFAULT_COMMAND, findCommand } from './commands/index.js';
import { asksForHelp, commandHelp, helpText } from './help.js';
import { commandOutputs } from './output.js';
import { Redactor, secretOfArgument } from './redact.js';
import { renderError } from './render.js';

export interface MainIO {
  stdout?: Writable;
  stderr?: Writable;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** The redactor of the run (the process guard passes its own, to mask what it reports after main returned). */
  redactor?: Redactor;
}

export async function main(argv: readonly string[], io: MainIO = {}): Promise<number> {
  const redactor = io.redactor ?? new Redactor();
  const { stdout, stderr, flush } = commandOutputs(io.stdout ?? process.stdout, io.stderr ?? process.stderr, redactor);
  let debug = false;
  for (const argument of argv) redactor.addSecret(secretOfArgument(argument));
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
    const command = findCommand(name);
    if (!command) {
      const names = commands.map((c) => c.name);
      const suggestion = closest(name, names);
      throw usageError(`unknown command '${name}' (${suggestion ? `did you mean '${suggestion}'?` : `commands: ${names.join(', ')}`})`);
    }
    if (asksForHelp(commandLine.args)) {
      stdout.write(commandHelp(command));
      return 0;
    }
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
    redactor.learnBeforeError();
    const rendered = renderError(error, debug, io.cwd ?? process.cwd());
    stderr.write(rendered.text);
    return rendered.exitCode;
  } finally {
    flush();
  }
}

function version(): string {
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}

export { runAsProcess } from './process-guard.js';
