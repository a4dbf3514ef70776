import { statSync } from 'node:fs';
import { basename, join, parse as parsePath } from 'node:path';
import { BuildoutError, ErrorCodes } from './errors.js';

export const CONFIG_FILE_NAME = 'buildout.cfg';

/**
 * The `buildout.cfg` in `cwd` or its nearest parent, found with cosmiconfig
 * (loaded only when needed: `-c` and a buildout.cfg in `cwd` skip it). The
 * search stops at the filesystem root.
 */
export async function discoverConfigFile(cwd: string): Promise<string> {
  // The usual case, a buildout.cfg right here, needs no search (and no loading of cosmiconfig).
  const here = join(cwd, CONFIG_FILE_NAME);
  if (isFile(here)) return here;
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig('buildout', {
    searchPlaces: [CONFIG_FILE_NAME],
    searchStrategy: 'global',
    stopDir: parsePath(cwd).root,
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: { '.cfg': () => ({}) },
  });
  const found = await explorer.search(cwd);
  // 'global' also looks in the user's config folder for `config` files: only a buildout.cfg counts.
  if (found && basename(found.filepath) === CONFIG_FILE_NAME) return found.filepath;
  throw new BuildoutError(ErrorCodes.CONFIG_NOT_FOUND, `no ${CONFIG_FILE_NAME} in ${cwd} or any folder above it`, {
    hint: `create one (buildout init), or name a configuration file with -c FILE`,
  });
}

/** A file (through symlinks); anything odd (a loop, no permission) is left to the search, which reports it as before. */
function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}
