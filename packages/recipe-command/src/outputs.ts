/**
 * What a command part made: the paths its `outputs` patterns match, and
 * every file in the folders among them. Both are recorded (a deleted file
 * makes the part rebuild, and uninstalling removes the whole folder); the
 * files are what the output cache stores.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { relativeIfInside, type Part } from '@buildout/engine';
import type { OutputFilter } from './cache/artifact.js';
import { findPaths, folderAwareMatcher, parsePatterns } from './glob.js';

/** Never outputs (nor inputs): they belong to a package manager or to git. */
export const ALWAYS_EXCLUDED = ['**/node_modules', '**/.git'];

export interface FoundOutputs {
  /** What to record: the matched paths and the files inside matched folders, relative to the buildout directory (absolute outside it), sorted. */
  readonly paths: string[];
  /** The files among them, relative to the buildout directory, `/`-separated; undefined when an output lies outside the buildout directory. */
  readonly files: string[] | undefined;
}

/** The outputs that exist; warns about patterns that matched nothing when `warn` is set. */
export function findOutputs(part: Part, cwd: string, patterns: readonly string[], warn: boolean): FoundOutputs {
  const found = new Set<string>();
  const files = new Set<string>();
  let outside = false;
  const add = (absolute: string, isFile: boolean): void => {
    const shown = relativeIfInside(part.directory, absolute);
    found.add(shown);
    if (isAbsolute(shown)) outside = true;
    else if (isFile) files.add(shown);
  };
  const excluded = patterns.filter((pattern) => pattern.startsWith('!'));
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    const paths = findPaths(cwd, [pattern, ...excluded], { exclude: ALWAYS_EXCLUDED });
    if (paths.length === 0 && warn) part.log.warn(`output ${pattern} does not exist after the command ran`);
    for (const path of paths) {
      const absolute = resolve(cwd, path);
      const entries = folderEntries(absolute);
      add(absolute, entries === undefined);
      for (const entry of entries ?? []) {
        const inner = join(entry.parentPath, entry.name);
        if (entry.isFile() || entry.isSymbolicLink()) add(inner, true);
      }
    }
  }
  return { paths: [...found].sort(), files: outside ? undefined : [...files].sort() };
}

/** Everything under a folder (recursively); undefined when the path is not a folder. */
function folderEntries(path: string): Dirent[] | undefined {
  try {
    return readdirSync(path, { withFileTypes: true, recursive: true });
  } catch {
    return undefined;
  }
}

/**
 * Whether a path (relative to the buildout directory, `/`-separated) is one
 * the `outputs` patterns name or lies in a folder they name: where a restore
 * from the cache may write.
 */
export function outputFilter(part: Part, cwd: string, patterns: readonly string[]): OutputFilter {
  const matches = folderAwareMatcher(parsePatterns(patterns, cwd).include);
  return (path) => {
    const fromCwd = relative(cwd, join(part.directory, path));
    return fromCwd !== '' && matches(sep === '/' ? fromCwd : fromCwd.split(sep).join('/'));
  };
}
