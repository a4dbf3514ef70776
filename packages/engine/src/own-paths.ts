/**
 * Buildout's own files and folders: what no recipe output, recorded path or
 * cleanup may ever remove (nor a folder holding one of them). The engine's
 * removal guard refuses them; recipes that match files by pattern (the
 * `command` recipe's outputs) refuse them too.
 */
import { resolve } from 'node:path';
import type { Buildout } from '@buildout/config';
import { LOCK_FILE, LOCK_TAKEOVER_FILE } from './lock.js';
import { JOURNAL_SUFFIX } from './state.js';

/** What the engine needs to know to list its own paths; a `Buildout` provides it (see `ownPathsOf`). */
export interface OwnPathsSource {
  /** The absolute buildout directory. */
  readonly directory: string;
  /** Every local configuration file read. */
  readonly configFiles: readonly string[];
  /** A resolved `[buildout]` option, undefined when it is not set. */
  option(name: string): string | undefined;
}

export interface OwnPath {
  /** Absolute, as configured (symbolic links are not resolved here). */
  readonly path: string;
  /** What it is, for messages: `the buildout directory`, `bin-directory`, `configuration file`, ... */
  readonly what: string;
}

/** Folders of `[buildout]`, with zc.buildout's default (relative to the directory) when unset; undefined: only when set. */
const FOLDER_OPTIONS: readonly (readonly [string, string | undefined])[] = [
  ['bin-directory', 'bin'],
  ['parts-directory', 'parts'],
  ['eggs-directory', 'eggs'],
  ['develop-eggs-directory', 'develop-eggs'],
  ['extends-cache', undefined],
  ['download-cache', undefined],
  ['cache-directory', '.buildout-cache'],
];

/** Buildout's own paths: the directory, every config file read, the installed file and its journal, the lock, the folders and caches. */
export function buildoutOwnPaths(source: OwnPathsSource): OwnPath[] {
  const { directory } = source;
  const at = (path: string): string => resolve(directory, path);
  const paths: OwnPath[] = [{ path: at('.'), what: 'the buildout directory' }];
  for (const file of source.configFiles) paths.push({ path: at(file), what: 'configuration file' });
  const installed = source.option('installed') || '.installed.cfg';
  paths.push({ path: at(installed), what: 'installed file' }, { path: at(installed + JOURNAL_SUFFIX), what: 'installed journal' });
  paths.push({ path: at(LOCK_FILE), what: 'lock' }, { path: at(LOCK_TAKEOVER_FILE), what: 'lock' });
  for (const [option, fallback] of FOLDER_OPTIONS) {
    const value = source.option(option)?.trim() || fallback;
    if (value) paths.push({ path: at(value), what: option });
  }
  return paths;
}

/** `buildoutOwnPaths` of a loaded configuration. */
export function ownPathsOf(buildout: Buildout): OwnPath[] {
  return buildoutOwnPaths({
    directory: buildout.directory,
    configFiles: buildout.configFiles,
    option: (name) => buildout.getOptional('buildout', name),
  });
}
