/**
 * Buildout's own files and folders: what no recipe output, recorded path or
 * cleanup may ever remove (nor a folder holding one of them), and what a
 * recipe never takes as an output or hashes as an input. One list, used by
 * the engine's removal guard and by recipes (`ownPaths(...)`); the buildout
 * directory itself is not in it (the guard adds it).
 */
import { isAbsolute, resolve } from 'node:path';
import { LOCK_FILE } from './lock.js';

export type OwnPathRole =
  /** A configuration file read (the main one, what it extends, user defaults). */
  | 'config'
  /** `.installed.cfg` and the lock: they change on every run. */
  | 'state'
  /** bin-directory, parts-directory, eggs-directory, develop-eggs-directory: recipes write inside them, never remove them. */
  | 'folder'
  /** extends-cache, download-cache, the output cache (cache-directory). */
  | 'cache';

export interface OwnPath {
  /** Absolute path (symbolic links not resolved). */
  readonly path: string;
  readonly role: OwnPathRole;
  /** Files named `path` followed by anything (the journal, the lock's take-over file, temporary copies of an atomic write) are buildout's too. */
  readonly withSuffixes: boolean;
}

/** What the list is computed from: the `[buildout]` section (a loaded configuration has all of it). */
export interface OwnPathSource {
  getOptional(section: string, option: string): string | undefined;
  /** The main configuration file, when known. */
  readonly configFile?: string | undefined;
  /** Every local configuration file read, when known. */
  readonly configFiles?: readonly string[] | undefined;
}

/** The output cache of command parts (`[buildout] cache-directory`). */
export const DEFAULT_CACHE_DIRECTORY = '.buildout-cache';
/** Folders of `[buildout]` with zc.buildout's default (relative to the directory), or undefined: only when set. */
const FOLDERS: readonly (readonly [option: string, fallback: string | undefined, role: OwnPathRole])[] = [
  ['bin-directory', 'bin', 'folder'],
  ['parts-directory', 'parts', 'folder'],
  ['eggs-directory', 'eggs', 'folder'],
  ['develop-eggs-directory', 'develop-eggs', 'folder'],
  ['extends-cache', undefined, 'cache'],
  ['download-cache', undefined, 'cache'],
  ['cache-directory', DEFAULT_CACHE_DIRECTORY, 'cache'],
];

export function ownPaths(source: OwnPathSource): OwnPath[] {
  const directory = source.getOptional('buildout', 'directory') ?? process.cwd();
  const at = (path: string): string => resolve(directory, path);
  const paths: OwnPath[] = [];
  const configs = new Set([...(source.configFile ? [source.configFile] : []), ...(source.configFiles ?? [])]);
  for (const file of configs) if (isAbsolute(file)) paths.push({ path: file, role: 'config', withSuffixes: false });
  paths.push({ path: at(source.getOptional('buildout', 'installed') || '.installed.cfg'), role: 'state', withSuffixes: true });
  paths.push({ path: at(LOCK_FILE), role: 'state', withSuffixes: true });
  for (const [option, fallback, role] of FOLDERS) {
    const folder = source.getOptional('buildout', option)?.trim() || fallback;
    if (folder) paths.push({ path: at(folder), role, withSuffixes: false });
  }
  return paths;
}

/** How messages name an own path. */
export function describeOwnPath(role: OwnPathRole | 'directory' | 'home' | 'system'): string {
  switch (role) {
    case 'system':
      return 'a system folder (right under /, or under /usr, /usr/local or /var)';
    case 'directory':
      return 'the buildout directory';
    case 'home':
      return 'your home directory';
    case 'config':
      return 'a configuration file of this buildout';
    case 'state':
      return "buildout's own state (installed parts, journal or lock)";
    case 'folder':
      return "one of buildout's folders";
    case 'cache':
      return "one of buildout's caches";
  }
}
