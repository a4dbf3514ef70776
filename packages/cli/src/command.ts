import type { Writable } from 'node:stream';
import type { Redactor } from './redact.js';

/** Options that come before the command, as zc.buildout's command line has them. */
export interface GlobalOptions {
  /** `-c FILE|URL`. */
  configFile: string | undefined;
  /** `false` with `-U`. */
  userDefaults: boolean;
  /** `section:option=value` assignments, including those `-o/-O/-n/-N` stand for. */
  assignments: string[];
  /** 0 normal, >0 with each `-v`, <0 with each `-q`. */
  verbosity: number;
  /** `-D`: show stack traces of unexpected errors. */
  debug: boolean;
  /** `-j N`: parts installed at once (1 = one after the other). */
  jobs: number;
  /** `--show-secrets`: print secret option values instead of `***`. */
  showSecrets: boolean;
}

export interface CommandContext {
  readonly global: GlobalOptions;
  /** Arguments after the command name. */
  readonly args: string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Masks secret values in what is printed (stdout and stderr already go through it). */
  readonly redactor: Redactor;
}

/** Runs a command: returns the exit code; throws BuildoutError for user errors. */
export type CommandRun = (context: CommandContext) => Promise<number>;

/** One option of a command, for its parser and its `--help`. */
export interface CommandOption {
  /** Long name without the dashes: `dry-run`. */
  readonly name: string;
  /** Placeholder of the option's value (`FORMAT`); a flag without value when absent. */
  readonly value?: string;
  readonly description: string;
}

export interface Command {
  readonly name: string;
  /** `buildout NAME ...` synopsis of the command's own arguments. */
  readonly usage: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** The command's own options (`-h`/`--help` is every command's). */
  readonly options: readonly CommandOption[];
  /** What the positional arguments are, when the command takes any. */
  readonly positionals?: string;
  /** Command lines for `buildout NAME --help`, each with what it does. */
  readonly examples: readonly (readonly [string, string])[];
  /** Imports the command's code when it runs, so `annotate` does not pay for loading the engine. */
  load(): Promise<CommandRun>;
}
