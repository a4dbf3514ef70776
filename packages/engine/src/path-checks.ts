/**
 * Checks of the paths buildout itself uses (`installed`, the lock, the
 * folders it creates) before it touches them, so a folder where a file
 * belongs, a file where a folder belongs, a NUL byte or a folder it may not
 * write is one error naming the path and the option, not a trace.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BuildoutError, checkPathText, ErrorCodes, fileAccessError, type Buildout } from '@buildout/config';
import { acquireLock, LOCK_FILE, type Lock } from './lock.js';
import { realPath } from './removal.js';
import { RECORD_FILE_HINT } from './state.js';

const SECTION = 'buildout';
/** Options naming paths buildout reads, writes or creates itself. */
const PATH_OPTIONS = ['directory', 'installed', 'bin-directory', 'parts-directory', 'eggs-directory', 'develop-eggs-directory'];
/** Folders buildout creates before recipes run, as zc.buildout does. */
const CREATED_FOLDERS = ['bin-directory', 'parts-directory'];

/** No NUL byte in any of buildout's own path options; a record file that is not one of the buildout's other files. */
export function checkOwnPaths(buildout: Buildout): void {
  for (const option of PATH_OPTIONS) {
    const value = buildout.getOptional(SECTION, option);
    if (value !== undefined) checkPathText(value, `buildout:${option}`, buildout.location(SECTION, option));
  }
  checkRecordFile(buildout);
}

/** The record is rewritten on every run (and deleted with the last part): it cannot be a configuration file or the lock. */
function checkRecordFile(buildout: Buildout): void {
  const installed = buildout.getOptional(SECTION, 'installed');
  if (installed === undefined) return;
  const location = buildout.location(SECTION, 'installed');
  if (installed.trim() === '')
    throw new BuildoutError(ErrorCodes.BAD_PATH, 'buildout:installed is empty', { location, hint: RECORD_FILE_HINT });
  const real = (path: string): string => realPath(path) ?? path;
  const record = real(resolve(buildout.directory, installed));
  const taken = [buildout.configFile, ...buildout.configFiles].some((file) => real(file) === record)
    ? 'a configuration file of this buildout'
    : record === real(join(buildout.directory, LOCK_FILE))
      ? "buildout's lock"
      : undefined;
  if (taken) throw new BuildoutError(ErrorCodes.BAD_PATH, `buildout:installed ${record} is ${taken}`, { location, hint: RECORD_FILE_HINT });
}

/** The lock, after checking it is not a folder (which no buildout creates); a failure to write it names the file. */
export function takeLock(directory: string): Lock {
  const file = join(directory, LOCK_FILE);
  let stats: ReturnType<typeof statSync> | undefined;
  try {
    stats = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    throw fileAccessError(error, 'check the lock', file);
  }
  if (stats && !stats.isFile()) {
    throw new BuildoutError(ErrorCodes.NOT_A_FILE, `the lock ${file} is ${stats.isDirectory() ? 'a folder' : 'not a file'}`, {
      hint: `no buildout creates that; remove ${file} and run again`,
    });
  }
  try {
    return acquireLock(directory);
  } catch (error) {
    if (error instanceof BuildoutError || !(error instanceof Error) || !('code' in error)) throw error;
    throw fileAccessError(error, 'create the lock', file, undefined, 'buildout needs to write in its directory');
  }
}

/** Creates bin-directory and parts-directory; one of them being a file, or unwritable, is an error naming the option. */
export function createOwnFolders(buildout: Buildout): void {
  for (const option of CREATED_FOLDERS) {
    const folder = buildout.getOptional(SECTION, option);
    if (!folder) continue;
    const location = buildout.location(SECTION, option);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        throw new BuildoutError(ErrorCodes.NOT_A_FILE, `buildout:${option} ${folder} is a file, not a folder`, {
          location,
          hint: `move the file away, or set ${option} to another folder`,
        });
      }
      throw fileAccessError(error, `create buildout:${option}`, folder, location);
    }
  }
}
