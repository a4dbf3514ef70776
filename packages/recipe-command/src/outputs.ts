/**
 * What a command part made: the paths its `outputs` patterns match, and
 * every file in the folders among them. Both are recorded (a deleted file
 * makes the part rebuild, and uninstalling removes the whole folder); the
 * files are what the output cache stores. A symbolic link is never followed:
 * a matched link (or one on the way to a match) is recorded as the link.
 */
import { type Dirent, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { relativeIfInside, type Part } from '@buildout/engine';
import type { OutputFilter } from './cache/artifact.js';
import { findPaths, folderAwareMatcher, parsePatterns } from './glob.js';
import { linkOnTheWay, lstatOrUndefined } from './links.js';

/** Never outputs (nor inputs): they belong to a package manager or to git. */
export const ALWAYS_EXCLUDED = ['**/node_modules', '**/.git'];

export interface FoundOutputs {
  /** What to record: the matched paths and the files inside matched folders, relative to the buildout directory (absolute outside it), sorted. */
  readonly paths: string[];
  /** The files among them, relative to the buildout directory, `/`-separated; undefined when an output lies outside the buildout directory. */
  readonly files: string[] | undefined;
  /** The symbolic links among them (recorded as links, never followed), as `paths` shows them. */
  readonly links: string[];
}

type EntryKind = 'file' | 'folder' | 'link';

/** One thing the outputs name: a matched path, or an entry inside a matched folder. */
interface OutputEntry {
  readonly absolute: string;
  readonly kind: EntryKind;
  /** Inside a matched folder, not matched itself. */
  readonly inner: boolean;
}

/** The outputs that exist; warns about patterns that matched nothing when `warn` is set. */
export function findOutputs(part: Part, cwd: string, patterns: readonly string[], warn: boolean): FoundOutputs {
  const found = new Set<string>();
  const files = new Set<string>();
  const links = new Set<string>();
  let outside = false;
  const noMatch = warn ? (pattern: string) => part.log.warn(`output ${pattern} does not exist after the command ran`) : undefined;
  for (const { absolute, kind, inner } of outputEntries(cwd, patterns, noMatch)) {
    // A matched folder is recorded whole: the folders in it need no record of their own.
    if (inner && kind === 'folder') continue;
    const shown = relativeIfInside(part.directory, absolute);
    found.add(shown);
    if (kind === 'link') links.add(shown);
    if (isAbsolute(shown)) outside = true;
    else if (kind === 'file') files.add(shown);
  }
  return { paths: [...found].sort(), files: outside ? undefined : [...files].sort(), links: [...links].sort() };
}

/**
 * The matched paths, and for a matched folder everything in it (recursively),
 * without following a symbolic link: a link among them, or on the way from
 * `cwd` to one, stands for itself. `noMatch` hears of patterns that matched nothing.
 */
function* outputEntries(cwd: string, patterns: readonly string[], noMatch?: (pattern: string) => void): Generator<OutputEntry> {
  const excluded = patterns.filter((pattern) => pattern.startsWith('!'));
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) continue;
    const paths = findPaths(cwd, [pattern, ...excluded], { exclude: ALWAYS_EXCLUDED });
    if (paths.length === 0) noMatch?.(pattern);
    for (const path of paths) {
      const absolute = resolve(cwd, path);
      const link = linkOnTheWay(cwd, absolute);
      if (link !== undefined) {
        yield { absolute: link, kind: 'link', inner: false };
        continue;
      }
      const stat = lstatOrUndefined(absolute);
      if (!stat) continue;
      if (!stat.isDirectory()) {
        yield { absolute, kind: 'file', inner: false };
        continue;
      }
      yield { absolute, kind: 'folder', inner: false };
      yield* folderEntries(absolute);
    }
  }
}

/** Everything under a folder (recursively; a link in it is listed, not entered). */
function* folderEntries(folder: string): Generator<OutputEntry> {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true, recursive: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const absolute = join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) yield { absolute, kind: 'link', inner: true };
    else if (entry.isDirectory()) yield { absolute, kind: 'folder', inner: true };
    else if (entry.isFile()) yield { absolute, kind: 'file', inner: true };
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
