import { availableParallelism } from 'node:os';
import { BuildoutError, closest } from '@buildout/config';
import { CliErrorCodes } from './errors.js';
import type { GlobalOptions } from './command.js';

export type CommandLine =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; global: GlobalOptions; command: string | undefined; args: string[] };

export function usageError(message: string, hint = "run 'buildout --help' for usage"): BuildoutError {
  return new BuildoutError(CliErrorCodes.USAGE, message, { hint });
}

const LONG_OPTIONS = ['--help', '--version', '--show-secrets'];
const SHORT_OPTIONS = 'cUoOnNvqjDh';

// Single-letter flags that take no value; they may be combined (`-Uo`), as in zc.buildout.
const FLAG_ASSIGNMENTS: Record<string, string> = {
  o: 'buildout:offline=true',
  O: 'buildout:offline=false',
  n: 'buildout:newest=true',
  N: 'buildout:newest=false',
};

/**
 * `buildout [options] [assignments] [COMMAND [args]]`: options and
 * assignments may be interleaved; the first word that is neither starts the
 * command, and everything after it belongs to the command.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const global: GlobalOptions = {
    configFile: undefined,
    userDefaults: true,
    assignments: [],
    verbosity: 0,
    debug: false,
    // As many parts at once as there are cores, as Turborepo and make -j do.
    jobs: availableParallelism(),
    showSecrets: false,
  };
  const args = [...argv];
  while (args.length > 0) {
    const arg = args[0]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version') return { kind: 'version' };
    if (arg === '--') {
      args.shift();
      break;
    }
    if (arg === '--show-secrets') {
      args.shift();
      global.showSecrets = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const suggestion = closest(arg, LONG_OPTIONS);
      throw usageError(`unknown option ${arg}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
    if (arg.startsWith('-') && arg.length > 1) {
      args.shift();
      let letters = arg.slice(1);
      while (letters.length > 0) {
        const letter = letters[0]!;
        letters = letters.slice(1);
        if (letter === 'h') return { kind: 'help' };
        if (letter === 'U') global.userDefaults = false;
        else if (letter === 'v') global.verbosity += 1;
        else if (letter === 'q') global.verbosity -= 1;
        else if (letter === 'D') global.debug = true;
        else if (FLAG_ASSIGNMENTS[letter] !== undefined) global.assignments.push(FLAG_ASSIGNMENTS[letter]);
        else if (letter === 'c' || letter === 'j') {
          const value = letters.length > 0 ? letters : args.shift();
          letters = '';
          if (value === undefined || value === '') throw usageError(`option -${letter} needs a value`);
          if (letter === 'c') global.configFile = value;
          else global.jobs = parseJobs(value);
        } else {
          const caseSlip = SHORT_OPTIONS.includes(letter.toLowerCase()) ? letter.toLowerCase() : letter.toUpperCase();
          const suggestion = SHORT_OPTIONS.includes(caseSlip) ? ` (did you mean -${caseSlip}?)` : '';
          throw usageError(`unknown option -${letter}${suggestion}`);
        }
      }
      continue;
    }
    if (arg.includes('=')) {
      global.assignments.push(args.shift()!);
      continue;
    }
    break;
  }
  const command = args.shift();
  return { kind: 'run', global, command, args };
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) throw usageError(`-j needs a whole number of at least 1, not '${value}'`);
  return jobs;
}
