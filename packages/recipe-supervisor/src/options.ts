/**
 * The part's options, read and checked, with the seed's defaults (and those
 * of upstream release 2.0 for the options it added). Pure: the caller passes
 * the options and the buildout's folders.
 */
import { isAbsolute, resolve } from 'node:path';
import { ENVIRONMENT_HINT, parseEnvironment, type EnvironmentPair } from './environment.js';
import { editDistance, words, type BuildoutError } from '@buildout/engine';
import { problemAt, supervisorError, SupervisorErrorCodes, type ProblemSite } from './errors.js';
import {
  parseEventListeners,
  parseGroups,
  parsePrograms,
  type EventListenerLine,
  type GroupLine,
  type ProgramLine,
} from './program-lines.js';
import { ON_CHANGE_MODES, type OnChange } from './apply-changes.js';
import { BOOLEAN_WORDS, LOG_LEVELS } from './supervisor-vocabulary.js';

export const SECTION_TOKENS = ['http', 'ctl', 'rpc', 'global', 'services'] as const;
export type SectionToken = (typeof SECTION_TOKENS)[number];

/** The folders of the buildout the part belongs to (absolute). */
export interface BuildoutLayout {
  readonly directory: string;
  readonly binDirectory: string;
  readonly partsDirectory: string;
}

export interface SupervisorSettings {
  readonly part: string;
  readonly sections: ReadonlySet<SectionToken>;
  readonly python: string;
  /** pip requirement strings or local paths, one per line of `plugins`. */
  readonly plugins: readonly string[];
  readonly httpSocket: 'inet' | 'unix';
  readonly port: string;
  readonly file: string;
  readonly chmod: string;
  readonly chown: string | undefined;
  readonly user: string;
  readonly password: string;
  readonly serverurl: string;
  readonly conf: string;
  readonly logfile: string;
  readonly pidfile: string;
  readonly logfileMaxbytes: string;
  readonly logfileBackups: string;
  readonly loglevel: string;
  readonly nodaemon: string;
  readonly childlogdir: string | undefined;
  readonly umask: string | undefined;
  readonly nocleanup: string | undefined;
  readonly supervisordUser: string | undefined;
  readonly supervisordDirectory: string | undefined;
  readonly supervisordEnvironment: readonly EnvironmentPair[];
  readonly envPath: string | undefined;
  readonly programs: readonly ProgramLine[];
  readonly eventlisteners: readonly EventListenerLine[];
  readonly groups: readonly GroupLine[];
  readonly include: readonly string[];
  /** What a running supervisord of the part gets when the configuration changes. */
  readonly onChange: OnChange;
  /** Uninstalling the part shuts its running supervisord down. */
  readonly stopOnUninstall: boolean;
  readonly buildoutDirectory: string;
  readonly binDirectory: string;
  /** `${parts-directory}/${part}`: the part's own folder. */
  readonly partDirectory: string;
}

/** Every option the recipe reads (besides `recipe`). */
export const KNOWN_OPTIONS = [
  'sections',
  'plugins',
  'python',
  'http-socket',
  'port',
  'file',
  'chmod',
  'chown',
  'user',
  'password',
  'serverurl',
  'supervisord-conf',
  'logfile',
  'pidfile',
  'logfile-maxbytes',
  'logfile-backups',
  'loglevel',
  'nodaemon',
  'childlogdir',
  'umask',
  'nocleanup',
  'supervisord-user',
  'supervisord-directory',
  'supervisord-environment',
  'env-path',
  'programs',
  'eventlisteners',
  'groups',
  'include',
  'on-change',
  'stop-on-uninstall',
] as const;

/**
 * Options of the part that look like a misspelt known option (`programms`),
 * with the option meant. Other unknown options are left alone: parts often
 * carry values for other parts to reference.
 */
export function misspeltOptions(options: Readonly<Record<string, string | undefined>>): Array<[given: string, meant: string]> {
  const known = new Set<string>([...KNOWN_OPTIONS, 'recipe']);
  return Object.keys(options).flatMap((given): Array<[string, string]> => {
    if (known.has(given)) return [];
    // Short names are too close to each other (host/port) to allow two edits.
    const meant = KNOWN_OPTIONS.find((option) => editDistance(given, option) <= (option.length <= 5 ? 1 : 2));
    return meant === undefined ? [] : [[given, meant]];
  });
}

/** Default of `supervisord-conf`; the recipe sets it in `init` so other parts can reference it. */
export function defaultConfPath(part: string, layout: BuildoutLayout): string {
  return resolve(layout.partsDirectory, part, 'supervisord.conf');
}

// Linux keeps socket paths in 108 bytes, the last one a NUL.
const MAX_SOCKET_PATH_BYTES = 107;

export function readSettings(
  part: string,
  options: Readonly<Record<string, string | undefined>>,
  layout: BuildoutLayout,
): SupervisorSettings {
  const badOption = (option: string, problem: string, hint?: string): BuildoutError =>
    supervisorError(SupervisorErrorCodes.BAD_OPTION, { part, option }, problem, hint);
  const single = (option: string, fallback: string): string => {
    const value = options[option]?.trim();
    if (value === undefined || value === '') return fallback;
    if (/[\r\n]/.test(value)) throw badOption(option, `${JSON.stringify(value)} spans several lines; give one value`);
    return value;
  };
  const optional = (option: string): string | undefined => {
    const value = single(option, '');
    return value === '' ? undefined : value;
  };
  // Relative paths are relative to the buildout directory, the working
  // directory of every recipe; %(here)s is left for supervisord to expand.
  const path = (value: string): string => (isAbsolute(value) || value.startsWith('%(') ? value : resolve(layout.directory, value));
  const oneOf = (option: string, value: string, allowed: ReadonlySet<string>): string => {
    if (!allowed.has(value.toLowerCase())) throw badOption(option, `${JSON.stringify(value)} is not one of ${[...allowed].join(', ')}`);
    return value;
  };
  const matching = (option: string, value: string, pattern: RegExp, expected: string): string => {
    if (!pattern.test(value)) throw badOption(option, `${JSON.stringify(value)} is not ${expected}`);
    return value;
  };

  const sections = readSections(single('sections', 'http ctl rpc'), {
    code: SupervisorErrorCodes.BAD_OPTION,
    origin: { part, option: 'sections' },
  });

  const httpSocket = single('http-socket', 'inet');
  if (httpSocket !== 'inet' && httpSocket !== 'unix')
    throw badOption('http-socket', `${JSON.stringify(httpSocket)} is neither inet nor unix`);

  const port = single('port', '127.0.0.1:9001');
  const portMatch = /^(?:(\S*):)?(\d+)$/.exec(port);
  const portNumber = Number(portMatch?.[2]);
  if (httpSocket === 'inet' && (portMatch === null || portNumber < 1 || portNumber > 65535)) {
    throw badOption('port', `${JSON.stringify(port)} is not a port (1-65535) or host:port`, 'for example port = 127.0.0.1:9001');
  }

  const file = path(single('file', resolve(layout.directory, 'var', 'supervisord.sock')));
  if (httpSocket === 'unix' && !file.includes('%(') && Buffer.byteLength(file) > MAX_SOCKET_PATH_BYTES) {
    throw badOption(
      'file',
      `the socket path is ${Buffer.byteLength(file)} bytes long; the system allows at most ${MAX_SOCKET_PATH_BYTES}`,
      'choose a shorter path',
    );
  }

  const user = single('user', '');
  const password = single('password', '');
  if ((user === '') !== (password === '')) {
    throw badOption(
      user === '' ? 'user' : 'password',
      `${user === '' ? 'password' : 'user'} is set but ${user === '' ? 'user' : 'password'} is empty; supervisord needs both or neither`,
    );
  }

  const programs = sections.has('services') ? parsePrograms(part, options.programs) : [];
  const eventlisteners = sections.has('services') ? parseEventListeners(part, options.eventlisteners) : [];
  const groups = sections.has('services') ? parseGroups(part, options.groups) : [];

  const environmentText = options['supervisord-environment']?.trim() ?? '';
  const supervisordEnvironment = parseEnvironment(environmentText, {
    code: SupervisorErrorCodes.BAD_OPTION,
    origin: { part, option: 'supervisord-environment' },
    hint: ENVIRONMENT_HINT,
  });
  const envPath = optional('env-path');
  if (envPath !== undefined && supervisordEnvironment.some(([key]) => key === 'PATH')) {
    throw badOption('env-path', 'PATH is also set in supervisord-environment; set it in one place');
  }

  return {
    part,
    sections,
    python: single('python', 'python3'),
    plugins: listOption(options.plugins),
    httpSocket,
    port,
    file,
    chmod: matching('chmod', single('chmod', '0700'), /^[0-7]{3,4}$/, 'an octal mode such as 0700'),
    chown: optional('chown'),
    user,
    password,
    serverurl: single('serverurl', defaultServerUrl(httpSocket, portMatch?.[1], portMatch?.[2] ?? '', file)),
    conf: path(single('supervisord-conf', defaultConfPath(part, layout))),
    logfile: path(single('logfile', resolve(layout.directory, 'var', 'log', 'supervisord.log'))),
    pidfile: path(single('pidfile', resolve(layout.directory, 'var', 'supervisord.pid'))),
    logfileMaxbytes: matching(
      'logfile-maxbytes',
      single('logfile-maxbytes', '50MB'),
      /^\d+(kb|mb|gb)?$/i,
      'a size such as 50MB, 500KB or 1GB',
    ),
    logfileBackups: matching('logfile-backups', single('logfile-backups', '10'), /^\d+$/, 'a whole number'),
    loglevel: oneOf('loglevel', single('loglevel', 'info'), LOG_LEVELS),
    nodaemon: oneOf('nodaemon', single('nodaemon', 'false'), BOOLEAN_WORDS),
    childlogdir: mapDefined(optional('childlogdir'), path),
    umask: mapDefined(optional('umask'), (value) => matching('umask', value, /^[0-7]{1,4}$/, 'an octal umask such as 022')),
    nocleanup: mapDefined(optional('nocleanup'), (value) => oneOf('nocleanup', value, BOOLEAN_WORDS)),
    supervisordUser: optional('supervisord-user'),
    supervisordDirectory: mapDefined(optional('supervisord-directory'), path),
    supervisordEnvironment,
    envPath,
    programs,
    eventlisteners,
    groups,
    include: listOption(options.include).flatMap((line) => line.split(/\s+/)),
    onChange: oneOf('on-change', single('on-change', 'update'), new Set(ON_CHANGE_MODES)).toLowerCase() as OnChange,
    stopOnUninstall: isTrue(oneOf('stop-on-uninstall', single('stop-on-uninstall', 'true'), BOOLEAN_WORDS)),
    buildoutDirectory: layout.directory,
    binDirectory: layout.binDirectory,
    partDirectory: resolve(layout.partsDirectory, part),
  };
}

/**
 * `sections` enables parts of the file. Release 2.0 added `global`
 * ([supervisord]) and `services` (programs, listeners, groups); a list
 * naming neither keeps both, as before 2.0.
 */
function readSections(value: string, site: ProblemSite): Set<SectionToken> {
  const tokens = words(value);
  const known = new Set<string>(SECTION_TOKENS);
  const unknown = tokens.find((token) => !known.has(token));
  if (unknown !== undefined)
    throw problemAt(site, `unknown section ${JSON.stringify(unknown)}; the sections are ${SECTION_TOKENS.join(', ')}`);
  const sections = new Set(tokens as SectionToken[]);
  if (!sections.has('global') && !sections.has('services')) {
    sections.add('global');
    sections.add('services');
  }
  return sections;
}

/** `port = 9005` gives http://localhost:9005; a host that means "every interface" is reached on localhost. */
function defaultServerUrl(httpSocket: 'inet' | 'unix', host: string | undefined, port: string, file: string): string {
  if (httpSocket === 'unix') return `unix://${file}`;
  const reachable = host === undefined || host === '' || host === '*' || host === '0.0.0.0' ? 'localhost' : host;
  return `http://${reachable}:${port}`;
}

function isTrue(word: string): boolean {
  return ['true', 'yes', 'on', '1'].includes(word.toLowerCase());
}

function listOption(value: string | undefined): string[] {
  return (value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function mapDefined<T>(value: string | undefined, map: (value: string) => T): T | undefined {
  return value === undefined ? undefined : map(value);
}

/** True when `port` makes supervisord listen on every network interface, not just loopback. */
export function listensOnAllInterfaces(settings: SupervisorSettings): boolean {
  return settings.httpSocket === 'inet' && /^(?:\*:|0\.0\.0\.0:|:)?\d+$/.test(settings.port);
}
