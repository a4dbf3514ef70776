/**
 * Where supervisord.conf goes (`supervisord-conf`) is written over and, with
 * the part, removed: it may not be one of buildout's own files or folders
 * (by any spelling: compared as written and by real path), nor someone's
 * file. A file already there is replaced only when the part recorded it (an
 * update, damaged or not) or when it is empty. The generated file carries no
 * mark of its own (the seed's documented listing is the whole file), so a
 * supervisor configuration the part did not record is as much someone
 * else's as any other file: another part's, another buildout's, or a
 * `~/.gitconfig` with an `[include]` section.
 */
import { readFileSync, statSync } from 'node:fs';
import { describeOwnPath, ownPathOf, ownPaths, type Part } from '@buildout/engine';
import { supervisorError, SupervisorErrorCodes } from './errors.js';

const HINT = 'point supervisord-conf at a file of its own (the default is parts/<part>/supervisord.conf), or move that one away';
const UNRECORDED_HINT =
  'point supervisord-conf at a file of its own (the default is parts/<part>/supervisord.conf); if that file is one this part wrote before buildout lost its record of it, remove it yourself and run buildout again';

/** Before anything is prepared or written: an error unless `conf` may be (over)written by this part. */
export function refuseForeignConf(part: Part, conf: string, recorded: boolean): void {
  const origin = { part: part.name, option: 'supervisord-conf' };
  const own = ownPathOf(ownPaths(part.buildout), conf);
  if (own) throw supervisorError(SupervisorErrorCodes.BAD_OPTION, origin, `${conf} is ${describeOwnPath(own.role)}`, HINT);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(conf);
  } catch {
    return; // not there yet (or not readable: writing it says why)
  }
  if (!stats.isFile()) throw supervisorError(SupervisorErrorCodes.BAD_OPTION, origin, `${conf} is not a file`, HINT);
  if (recorded) return;
  if (readFileSync(conf, 'utf8').trim() !== '') {
    throw supervisorError(
      SupervisorErrorCodes.BAD_OPTION,
      origin,
      `${conf} exists and is not a file this part recorded; it is left alone (the part would overwrite it, and remove it with the part)`,
      UNRECORDED_HINT,
    );
  }
}
