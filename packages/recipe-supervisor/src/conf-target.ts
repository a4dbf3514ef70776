/**
 * Where supervisord.conf goes (`supervisord-conf`) is written over and, with
 * the part, removed: it may not be one of buildout's own files or folders, nor
 * someone's file. A file already there is replaced when the part recorded
 * it (an update, damaged or not), else only when it is a supervisor
 * configuration (as an earlier one of the part's is) or empty.
 */
import { readFileSync, statSync } from 'node:fs';
import { describeOwnPath, ownPaths, type Part } from '@buildout/engine';
import { supervisorError, SupervisorErrorCodes } from './errors.js';

/** A section header of supervisor's configuration: what every file this recipe writes (with any `sections`) holds. */
const SUPERVISOR_SECTION =
  /^\[(?:supervisord|supervisorctl|inet_http_server|unix_http_server|include|(?:program|group|eventlistener|fcgi-program|rpcinterface):[^\]]+)\]/m;
const HINT = 'point supervisord-conf at a file of its own (the default is parts/<part>/supervisord.conf), or move that one away';

/** Before anything is prepared or written: an error unless `conf` may be (over)written by this part. */
export function refuseForeignConf(part: Part, conf: string, recorded: boolean): void {
  const origin = { part: part.name, option: 'supervisord-conf' };
  const own = ownPaths(part.buildout).find((path) => path.path === conf);
  if (own) throw supervisorError(SupervisorErrorCodes.BAD_OPTION, origin, `${conf} is ${describeOwnPath(own.role)}`, HINT);
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(conf);
  } catch {
    return; // not there yet (or not readable: writing it says why)
  }
  if (!stats.isFile()) throw supervisorError(SupervisorErrorCodes.BAD_OPTION, origin, `${conf} is not a file`, HINT);
  if (recorded) return;
  const text = readFileSync(conf, 'utf8');
  if (text.trim() !== '' && !SUPERVISOR_SECTION.test(text)) {
    throw supervisorError(
      SupervisorErrorCodes.BAD_OPTION,
      origin,
      `${conf} exists and is not a supervisor configuration; it is left alone`,
      HINT,
    );
  }
}
