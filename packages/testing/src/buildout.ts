/**
 * A temporary buildout, as zc.buildout.testing's `sample_buildout`: write
 * files into it, run the real `buildout` command in it, read what it made,
 * and build a real `Part` of it to test one recipe method.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  isBuildoutError,
  loadBuildout,
  PART_DEPENDENCIES,
  words,
  type Buildout,
  type BuildoutError,
  type SourceLocation,
} from '@buildout/config';
import {
  createEngine,
  createStandalonePart,
  parseInstalledCfg,
  type EnginePlugin,
  type InstalledPart,
  type LogLevel,
  type LogRecord,
  type Part,
  type PartAction,
  type Recipe,
  type RunSummary,
} from '@buildout/engine';
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

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  /** Where the option the message is about is set (`part.log.warn(message, { option })`), when it is in a file. */
  readonly location?: SourceLocation;
}

/** The Part the engine builds for one method, and what the method did with it. */
export interface TestPart extends Part {
  /** What the recipe logged through `part.log`, in order. */
  readonly logs: readonly LogLine[];
  /** install/update: the paths registered with `part.created()` so far. */
  readonly registered: readonly string[];
  /** init: the sections defined with `part.defineSection()` so far. */
  readonly defined: readonly DefinedSection[];
}

export interface PartSettings {
  /** uninstall: the options recorded at install time (default: the part's options now). */
  readonly recorded?: Readonly<Record<string, string>> | undefined;
  /** uninstall: the part is installed again right after (`part.reinstalling`; default false, it leaves the buildout). */
  readonly reinstalling?: boolean | undefined;
  /** Command-line assignments (`buildout:offline=true`). */
  readonly assignments?: readonly string[] | undefined;
}

export interface InstallSettings {
  /** Recipe objects by name (`recipe = NAME`), used before any module is looked for. */
  readonly recipes?: Readonly<Record<string, Recipe>> | undefined;
  /** `install p1 p2`. */
  readonly parts?: readonly string[] | undefined;
  readonly assignments?: readonly string[] | undefined;
  readonly jobs?: number | undefined;
  readonly plugins?: readonly EnginePlugin[] | undefined;
}

export interface InstallRun {
  /** The error the run failed with (undefined when it succeeded). */
  readonly error: BuildoutError | undefined;
  readonly summary: RunSummary | undefined;
  /** Every message of recipes and the engine, in order. */
  readonly logs: readonly LogRecord[];
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
  /** `buildout install` by the engine in this process: the run the command makes, with recipe objects given by name. */
  install(settings?: InstallSettings): Promise<InstallRun>;
  /** What .installed.cfg records: part -> options, installed paths, signature (empty before the first run). */
  installed(): ReadonlyMap<string, InstalledPart>;
  /** `text` with the directory as `/sample-buildout` and durations as `TIME`. */
  normalize(text: string): string;
  /**
   * A real Part of section `name` of buildout.cfg for one method, built by the
   * engine's own code. Parts share one loaded configuration until a file is
   * written, as in a run: what an init sets, a later install part sees.
   */
  part(name: string, action?: PartAction, settings?: PartSettings): Promise<TestPart>;
}

const EMPTY_BUILDOUT = '[buildout]\nparts =\n';

/** A temporary buildout holding `files` (a `buildout.cfg` with no parts unless given). */
export function createBuildout(files: Readonly<Record<string, string>> = {}): TestBuildout {
  return openBuildout(tree({ 'buildout.cfg': EMPTY_BUILDOUT, ...files }));
}

/** A TestBuildout for a folder that exists (a project a test has laid out); nothing is written. */
export function openBuildout(directory: string): TestBuildout {
  let loaded: { assignments: string; buildout: Promise<Buildout> } | undefined;
  const load = (assignments: readonly string[] = []): Promise<Buildout> => {
    const key = JSON.stringify(assignments);
    if (loaded?.assignments !== key)
      loaded = { assignments: key, buildout: loadBuildout({ cwd: directory, userDefaults: false, env: {}, assignments }) };
    return loaded.buildout;
  };
  return {
    directory,
    write: (path, text) => {
      loaded = undefined;
      write(directory, path, text);
    },
    read: (path) => read(directory, path),
    exists: (path) => exists(directory, path),
    ls: (path) => ls(directory, path),
    run: (args = [], options = {}) => runCli(args, { ...options, cwd: directory }),
    install: async (settings = {}) => {
      loaded = undefined;
      return installIn(directory, settings);
    },
    installed: () => {
      const file = join(directory, '.installed.cfg');
      return existsSync(file) ? parseInstalledCfg(read(directory, '.installed.cfg'), file) : new Map();
    },
    normalize: (text) => normalize(text, { [directory]: SAMPLE_BUILDOUT }),
    part: async (name, action = 'install', settings = {}) => partOf(await load(settings.assignments), name, action, settings),
  };
}

async function installIn(directory: string, settings: InstallSettings): Promise<InstallRun> {
  const buildout = await loadBuildout({ cwd: directory, userDefaults: false, env: {}, assignments: settings.assignments });
  const engine = createEngine({ buildout, jobs: settings.jobs, recipes: settings.recipes });
  const logs: LogRecord[] = [];
  engine.hooks.log.tap('@buildout/testing', (record) => void logs.push(record));
  for (const plugin of settings.plugins ?? []) await engine.use(plugin);
  try {
    const { summary } = await engine.install({ parts: settings.parts });
    return { error: undefined, summary, logs };
  } catch (error) {
    if (!isBuildoutError(error)) throw error;
    return { error, summary: undefined, logs };
  }
}

function partOf(buildout: Buildout, name: string, action: PartAction, settings: PartSettings): TestPart {
  const logs: LogLine[] = [];
  const made = createStandalonePart(buildout, name, action, {
    log: ({ level, message, location }) => logs.push(location ? { level, message, location } : { level, message }),
    recorded: settings.recorded,
    reinstalling: settings.reinstalling,
  });
  const rawOptions = (section: string): Record<string, string> => {
    const options: Record<string, string> = {};
    for (const option of buildout.optionNames(section)) if (option !== PART_DEPENDENCIES) options[option] = buildout.raw(section, option)!;
    return options;
  };
  return Object.defineProperties(made.part as TestPart, {
    logs: { value: logs, enumerable: true },
    registered: { get: made.registered, enumerable: true },
    defined: {
      get: () =>
        made.defined().map(
          (section): DefinedSection => ({
            name: section.name,
            options: rawOptions(section.name),
            part: section.part,
            after: words(buildout.raw(section.name, PART_DEPENDENCIES)),
          }),
        ),
      enumerable: true,
    },
  });
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
