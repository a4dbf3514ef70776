/**
 * The `Part` objects recipes receive (see recipe-api.ts): one flavour for
 * `init` (options write through to the buildout, sections may be defined),
 * one for install/update (paths are registered as they are created), one for
 * uninstall (the recorded options).
 */
import { recordedEntry } from './removal.js';
import { BuildoutError, PART_DEPENDENCIES, words, type Buildout } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';
import type { LogLevel, LogRecord, PartAction } from './hooks.js';
import type { BuildoutAccess, CacheSource, Logger, LogSubject, Part } from './recipe-api.js';

export interface PartEnvironment {
  readonly buildout: Buildout;
  readonly offline: boolean;
  /** The current run's signal (aborted when the run is interrupted). */
  readonly signal: AbortSignal;
  readonly log: (record: LogRecord) => void;
  /** Deprecations already warned about (each is said once per run). */
  readonly warned: Set<string>;
}

/** `part.buildout`: the recipe API's read access, plus API 0.x's indexing (`part.buildout[section][option]`) with a warning. */
export function createBuildoutAccess(environment: PartEnvironment, part: string): BuildoutAccess {
  const { buildout } = environment;
  const access: BuildoutAccess = {
    configFile: buildout.configFile,
    configFiles: buildout.configFiles,
    get: (section, option) => buildout.get(section, option),
    getOptional: (section, option) => (buildout.hasSection(section) ? buildout.getOptional(section, option) : undefined),
    has: (section, option) => buildout.hasSection(section) && (option === undefined || buildout.raw(section, option) !== undefined),
    options: (section) => buildout.resolveSection(section),
    sections: () => buildout.sectionNames(),
  };
  const indexed = (section: string): void => {
    if (environment.warned.has(INDEXED_VIEW)) return;
    environment.warned.add(INDEXED_VIEW);
    environment.log({
      level: 'warn',
      part,
      message:
        `its recipe reads part.buildout['${section}'][...], the recipe API 0.x way: ` +
        `since 1.0 write part.buildout.get('${section}', option), or getOptional(...) for an option that may be missing`,
    });
  };
  return new Proxy(access, {
    get(target, key) {
      if (typeof key !== 'string' || Object.hasOwn(target, key) || !buildout.hasSection(key)) return Reflect.get(target, key);
      indexed(key);
      return legacySection(buildout, key);
    },
    has(target, key) {
      if (typeof key !== 'string' || Object.hasOwn(target, key)) return Reflect.has(target, key);
      indexed(key);
      return buildout.hasSection(key);
    },
  });
}

const INDEXED_VIEW = 'indexed part.buildout';

/** API 0.x: a section as an object resolved on access; a missing option throws the config's error. */
function legacySection(buildout: Buildout, section: string): Readonly<Record<string, string>> {
  return new Proxy({} as Record<string, string>, {
    get: (_target, option) => (typeof option === 'string' ? buildout.get(section, option) : undefined),
    has: (_target, option) => typeof option === 'string' && buildout.raw(section, option) !== undefined,
    ownKeys: () => buildout.optionNames(section),
    getOwnPropertyDescriptor: (_target, option) =>
      typeof option === 'string' && buildout.raw(section, option) !== undefined
        ? { value: buildout.get(section, option), enumerable: true, configurable: true, writable: false }
        : undefined,
  });
}

function logger(environment: PartEnvironment, part: string, options: Readonly<Record<string, string>>): Logger {
  const emit = (level: LogLevel) => (message: string, about?: LogSubject) => {
    const location = about?.option === undefined ? undefined : environment.buildout.location(part, about.option);
    environment.log({ level, message, part, location, options });
  };
  return { info: emit('info'), warn: emit('warn'), debug: emit('debug') };
}

function onlyIn(method: string, where: string, part: string): never {
  throw new BuildoutError(EngineErrorCodes.RECIPE_FAILED, `part.${method}() can only be used in ${where}`, { part });
}

/**
 * What every flavour of Part has; `created` and `defineSection` refuse unless
 * the flavour gives its own in `own`. Built in one object (not spread: a
 * spread would call the `buildout` getter and build the access for every part).
 */
function basePart(
  environment: PartEnvironment,
  name: string,
  directory: string,
  options: Record<string, string>,
  own: Partial<Pick<Part, 'created' | 'restoredFromCache' | 'defineSection' | 'staleDependencies' | 'reinstalling'>> = {},
): Part {
  let access: BuildoutAccess | undefined;
  return {
    name,
    options,
    get buildout() {
      access ??= createBuildoutAccess(environment, name);
      return access;
    },
    directory,
    offline: environment.offline,
    staleDependencies: own.staleDependencies ?? [],
    reinstalling: own.reinstalling ?? false,
    signal: environment.signal,
    log: logger(environment, name, options),
    created: own.created ?? (() => onlyIn('created', 'install and update', name)),
    restoredFromCache: own.restoredFromCache ?? (() => onlyIn('restoredFromCache', 'install and update', name)),
    defineSection: own.defineSection ?? (() => onlyIn('defineSection', 'init', name)),
  };
}

export interface DefinedSection {
  readonly name: string;
  /** Installed as a part, after the part whose init defined it. */
  readonly part: boolean;
}

export interface InitPart {
  readonly part: Part;
  /** Sections the recipe defined with `part.defineSection`. */
  readonly defined: DefinedSection[];
}

/** For `init`: setting `part.options.x` goes through `buildout.set`, so other parts see it as `${name:x}`. */
export function createInitPart(environment: PartEnvironment, name: string, directory: string): InitPart {
  const { buildout } = environment;
  const defined: DefinedSection[] = [];
  const options = new Proxy(buildout.resolveSection(name), {
    set(target, option, value) {
      if (typeof option !== 'string') return false;
      if (typeof value !== 'string') {
        throw new BuildoutError(
          EngineErrorCodes.RECIPE_FAILED,
          `init set option ${option} to a ${typeof value}; option values are strings`,
          {
            part: name,
          },
        );
      }
      buildout.set(name, option, value);
      target[option] = value;
      return true;
    },
    deleteProperty(_target, option) {
      throw new BuildoutError(EngineErrorCodes.RECIPE_FAILED, `init cannot remove option ${String(option)}; set it to '' instead`, {
        part: name,
      });
    },
  });
  const part = basePart(environment, name, directory, options, {
    defineSection(section, sectionOptions, settings) {
      buildout.defineSection(section, withDependencies(sectionOptions, settings?.after, name));
      defined.push({ name: section, part: settings?.part === true });
    },
  });
  return { part, defined };
}

/** `after: [...]` is written as the config's `=>` dependencies (`<part-dependencies>`), with any the options name already. */
function withDependencies(
  options: Readonly<Record<string, string>>,
  after: readonly string[] | undefined,
  part: string,
): Readonly<Record<string, string>> {
  if (after === undefined) return options;
  if (!Array.isArray(after) || after.some((name) => typeof name !== 'string' || !/^\S+$/.test(name))) {
    throw new BuildoutError(EngineErrorCodes.RECIPE_INVALID, 'defineSection: after must be a list of part names', {
      part,
      hint: "write part.defineSection(name, options, { part: true, after: ['other-part'] })",
    });
  }
  if (after.length === 0) return options;
  const listed = words(options[PART_DEPENDENCIES] ?? '');
  return { ...options, [PART_DEPENDENCIES]: [...new Set([...listed, ...after])].join(' ') };
}

export interface RunningPart {
  readonly part: Part;
  /** Paths registered so far with `part.created`. */
  readonly registered: () => readonly string[];
  /** What the recipe said with `part.restoredFromCache`, if it did. */
  readonly restored: () => CacheSource | undefined;
}

/** For install and update: `created` registers paths (and reports each call, for the journal). */
export function createRunningPart(
  environment: PartEnvironment,
  name: string,
  directory: string,
  options: Readonly<Record<string, string>>,
  onCreated: (paths: readonly string[]) => void,
  staleDependencies: readonly string[] = [],
): RunningPart {
  const registered = new Set<string>();
  let restored: CacheSource | undefined;
  const part = basePart(
    environment,
    name,
    directory,
    { ...options },
    {
      staleDependencies,
      created(...paths) {
        const added = normalizePaths(paths, name, directory).filter((path) => !registered.has(path));
        if (added.length > 0) {
          for (const path of added) registered.add(path);
          onCreated(added);
        }
        return [...registered];
      },
      restoredFromCache(source) {
        restored = source;
      },
    },
  );
  return { part, registered: () => [...registered], restored: () => restored };
}

/**
 * For uninstall (the options recorded at install time; `reinstalling` when an install follows) and for
 * plan-time questions (the wanted options): a part that can change nothing.
 */
export function createReadOnlyPart(
  environment: PartEnvironment,
  name: string,
  directory: string,
  options: Readonly<Record<string, string>>,
  reinstalling = false,
): Part {
  return basePart(environment, name, directory, { ...options }, { reinstalling });
}

/**
 * What install/update return, as the entries to record (`recordedEntry`), relative to the
 * buildout `directory` when inside it. `.installed.cfg` lists one path per line: a path
 * holding a newline would read back as two, and uninstalling would remove the second,
 * which the part never made.
 */
export function normalizePaths(paths: unknown, part: string, directory: string): string[] {
  const list = paths === undefined || paths === null ? [] : typeof paths === 'string' ? [paths] : paths;
  const unfit = (path: unknown) => typeof path !== 'string' || path === '' || /[\0\n]/.test(path);
  if (!Array.isArray(list) || list.some(unfit)) {
    const first = Array.isArray(list) ? list.find(unfit) : list;
    throw new BuildoutError(
      EngineErrorCodes.RECIPE_INVALID,
      `the recipe returned something other than a list of paths (non-empty, without NUL bytes or newlines): ${JSON.stringify(first) ?? String(first)}`,
      {
        part,
        hint: 'install and update return the paths they created: string[] (or nothing)',
      },
    );
  }
  return (list as string[]).map((path) => recordedEntry(directory, path));
}

export interface StandalonePart {
  readonly part: Part;
  /** install/update: the paths registered with `part.created()` so far. */
  registered(): readonly string[];
  /** init: the sections defined with `part.defineSection()` so far. */
  defined(): readonly DefinedSection[];
}

/**
 * The Part the engine would hand to `action` of part `name`, outside a run:
 * for tests of one recipe method (@buildout/testing). Built by the same
 * factories as in a run; `recorded` are uninstall's recorded options.
 */
export function createStandalonePart(
  buildout: Buildout,
  name: string,
  action: PartAction,
  settings: {
    log: (record: LogRecord) => void;
    recorded?: Readonly<Record<string, string>> | undefined;
    /** `part.signal` (default: one never aborted). */
    signal?: AbortSignal | undefined;
    /** uninstall: `part.reinstalling` (default: false, the part leaves the buildout). */
    reinstalling?: boolean | undefined;
  },
): StandalonePart {
  const environment: PartEnvironment = {
    buildout,
    offline: buildout.getBoolean('buildout', 'offline', false),
    log: settings.log,
    warned: new Set(),
    signal: settings.signal ?? new AbortController().signal,
  };
  const none = (): readonly never[] => [];
  switch (action) {
    case 'init': {
      const { part, defined } = createInitPart(environment, name, buildout.directory);
      return { part, registered: none, defined: () => [...defined] };
    }
    case 'install':
    case 'update': {
      const { part, registered } = createRunningPart(environment, name, buildout.directory, buildout.resolveSection(name), () => {});
      return { part, registered, defined: none };
    }
    case 'uninstall': {
      const options = settings.recorded ?? buildout.resolveSection(name);
      const part = createReadOnlyPart(environment, name, buildout.directory, options, settings.reinstalling);
      return { part, registered: none, defined: none };
    }
  }
}
