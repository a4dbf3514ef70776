/** Test helpers: temporary folders and a hand-built `Part` like the engine's. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { BuildoutError, type BuildoutAccess, type CacheSource, type Part } from '@buildout/engine';

const created: string[] = [];
afterEach(() => {
  for (const folder of created.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A temporary folder holding `files` (path -> content), removed after the test. */
export function tree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'recipe-command-'));
  created.push(root);
  write(root, files);
  return root;
}

export function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Dates every file back a minute, so the hash cache trusts their times. */
export function age(root: string, ...paths: string[]): void {
  const past = new Date(Date.now() - 60_000);
  for (const path of paths) utimesSync(join(root, path), past, past);
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'debug';
  readonly message: string;
}

export interface FakePart extends Part {
  readonly logs: LogLine[];
  readonly registered: string[];
  /** What the recipe said with `restoredFromCache`, in order. */
  readonly restored: CacheSource[];
  readonly defined: { name: string; options: Readonly<Record<string, string>>; part: boolean; after: readonly string[] }[];
}

/** A Part as the engine hands it to init/install/update, for a buildout in `directory` with buildout's default folders. */
export function fakePart(
  directory: string,
  name: string,
  options: Record<string, string>,
  sections: Record<string, Record<string, string>> = {},
): FakePart {
  const logs: LogLine[] = [];
  const registered: string[] = [];
  const restored: CacheSource[] = [];
  const defined: FakePart['defined'] = [];
  const buildout: Record<string, Record<string, string>> = {
    buildout: { directory, 'parts-directory': 'parts', 'bin-directory': 'bin', installed: '.installed.cfg' },
    [name]: options,
    ...sections,
  };
  const access: BuildoutAccess = {
    configFile: join(directory, 'buildout.cfg'),
    get: (section, option) => {
      const value = buildout[section]?.[option];
      if (value === undefined) throw new BuildoutError('MISSING_OPTION', `Missing option: ${section}:${option}`);
      return value;
    },
    getOptional: (section, option) => buildout[section]?.[option],
    has: (section, option) => section in buildout && (option === undefined || option in buildout[section]!),
    options: (section) => buildout[section]!,
    sections: () => Object.keys(buildout),
  };
  return {
    name,
    options,
    buildout: access,
    directory,
    offline: false,
    staleDependencies: [],
    log: {
      info: (message) => logs.push({ level: 'info', message }),
      warn: (message) => logs.push({ level: 'warn', message }),
      debug: (message) => logs.push({ level: 'debug', message }),
    },
    created(...paths) {
      registered.push(...paths);
      return [...registered];
    },
    restoredFromCache(source) {
      restored.push(source);
    },
    defineSection(section, sectionOptions, settings) {
      if (section in buildout) throw new BuildoutError('BAD_ASSIGNMENT', `section [${section}] already exists`);
      buildout[section] = { ...sectionOptions };
      defined.push({ name: section, options: sectionOptions, part: settings?.part === true, after: settings?.after ?? [] });
    },
    logs,
    registered,
    restored,
    defined,
  };
}

/** What `run` threw (or rejected with); a run that does not fail fails the test. */
export async function failure(run: () => unknown): Promise<Record<string, unknown>> {
  try {
    await run();
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a failure');
}
