/**
 * Symbolic links on the way to an output. An output is where the command's
 * working folder and the pattern say; a link in the pattern's part of the
 * path (`current` of `current/a.txt`, or `current` itself) would put it
 * elsewhere: files the part never made would be recorded (and removed with
 * it) and cached, and a restore would write outside the outputs. The working
 * folder itself may be a link: it is where the user said the command runs.
 */
import { lstatSync, type Stats } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The first symbolic link among the entries from `cwd` (or, for a path
 * outside it, from the folder holding both) down to `path`, `path` itself
 * included; undefined when there is none. Paths are absolute.
 */
export function linkOnTheWay(cwd: string, path: string): string | undefined {
  let at = cwd;
  for (const segment of relative(cwd, path).split(sep)) {
    if (segment === '') continue;
    if (segment === '..') {
      at = dirname(at);
      continue;
    }
    at = join(at, segment);
    const stat = lstatOrUndefined(at);
    // Nothing there: nothing further down is there either.
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) return at;
  }
  return undefined;
}

/** The entry itself (a link is not followed); undefined when nothing is there. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    // A path through a file (ENOTDIR): nothing is there.
    return undefined;
  }
}
