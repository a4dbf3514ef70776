/**
 * Glob patterns relative to a folder (`src/**`, `package.json`, `!**\/*.test.ts`),
 * matched with picomatch over a walk of the folder that never enters an
 * excluded folder (node_modules is never read). Paths are relative to the
 * folder with `/` separators; results are sorted, so hashes are deterministic.
 *
 * A pattern that names a folder stands for everything in it (`src` = `src/**`),
 * dotfiles match, `!pattern` excludes, and symbolic links to folders are not
 * followed (links to files are).
 */
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { nodeFileSystem, type FileSystem } from './file-system.js';

export type Matcher = (path: string) => boolean;

export interface PatternSet {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Splits pattern lines into included and `!`-excluded patterns, relative to `cwd`. */
export function parsePatterns(patterns: readonly string[], cwd: string): PatternSet {
  const include: string[] = [];
  const exclude: string[] = [];
  for (const written of patterns) {
    const pattern = written.trim();
    if (pattern === '' || pattern === '!') continue;
    if (pattern.startsWith('!')) exclude.push(normalizePattern(pattern.slice(1), cwd));
    else include.push(normalizePattern(pattern, cwd));
  }
  return { include, exclude };
}

/** `./a/b/` -> `a/b`, `./` -> `.` (the folder itself); an absolute path becomes relative to `cwd`. */
export function normalizePattern(pattern: string, cwd: string): string {
  let result = pattern.trim();
  // Most patterns are already normal (`src/**`, `dist`); path.relative and normalize are not free.
  if (!isAbsolute(result) && ALREADY_NORMAL.test(result)) return result;
  if (isAbsolute(result)) result = relative(cwd, result) || '.';
  if (sep === '\\') result = result.split(sep).join('/');
  return posix.normalize(result).replace(/(.)\/+$/, '$1');
}

const ALREADY_NORMAL = /^(?!\/)(?!\.\.?(?:\/|$))(?!.*\/\.\.?(?:\/|$))(?!.*\/\/)(?!.*\/$)[^\\]+$/;

const HERE = '.';

/**
 * Compiled matchers by pattern list: the parts of a workspace share most of
 * their patterns, and compiling is the costly part of matching.
 */
const compiled = new Map<string, Matcher>();

function compile(patterns: readonly string[]): Matcher {
  if (patterns.length === 0) return () => false;
  const key = patterns.join('\n');
  let matcher = compiled.get(key);
  if (!matcher) {
    matcher = picomatch([...patterns], { dot: true });
    compiled.set(key, matcher);
  }
  return matcher;
}

/** Matches a path named by a pattern or lying inside a folder a pattern names. */
export function folderAwareMatcher(patterns: readonly string[]): Matcher {
  // `**/name` (node_modules, .git) only asks whether a segment is `name`: cheaper than picomatch's regular expression, which runs on every path walked.
  const names: string[] = [];
  const others: string[] = [];
  for (const pattern of patterns) {
    if (/^\*\*\/[^/*?[\]{}()!+@\\]+$/.test(pattern)) names.push(`/${pattern.slice(3)}/`);
    else others.push(...(pattern === HERE ? ['**'] : [pattern, `${pattern}/**`]));
  }
  const matchOthers = compile(others);
  if (names.length === 0) return matchOthers;
  return (path) => {
    const wrapped = `/${path}/`;
    return names.some((name) => wrapped.includes(name)) || matchOthers(path);
  };
}

/** Matches exactly what the patterns name. */
export function exactMatcher(patterns: readonly string[]): Matcher {
  return compile(patterns);
}

/** The paths a walk must start from ('' for the folder itself): the static part of each pattern, none inside another. */
export function walkBases(patterns: readonly string[]): string[] {
  const bases = [
    ...new Set(
      patterns.map((pattern) => {
        const scanned = picomatch.scan(pattern);
        const base = scanned.isGlob ? scanned.base : pattern;
        return base === HERE ? '' : base;
      }),
    ),
  ].sort();
  return bases.filter((base) => !bases.some((other) => other !== base && contains(other, base)));
}

function contains(folder: string, path: string): boolean {
  if (folder === '') return !path.startsWith('../') && path !== '..';
  return path === folder || path.startsWith(`${folder}/`);
}

interface WalkEntry {
  /** Relative to the walk's folder, `/`-separated. */
  readonly path: string;
  readonly absolute: string;
  readonly folder: boolean;
}

interface WalkOptions {
  readonly fs: FileSystem;
  /** Entries not to visit; folders it matches are not entered. */
  readonly skip: Matcher;
  /** Deepest path (in segments) to visit. */
  readonly maxDepth: number;
  /** Returns false to keep out of a folder. */
  readonly visit: (entry: WalkEntry) => boolean | void;
}

/** Visits `base` (a path relative to `cwd`) and, for a folder, what is under it. */
function walkFrom(cwd: string, base: string, options: WalkOptions): void {
  const absolute = base === '' ? cwd : join(cwd, base);
  if (base !== '' && options.skip(base)) return;
  const stat = options.fs.stat(absolute);
  if (!stat) return;
  if (stat.isDirectory()) {
    if (base === '' || options.visit({ path: base, absolute, folder: true }) !== false) walkFolder(base, absolute, options);
  } else if (stat.isFile()) {
    options.visit({ path: base, absolute, folder: false });
  }
}

function walkFolder(folder: string, absoluteFolder: string, options: WalkOptions): void {
  if (folder !== '' && depth(folder) >= options.maxDepth) return;
  for (const entry of options.fs.readdir(absoluteFolder)) {
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
    if (options.skip(path)) continue;
    const absolute = join(absoluteFolder, entry.name);
    let isFolder = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = options.fs.stat(absolute);
      isFile = target?.isFile() ?? false;
      // Links to folders are not followed (they may loop), but can be matched as paths.
      if (target?.isDirectory()) options.visit({ path, absolute, folder: true });
      isFolder = false;
    }
    if (isFolder) {
      if (options.visit({ path, absolute, folder: true }) !== false) walkFolder(path, absolute, options);
    } else if (isFile) {
      options.visit({ path, absolute, folder: false });
    }
  }
}

function depth(path: string): number {
  return path.split('/').length;
}

export interface FindOptions {
  /** Patterns of paths to leave out (folders matched are not entered). */
  readonly exclude?: readonly string[];
  readonly fs?: FileSystem;
}

/** Files under `cwd` matched by the pattern lines (see the module comment), sorted. */
export function findFiles(cwd: string, patterns: readonly string[], options: FindOptions = {}): string[] {
  const files = new Set<string>();
  walkPatterns(cwd, patterns, options, folderAwareMatcher, (entry, included) => {
    if (!entry.folder && included(entry.path)) files.add(entry.path);
  });
  return [...files].sort();
}

/**
 * Existing paths (files or folders) the patterns name, sorted; a matched
 * folder stands for itself and is not searched further. For a command's
 * outputs.
 */
export function findPaths(cwd: string, patterns: readonly string[], options: FindOptions = {}): string[] {
  const paths = new Set<string>();
  walkPatterns(cwd, patterns, options, exactMatcher, (entry, matched) => {
    if (!matched(entry.path)) return true;
    paths.add(entry.path);
    return false;
  });
  return [...paths].sort();
}

/**
 * Walks from the folders the include patterns start in, skipping what the
 * exclude patterns (and `options.exclude`) name; `visit` gets each entry with
 * the include matcher built by `matcherFor`, and returns false to keep out of a folder.
 */
function walkPatterns(
  cwd: string,
  patterns: readonly string[],
  options: FindOptions,
  matcherFor: (patterns: readonly string[]) => Matcher,
  visit: (entry: WalkEntry, included: Matcher) => boolean | void,
): void {
  const { include, exclude } = parsePatterns(patterns, cwd);
  const included = matcherFor(include);
  const skip = folderAwareMatcher([...exclude, ...(options.exclude ?? []).map((pattern) => normalizePattern(pattern, cwd))]);
  for (const base of walkBases(include)) {
    walkFrom(cwd, base, {
      fs: options.fs ?? nodeFileSystem,
      skip,
      maxDepth: Number.POSITIVE_INFINITY,
      visit: (entry) => visit(entry, included),
    });
  }
}

/**
 * Folders the patterns name (nested ones too) that satisfy `accept`, sorted.
 * Walks no deeper than the patterns can match. For workspace package globs.
 */
export function findFolders(
  cwd: string,
  patterns: readonly string[],
  accept: (absolute: string) => boolean,
  options: FindOptions = {},
): string[] {
  const { include, exclude } = parsePatterns(patterns, cwd);
  const matched = exactMatcher(include);
  const skip = folderAwareMatcher([...exclude, ...(options.exclude ?? []).map((pattern) => normalizePattern(pattern, cwd))]);
  const maxDepth = include.some((pattern) => pattern.includes('**')) ? Number.POSITIVE_INFINITY : Math.max(0, ...include.map(depth));
  const folders = new Set<string>();
  if (include.includes(HERE) && accept(cwd)) folders.add(HERE);
  for (const base of walkBases(include)) {
    walkFrom(cwd, base, {
      fs: options.fs ?? nodeFileSystem,
      skip,
      maxDepth,
      visit(entry) {
        if (entry.folder && matched(entry.path) && accept(entry.absolute)) folders.add(entry.path);
      },
    });
  }
  return [...folders].sort();
}
