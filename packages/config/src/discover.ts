import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, parse as parsePath } from 'node:path';
import { BuildoutError, ErrorCodes } from './errors.js';
import { fileAccessError, notRegularFile } from './file-access.js';
import { importModule } from './import-module.js';

export const CONFIG_FILE_NAME = 'buildout.cfg';

/**
 * The `buildout.cfg` in `cwd` or its nearest parent, found with cosmiconfig
 * (loaded only when needed: `-c` and a buildout.cfg in `cwd` skip it). The
 * search stops at the filesystem root.
 */
export async function discoverConfigFile(cwd: string): Promise<string> {
  refuseSpecialCandidate(cwd);
  // The usual case, a buildout.cfg right here, needs no search (and no loading of cosmiconfig).
  const here = join(cwd, CONFIG_FILE_NAME);
  if (isFile(here)) return here;
  const { cosmiconfig } = (await importModule('cosmiconfig')) as typeof import('cosmiconfig');
  const explorer = cosmiconfig('buildout', {
    searchPlaces: [CONFIG_FILE_NAME],
    searchStrategy: 'global',
    stopDir: parsePath(cwd).root,
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: { '.cfg': () => ({}) },
  });
  // A broken candidate (a symlink loop, no permission) is an error naming it, not a trace.
  const found = await explorer.search(cwd).catch((error: unknown) => {
    throw fileAccessError(error, `read`, (error as { path?: string }).path ?? CONFIG_FILE_NAME);
  });
  // 'global' also looks in the user's config folder for `config` files: only a buildout.cfg counts.
  if (found && basename(found.filepath) === CONFIG_FILE_NAME) return found.filepath;
  throw new BuildoutError(ErrorCodes.CONFIG_NOT_FOUND, `no ${CONFIG_FILE_NAME} in ${cwd} or any folder above it`, {
    hint: `create one (buildout init), or name a configuration file with -c FILE`,
  });
}

/**
 * cosmiconfig reads every candidate it finds, and reading a FIFO blocks for
 * ever; it also skips a folder or an unreadable file named buildout.cfg and
 * goes on upwards. The nearest candidate that exists must be a readable file.
 */
function refuseSpecialCandidate(cwd: string): void {
  for (let folder = cwd; ; folder = dirname(folder)) {
    const candidate = join(folder, CONFIG_FILE_NAME);
    let stats: Stats | undefined;
    try {
      stats = statSync(candidate, { throwIfNoEntry: false });
    } catch (error) {
      throw fileAccessError(error, 'read', candidate);
    }
    if (stats) {
      const refused = notRegularFile(stats, candidate, 'configuration file');
      if (refused) throw refused;
      try {
        accessSync(candidate, constants.R_OK);
      } catch (error) {
        throw fileAccessError(error, 'read configuration file', candidate);
      }
      return;
    }
    if (dirname(folder) === folder) return;
  }
}

/** A file (through symlinks); anything odd (a loop, no permission) is left to the search, which reports it as before. */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}
