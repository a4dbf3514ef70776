/**
 * What a command part made: the paths its `outputs` patterns match, and
 * every file in the folders among them. Both are recorded (a deleted file
 * makes the part rebuild, and uninstalling removes the whole folder); the
 * files are what the output cache stores. A symbolic link is never followed:
 * a matched link (or one on the way to a match) is recorded as the link.
 *
 * What the patterns matched before the command ran is the user's, not the
 * part's (see Ownership): `outputs = *` in a folder of the user's must not
 * have uninstalling remove the user's files.
 */
import { type Dirent, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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
  /** Files the patterns match that were there before the command ran and that it left as they were (not the part's), as `paths` would show them. */
  readonly untouched: string[];
}

type EntryKind = 'file' | 'folder' | 'link';

/** One thing the outputs name: a matched path, or an entry inside a matched folder. */
interface OutputEntry {
  readonly absolute: string;
  readonly kind: EntryKind;
  /** Inside a matched folder, not matched itself. */
  readonly inner: boolean;
}

/** What an entry was like before the command ran. */
interface Stamp {
  readonly kind: EntryKind;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * What the outputs matched before the command ran, and what of it is the
 * part's all the same. An entry that was there and is still the same (same
 * type, size and modification time) is not the part's, nor is a folder that
 * was there (the files the command makes in it are, and the folders it makes
 * in it): neither is recorded nor cached, so uninstalling leaves them.
 */
export interface Ownership {
  /** By absolute path. */
  readonly before: ReadonlyMap<string, Stamp>;
  /** Absolute paths that are the part's whatever `before` says: what it recorded, kept in place for a reinstall. */
  readonly owned: ReadonlySet<string>;
}

/** Takes stock of what the outputs match now, before the command runs; `owned` (absolute paths) stay the part's. */
export function ownershipBefore(cwd: string, patterns: readonly string[], owned: Iterable<string> = []): Ownership {
  const before = new Map<string, Stamp>();
  for (const { absolute, kind } of outputEntries(cwd, patterns)) {
    const stat = lstatOrUndefined(absolute);
    if (stat) before.set(absolute, { kind, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return { before, owned: new Set(owned) };
}

/** Whether an entry is the part's: made or changed since `ownership` was taken, or owned (everything is, without one). */
function isTheParts(ownership: Ownership | undefined, absolute: string, kind: EntryKind): boolean {
  if (!ownership || ownership.owned.has(absolute)) return true;
  const stamp = ownership.before.get(absolute);
  if (stamp === undefined || stamp.kind !== kind) return true;
  if (kind === 'folder') return false;
  const stat = lstatOrUndefined(absolute);
  return stat === undefined || stat.size !== stamp.size || stat.mtimeMs !== stamp.mtimeMs;
}

/**
 * The outputs that exist and are the part's (all of them, without
 * `ownership`); warns about patterns that matched nothing when `warn` is set.
 */
export function findOutputs(part: Part, cwd: string, patterns: readonly string[], warn: boolean, ownership?: Ownership): FoundOutputs {
  const found = new Set<string>();
  const files = new Set<string>();
  const links = new Set<string>();
  const untouched: string[] = [];
  let outside = false;
  const noMatch = warn ? (pattern: string) => part.log.warn(`output ${pattern} does not exist after the command ran`) : undefined;
  for (const { absolute, kind, inner } of outputEntries(cwd, patterns, noMatch)) {
    if (!isTheParts(ownership, absolute, kind)) {
      if (kind !== 'folder') untouched.push(relativeIfInside(part.directory, absolute));
      continue;
    }
    // A folder of the part's is recorded whole: the folders in it need no record of their own (but those in a folder of the user's do).
    if (inner && kind === 'folder' && isTheParts(ownership, dirname(absolute), 'folder')) continue;
    const shown = relativeIfInside(part.directory, absolute);
    found.add(shown);
    if (kind === 'link') links.add(shown);
    if (isAbsolute(shown)) outside = true;
    else if (kind === 'file') files.add(shown);
  }
  return {
    paths: [...found].sort(),
    files: outside ? undefined : [...files].sort(),
    links: [...links].sort(),
    untouched: untouched.sort(),
  };
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
