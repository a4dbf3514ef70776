/**
 * Reads a deployed supervisord.conf with the `ini` package: where the
 * supervisord started from it listens and with which credentials, its pid
 * file, and its server settings (what `supervisorctl update` cannot apply).
 */
import { dirname, resolve } from 'node:path';
import { isPythonSpace } from '@buildout/engine';
import ini from 'ini';
import { expandHere } from './percent-format.js';
import type { Connection, Endpoint } from './supervisor-rpc.js';

export interface DeployedConf {
  readonly path: string;
  /** Undefined without an HTTP server section, or with one supervisorctl could not reach. */
  readonly connection: Connection | undefined;
  /** [rpcinterface:supervisor] is there: supervisord answers XML-RPC. */
  readonly hasRpc: boolean;
  /** Of [supervisord]; undefined when the file has no [supervisord] (it is included elsewhere). */
  readonly pidfile: string | undefined;
  /** Of [supervisord], when set: the log file its supervisord holds open while it runs. */
  readonly logfile: string | undefined;
  /** The sections a running supervisord reads only when it starts, `[name] key` to value. */
  readonly serverSettings: ReadonlyMap<string, string>;
}

type Sections = Record<string, Record<string, string>>;

// Sections supervisord rereads on `update` (process groups) or never reads (supervisorctl's).
const NOT_SERVER_SETTINGS = /^(program|group|eventlistener|fcgi-program):|^(supervisorctl|include)$/;

export function readDeployedConf(path: string, text: string): DeployedConf {
  const sections = decode(text);
  const here = dirname(path);
  // supervisord expands %(here)s and %% in these; anything else (%(ENV_X)s) is left as written.
  const literal = (value: string | undefined): string => (value === undefined ? '' : (expandHere(value, here) ?? value));
  const absolute = (value: string): string => resolve(here, value);

  let endpoint: Endpoint | undefined;
  const inet = sections.inet_http_server;
  const unix = sections.unix_http_server;
  const server = inet ?? unix;
  if (inet?.port !== undefined) {
    const match = /^(?:(.*):)?(\d+)$/.exec(literal(inet.port));
    const host = match?.[1];
    if (match)
      endpoint = {
        kind: 'inet',
        host: host === undefined || host === '' || host === '*' || host === '0.0.0.0' ? '127.0.0.1' : host,
        port: Number(match[2]),
      };
  } else if (unix?.file !== undefined) {
    endpoint = { kind: 'unix', path: absolute(literal(unix.file)) };
  }
  const serverSettings = new Map<string, string>();
  for (const [section, values] of Object.entries(sections)) {
    if (NOT_SERVER_SETTINGS.test(section)) continue;
    for (const [key, value] of Object.entries(values)) serverSettings.set(`[${section}] ${key}`, value);
  }
  const pidfile = sections.supervisord?.pidfile;
  const logfile = sections.supervisord?.logfile;
  return {
    path,
    connection: endpoint === undefined ? undefined : { endpoint, user: literal(server?.username), password: literal(server?.password) },
    hasRpc: Object.keys(sections).some((section) => section.startsWith('rpcinterface:')),
    pidfile: sections.supervisord === undefined ? undefined : absolute(literal(pidfile ?? 'supervisord.pid')),
    logfile: logfile === undefined ? undefined : absolute(literal(logfile)),
    serverSettings,
  };
}

/** The settings that differ between two deployed files, as `[section] key` (sorted). */
export function changedServerSettings(before: DeployedConf, after: DeployedConf): string[] {
  const keys = new Set([...before.serverSettings.keys(), ...after.serverSettings.keys()]);
  return [...keys].filter((key) => before.serverSettings.get(key) !== after.serverSettings.get(key)).sort();
}

/**
 * ini's decoder, fed values as JSON strings: on its own it cuts a value at any
 * `;` or `#` and turns `true` or a quoted value into something else, where
 * supervisord (Python's configparser) keeps the text and cuts only at an
 * inline comment, `;` or `#` after whitespace. Section names are kept whole
 * (ini would split `[program:a.b]` at the dot).
 */
function decode(text: string): Sections {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const header = /^\[(.*)\]\s*$/.exec(line);
    if (header) {
      lines.push(`[${header[1]!.replaceAll('.', '\\.')}]`);
      continue;
    }
    const option = /^([^\s;#[=:][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (option) lines.push(`${option[1]} = ${JSON.stringify(withoutInlineComment(option[2]!))}`);
  }
  const decoded = ini.decode(lines.join('\n')) as Record<string, unknown>;
  const sections: Sections = {};
  for (const [name, values] of Object.entries(decoded)) {
    if (typeof values !== 'object' || values === null) continue;
    sections[name] = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
  }
  return sections;
}

function withoutInlineComment(value: string): string {
  for (let index = 1; index < value.length; index += 1) {
    if ((value[index] === ';' || value[index] === '#') && isPythonSpace(value[index - 1]!)) return value.slice(0, index).trimEnd();
  }
  return value.trimEnd();
}
