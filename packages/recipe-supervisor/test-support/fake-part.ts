/**
 * A stand-in for the lifecycle engine (being written in parallel): builds
 * `Part` objects shaped like the engine's and runs a recipe's hooks the way
 * the engine will (init, then install or update, paths recorded; uninstall
 * hook, then the recorded paths removed; a failed install removes what it
 * registered).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildoutError, type BuildoutAccess, type InstalledPaths, type Part, type Recipe } from '@buildout/engine';

export interface LogRecord {
  readonly level: 'info' | 'warn' | 'debug';
  readonly message: string;
}

export interface PartSpec {
  readonly directory: string;
  readonly options: Record<string, string>;
  readonly name?: string;
  /** Extra or changed [buildout] options (offline, index, find-links, ...). */
  readonly buildout?: Record<string, string>;
  readonly sections?: Record<string, Record<string, string>>;
}

export interface TestPart extends Part {
  readonly logs: LogRecord[];
  readonly registered: string[];
}

function strictSection(section: string, values: Record<string, string>): Record<string, string> {
  return new Proxy(values, {
    get(target, key) {
      if (typeof key !== 'string') return undefined;
      if (!Object.hasOwn(target, key)) throw new BuildoutError('MISSING_OPTION', `option ${section}:${key} does not exist`);
      return target[key];
    },
  });
}

export function makePart(spec: PartSpec, recordedOptions?: Record<string, string>): TestPart {
  const buildoutOptions: Record<string, string> = {
    directory: spec.directory,
    'bin-directory': join(spec.directory, 'bin'),
    'parts-directory': join(spec.directory, 'parts'),
    'develop-eggs-directory': join(spec.directory, 'develop-eggs'),
    installed: join(spec.directory, '.installed.cfg'),
    offline: 'false',
    newest: 'true',
    'log-level': 'INFO',
    ...spec.buildout,
  };
  const name = spec.name ?? 'supervisor';
  const sections: Record<string, Record<string, string>> = {
    ...spec.sections,
    buildout: buildoutOptions,
    [name]: { recipe: 'collective.recipe.supervisor', ...spec.options },
  };
  const section = (key: string): Record<string, string> => {
    if (!Object.hasOwn(sections, key)) throw new BuildoutError('MISSING_SECTION', `section [${key}] does not exist`);
    return sections[key]!;
  };
  const view: BuildoutAccess = {
    configFile: join(spec.directory, 'buildout.cfg'),
    get: (key, option) => strictSection(key, section(key))[option]!,
    getOptional: (key, option) => sections[key]?.[option],
    has: (key, option) => Object.hasOwn(sections, key) && (option === undefined || Object.hasOwn(sections[key]!, option)),
    options: (key) => section(key),
    sections: () => Object.keys(sections),
  };
  const logs: LogRecord[] = [];
  const registered: string[] = [];
  return {
    name,
    options: { ...(recordedOptions ?? sections[name]) },
    buildout: view,
    directory: spec.directory,
    offline: buildoutOptions.offline === 'true',
    created(...paths) {
      registered.push(...paths);
      return [...registered];
    },
    defineSection() {
      throw new Error('defineSection is not used by this recipe');
    },
    log: {
      info: (message) => logs.push({ level: 'info', message }),
      warn: (message) => logs.push({ level: 'warn', message }),
      debug: (message) => logs.push({ level: 'debug', message }),
    },
    logs,
    registered,
  };
}

/** What the engine records for an installed part. */
export interface InstalledState {
  readonly options: Record<string, string>;
  readonly paths: string[];
  readonly part: TestPart;
}

function pathsOf(returned: InstalledPaths): string[] {
  if (returned === undefined) return [];
  return typeof returned === 'string' ? [returned] : [...returned];
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

export async function installPart(recipe: Recipe, spec: PartSpec): Promise<InstalledState> {
  const part = makePart(spec);
  await recipe.init?.(part);
  try {
    const returned = pathsOf(await recipe.install(part));
    return { options: { ...part.options }, paths: union(returned, part.registered), part };
  } catch (error) {
    for (const path of part.registered.reverse()) await rm(path, { recursive: true, force: true });
    throw error;
  }
}

export async function updatePart(recipe: Recipe, spec: PartSpec, installed: InstalledState): Promise<InstalledState> {
  const part = makePart(spec);
  await recipe.init?.(part);
  if (recipe.update === undefined) throw new Error('the recipe has no update');
  const returned = pathsOf(await recipe.update(part));
  return { options: { ...part.options }, paths: union(installed.paths, returned, part.registered), part };
}

export async function uninstallPart(recipe: Recipe, spec: PartSpec, installed: InstalledState): Promise<TestPart> {
  const part = makePart(spec, installed.options);
  await recipe.uninstall?.(part);
  for (const path of installed.paths) await rm(path, { recursive: true, force: true });
  return part;
}
