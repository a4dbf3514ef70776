/**
 * The `Part` objects recipes receive (see recipe-api.ts): one flavour for
 * `init` (options write through to the buildout, sections may be defined),
 * one for install/update (paths are registered as they are created), one for
 * uninstall (the recorded options).
 */
import { normalize } from 'node:path';
import { BuildoutError, ErrorCodes, type Buildout } from '@buildout/config';
import type { LogLevel, LogRecord } from './hooks.js';
import type { BuildoutView, CacheSource, Logger, Part } from './recipe-api.js';

export interface PartEnvironment {
  readonly buildout: Buildout;
  readonly view: BuildoutView;
  readonly offline: boolean;
  readonly log: (record: LogRecord) => void;
}

/** `part.buildout[section][option]`, resolved on access; a missing section or option throws the config's error. */
export function createBuildoutView(buildout: Buildout): BuildoutView {
  const sections = new Map<string, Readonly<Record<string, string>>>();
  const sectionView = (section: string): Readonly<Record<string, string>> =>
    new Proxy({} as Record<string, string>, {
      get: (_target, option) => (typeof option === 'string' ? buildout.get(section, option) : undefined),
      has: (_target, option) => typeof option === 'string' && buildout.getOptional(section, option) !== undefined,
      ownKeys: () => buildout.optionNames(section),
      getOwnPropertyDescriptor: (_target, option) =>
        typeof option === 'string' && buildout.getOptional(section, option) !== undefined
          ? { value: buildout.get(section, option), enumerable: true, configurable: true, writable: false }
          : undefined,
    });
  return new Proxy({} as Record<string, Readonly<Record<string, string>>>, {
    get(_target, section) {
      if (typeof section !== 'string') return undefined;
      let view = sections.get(section);
      if (!view) {
        // Throws MISSING_SECTION for an unknown section.
        buildout.optionNames(section);
        view = sectionView(section);
        sections.set(section, view);
      }
      return view;
    },
    has: (_target, section) => typeof section === 'string' && buildout.hasSection(section),
    ownKeys: () => buildout.sectionNames(),
    getOwnPropertyDescriptor: (_target, section) =>
      typeof section === 'string' && buildout.hasSection(section)
        ? { value: sectionView(section), enumerable: true, configurable: true, writable: false }
        : undefined,
  });
}

function logger(environment: PartEnvironment, part: string): Logger {
  const emit = (level: LogLevel) => (message: string) => environment.log({ level, message, part });
  return { info: emit('info'), warn: emit('warn'), debug: emit('debug') };
}

function onlyIn(method: string, where: string, part: string): never {
  throw new BuildoutError(ErrorCodes.RECIPE_FAILED, `part.${method}() can only be used in ${where}`, { part });
}

/** What every flavour of Part has; `created` and `defineSection` refuse unless the flavour overrides them. */
function basePart(environment: PartEnvironment, name: string, directory: string, options: Record<string, string>): Part {
  return {
    name,
    options,
    buildout: environment.view,
    directory,
    offline: environment.offline,
    staleDependencies: [],
    log: logger(environment, name),
    created: () => onlyIn('created', 'install and update', name),
    restoredFromCache: () => onlyIn('restoredFromCache', 'install and update', name),
    defineSection: () => onlyIn('defineSection', 'init', name),
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
        throw new BuildoutError(ErrorCodes.RECIPE_FAILED, `init set option ${option} to a ${typeof value}; option values are strings`, {
          part: name,
        });
      }
      buildout.set(name, option, value);
      target[option] = value;
      return true;
    },
    deleteProperty(_target, option) {
      throw new BuildoutError(ErrorCodes.RECIPE_FAILED, `init cannot remove option ${String(option)}; set it to '' instead`, {
        part: name,
      });
    },
  });
  const part: Part = {
    ...basePart(environment, name, directory, options),
    defineSection(section, sectionOptions, settings) {
      buildout.defineSection(section, sectionOptions);
      defined.push({ name: section, part: settings?.part === true });
    },
  };
  return { part, defined };
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
  const part: Part = {
    ...basePart(environment, name, directory, { ...options }),
    staleDependencies,
    created(...paths) {
      const added = normalizePaths(paths, name).filter((path) => !registered.has(path));
      if (added.length > 0) {
        for (const path of added) registered.add(path);
        onCreated(added);
      }
      return [...registered];
    },
    restoredFromCache(source) {
      restored = source;
    },
  };
  return { part, registered: () => [...registered], restored: () => restored };
}

/** For uninstall (the options recorded at install time) and for plan-time questions (the wanted options): a part that can change nothing. */
export function createReadOnlyPart(
  environment: PartEnvironment,
  name: string,
  directory: string,
  options: Readonly<Record<string, string>>,
): Part {
  return basePart(environment, name, directory, { ...options });
}

/** What install/update return, as a list of normalized paths. */
export function normalizePaths(paths: unknown, part: string): string[] {
  const list = paths === undefined || paths === null ? [] : typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || list.some((path) => typeof path !== 'string' || path === '')) {
    throw new BuildoutError(ErrorCodes.RECIPE_INVALID, 'the recipe returned something other than a list of paths', {
      part,
      hint: 'install and update return the paths they created: string[] (or nothing)',
    });
  }
  return (list as string[]).map((path) => normalize(path));
}
