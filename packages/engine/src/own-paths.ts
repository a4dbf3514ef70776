/**
 * Buildout's own files and folders: what no recipe may remove, take as an
 * output, or hash as an input. One list, used by the engine and exported to
 * recipes (`ownPaths(part.buildout)`).
 */
import { isAbsolute, resolve } from 'node:path';
import { LOCK_FILE } from './lock.js';

export type OwnPathRole =
  /** The main configuration file. */
  | 'config'
  /** `.installed.cfg` and the lock: they change on every run. */
  | 'state'
  /** bin-directory, parts-directory, eggs-directory, develop-eggs-directory, cache-directory: recipes write inside them, never remove them. */
  | 'folder';

export interface OwnPath {
  /** Absolute path. */
  readonly path: string;
  readonly role: OwnPathRole;
  /** Files named `path` followed by anything (the journal, temporary copies of an atomic write) are buildout's too. */
  readonly withSuffixes: boolean;
}

/** What the list is computed from: the buildout section (`part.buildout`, or the engine's configuration). */
export interface OwnPathSource {
  getOptional(section: string, option: string): string | undefined;
  /** The main configuration file, when known. */
  readonly configFile?: string | undefined;
}

const FOLDERS = ['bin-directory', 'parts-directory', 'eggs-directory', 'develop-eggs-directory'];
/** The output cache of command parts (`[buildout] cache-directory`). */
export const DEFAULT_CACHE_DIRECTORY = '.buildout-cache';

export function ownPaths(source: OwnPathSource): OwnPath[] {
  const directory = source.getOptional('buildout', 'directory') ?? process.cwd();
  const at = (path: string): string => resolve(directory, path);
  const paths: OwnPath[] = [];
  if (source.configFile && isAbsolute(source.configFile)) paths.push({ path: source.configFile, role: 'config', withSuffixes: false });
  paths.push({ path: at(source.getOptional('buildout', 'installed') ?? '.installed.cfg'), role: 'state', withSuffixes: true });
  paths.push({ path: at(LOCK_FILE), role: 'state', withSuffixes: true });
  for (const option of FOLDERS) {
    const folder = source.getOptional('buildout', option);
    if (folder) paths.push({ path: at(folder), role: 'folder', withSuffixes: false });
  }
  paths.push({
    path: at(source.getOptional('buildout', 'cache-directory') || DEFAULT_CACHE_DIRECTORY),
    role: 'folder',
    withSuffixes: false,
  });
  return paths;
}
