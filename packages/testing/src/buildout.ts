/**
 * A temporary buildout, as zc.buildout.testing's `sample_buildout`: write
 * files into it, run the real `buildout` command in it, read what it made,
 * and build a real `Part` of it to test one recipe method.
 */
import { loadBuildout, PART_DEPENDENCIES, words } from '@buildout/config';
import { createStandalonePart, type LogRecord, type Part, type PartAction } from '@buildout/engine';
import { runCli, type RunOptions, type RunResult } from './cli.js';
import { exists, ls, read, tree, write } from './files.js';
import { normalize, SAMPLE_BUILDOUT } from './normalize.js';

/** A section a recipe's init defined with `part.defineSection`. */
export interface DefinedSection {
  readonly name: string;
  /** Its raw options, as the recipe gave them (`${...}` not substituted). */
  readonly options: Readonly<Record<string, string>>;
  readonly part: boolean;
  /** The parts it is installed after (`defineSection`'s `after`). */
  readonly after: readonly string[];
}

/** The Part the engine builds for one method, and what the method did with it. */
export interface TestPart extends Part {
  /** What the recipe logged, in order. */
  readonly logs: readonly LogRecord[];
  /** install/update: the paths registered with `part.created()` so far. */
  registered(): readonly string[];
  /** init: the sections defined so far. */
  defined(): readonly DefinedSection[];
}

export interface PartSettings {
  /** uninstall: the options recorded at install time (default: the part's options now). */
  readonly recorded?: Readonly<Record<string, string>> | undefined;
  /** Command-line assignments (`buildout:offline=true`). */
  readonly assignments?: readonly string[] | undefined;
}

export interface TestBuildout {
  /** The buildout directory (a real path). */
  readonly directory: string;
  write(path: string, text: string): void;
  read(path: string): string;
  exists(path: string): boolean;
  ls(path?: string): string[];
  /** `buildout ARGS` in the directory, with the real CLI. */
  run(args?: readonly string[], options?: Omit<RunOptions, 'cwd'>): Promise<RunResult>;
  /** `text` with the directory as `/sample-buildout` and durations as `TIME`. */
  normalize(text: string): string;
  /** A real Part of section `name` of buildout.cfg for one method, built by the engine's own code. */
  part(name: string, action?: PartAction, settings?: PartSettings): Promise<TestPart>;
}

const EMPTY_BUILDOUT = '[buildout]\nparts =\n';

/** A temporary buildout holding `files` (a `buildout.cfg` with no parts unless given). */
export function createBuildout(files: Readonly<Record<string, string>> = {}): TestBuildout {
  const directory = tree({ 'buildout.cfg': EMPTY_BUILDOUT, ...files });
  return {
    directory,
    write: (path, text) => write(directory, path, text),
    read: (path) => read(directory, path),
    exists: (path) => exists(directory, path),
    ls: (path) => ls(directory, path),
    run: (args = [], options = {}) => runCli(args, { ...options, cwd: directory }),
    normalize: (text) => normalize(text, { [directory]: SAMPLE_BUILDOUT }),
    part: (name, action = 'install', settings = {}) => partOf(directory, name, action, settings),
  };
}

async function partOf(directory: string, name: string, action: PartAction, settings: PartSettings): Promise<TestPart> {
  const buildout = await loadBuildout({ cwd: directory, userDefaults: false, env: {}, assignments: settings.assignments });
  const logs: LogRecord[] = [];
  const made = createStandalonePart(buildout, name, action, { log: (record) => logs.push(record), recorded: settings.recorded });
  const defined = (): DefinedSection[] =>
    made.defined().map((section) => {
      const options: Record<string, string> = {};
      for (const option of buildout.optionNames(section.name)) {
        if (option !== PART_DEPENDENCIES) options[option] = buildout.raw(section.name, option)!;
      }
      return { name: section.name, options, part: section.part, after: words(buildout.raw(section.name, PART_DEPENDENCIES)) };
    });
  return Object.assign(made.part, { logs, registered: made.registered, defined });
}

/** buildout.cfg text for `sections` (section -> option -> value); values of several lines are indented. */
export function configText(sections: Readonly<Record<string, Readonly<Record<string, string>>>>): string {
  return Object.entries(sections)
    .map(([section, options]) => {
      const lines = Object.entries(options).map(([option, value]) => `${option} = ${value.split('\n').join('\n    ')}`);
      return [`[${section}]`, ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
