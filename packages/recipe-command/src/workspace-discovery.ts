/**
 * Finds the packages of a pnpm (or npm/yarn-style) workspace and the
 * dependency edges between them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '@buildout/engine';
import { CommandErrorCodes } from './errors.js';
import { findFolders } from './glob.js';

export interface WorkspacePackage {
  /** `name` of its package.json (its folder when it has none). */
  readonly name: string;
  /** Relative to the workspace root, `/`-separated; `.` for the root itself. */
  readonly folder: string;
  readonly absolute: string;
  readonly scripts: Readonly<Record<string, string>>;
  /** Names of every dependency (dependencies, devDependencies, optionalDependencies, peerDependencies), except aliases of other packages. */
  readonly dependencies: readonly string[];
  /** The package.json `"buildout": { "inputs": [...], "outputs": [...] }` settings. */
  readonly inputs: readonly string[] | undefined;
  readonly outputs: readonly string[] | undefined;
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** Every package under `root` whose folder the globs name (`!glob` excludes), sorted by folder. */
export function discoverPackages(root: string, patterns: readonly string[]): WorkspacePackage[] {
  const folders = findFolders(root, patterns, (folder) => existsSync(join(folder, 'package.json')), {
    exclude: ['**/node_modules', '**/.git'],
  });
  return folders.map((folder) => readPackage(root, folder));
}

function readPackage(root: string, folder: string): WorkspacePackage {
  const absolute = folder === '.' ? root : join(root, folder);
  const file = join(absolute, 'package.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('it does not hold an object');
  } catch (error) {
    throw new BuildoutError(CommandErrorCodes.WORKSPACE_BAD_FILE, `cannot read ${file}: ${(error as Error).message}`, {
      hint: 'fix the package.json, or exclude its folder with a !glob in the workspace packages',
    });
  }
  const dependencies = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries(objectField(json, field, file))) {
      // "x": "npm:other@1" installs another package under the name x.
      if (typeof spec === 'string' && spec.startsWith('npm:')) continue;
      dependencies.add(name);
    }
  }
  const scripts: Record<string, string> = {};
  for (const [name, script] of Object.entries(objectField(json, 'scripts', file))) if (typeof script === 'string') scripts[name] = script;
  const settings = objectField(json, 'buildout', file);
  return {
    name: typeof json.name === 'string' && json.name !== '' ? json.name : folder,
    folder,
    absolute,
    scripts,
    dependencies: [...dependencies],
    inputs: stringList(settings.inputs, file, 'buildout.inputs'),
    outputs: stringList(settings.outputs, file, 'buildout.outputs'),
  };
}

function objectField(json: Record<string, unknown>, field: string, file: string): Record<string, unknown> {
  const value = json[field];
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BuildoutError(CommandErrorCodes.WORKSPACE_BAD_FILE, `${file}: ${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

function stringList(value: unknown, file: string, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new BuildoutError(CommandErrorCodes.WORKSPACE_BAD_FILE, `${file}: ${field} must be a list of globs`, {
      hint: `"${field.split('.')[1]}": ["dist"]`,
    });
  }
  return value as string[];
}

/**
 * For each package that has a task, the packages with a task it must wait
 * for: its workspace dependencies that have one, and through those that have
 * none, theirs (a dependency without a build script still passes its own
 * dependencies on). Sorted by name.
 */
export function taskDependencies(
  packages: readonly WorkspacePackage[],
  hasTask: (pkg: WorkspacePackage) => boolean,
): Map<string, string[]> {
  const byName = new Map<string, WorkspacePackage>();
  for (const pkg of packages) {
    const other = byName.get(pkg.name);
    if (other) {
      throw new BuildoutError(
        CommandErrorCodes.WORKSPACE_NAME_CLASH,
        `packages ${other.folder} and ${pkg.folder} are both named ${pkg.name}`,
        {
          hint: 'workspace package names must be unique; rename one or exclude its folder with a !glob',
        },
      );
    }
    byName.set(pkg.name, pkg);
  }
  const result = new Map<string, string[]>();
  for (const pkg of packages) {
    if (!hasTask(pkg)) continue;
    const found = new Set<string>();
    const seen = new Set<string>([pkg.name]);
    const pending = [...pkg.dependencies];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const dependency = byName.get(name);
      if (!dependency) continue;
      if (hasTask(dependency)) found.add(name);
      else pending.push(...dependency.dependencies);
    }
    result.set(pkg.name, [...found].sort());
  }
  return result;
}

/** A part name for a package: `prefix` + the name with `@` dropped and anything but `[-a-zA-Z0-9._]` made `-`. */
export function partNameFor(prefix: string, packageName: string): string {
  return `${prefix}${packageName.replace(/^@/, '').replace(/[^-a-zA-Z0-9._]/g, '-')}`;
}
