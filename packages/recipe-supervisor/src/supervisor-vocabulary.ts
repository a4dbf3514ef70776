/**
 * What supervisord 4.2.5 knows, as far as this recipe must check it before
 * writing: supervisord ignores unknown keys silently and refuses unknown
 * event types, so both are checked here.
 */

/** `events.EventTypes` of supervisor 4.2.5. */
export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'EVENT',
  'PROCESS_COMMUNICATION',
  'PROCESS_COMMUNICATION_STDERR',
  'PROCESS_COMMUNICATION_STDOUT',
  'PROCESS_GROUP',
  'PROCESS_GROUP_ADDED',
  'PROCESS_GROUP_REMOVED',
  'PROCESS_LOG',
  'PROCESS_LOG_STDERR',
  'PROCESS_LOG_STDOUT',
  'PROCESS_STATE',
  'PROCESS_STATE_BACKOFF',
  'PROCESS_STATE_EXITED',
  'PROCESS_STATE_FATAL',
  'PROCESS_STATE_RUNNING',
  'PROCESS_STATE_STARTING',
  'PROCESS_STATE_STOPPED',
  'PROCESS_STATE_STOPPING',
  'PROCESS_STATE_UNKNOWN',
  'REMOTE_COMMUNICATION',
  'SUPERVISOR_STATE_CHANGE',
  'SUPERVISOR_STATE_CHANGE_RUNNING',
  'SUPERVISOR_STATE_CHANGE_STOPPING',
  'TICK',
  'TICK_5',
  'TICK_60',
  'TICK_3600',
]);

/** Keys supervisord reads in a `[program:x]` section. */
export const PROGRAM_KEYS: ReadonlySet<string> = new Set([
  'command',
  'process_name',
  'numprocs',
  'numprocs_start',
  'priority',
  'autostart',
  'startsecs',
  'startretries',
  'autorestart',
  'exitcodes',
  'stopsignal',
  'stopwaitsecs',
  'stopasgroup',
  'killasgroup',
  'user',
  'redirect_stderr',
  'stdout_logfile',
  'stdout_logfile_maxbytes',
  'stdout_logfile_backups',
  'stdout_capture_maxbytes',
  'stdout_events_enabled',
  'stdout_syslog',
  'stderr_logfile',
  'stderr_logfile_maxbytes',
  'stderr_logfile_backups',
  'stderr_capture_maxbytes',
  'stderr_events_enabled',
  'stderr_syslog',
  'environment',
  'directory',
  'umask',
  'serverurl',
]);

/** Keys supervisord reads in an `[eventlistener:x]` section. */
export const EVENTLISTENER_KEYS: ReadonlySet<string> = new Set([...PROGRAM_KEYS, 'events', 'buffer_size', 'result_handler']);

/** supervisor's `datatypes.boolean`. */
export const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no', 'on', 'off', '1', '0']);

/** supervisor's log levels (`loggers.LevelsByDescription`). */
export const LOG_LEVELS: ReadonlySet<string> = new Set(['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather']);

/**
 * `%(name)s` names supervisord can expand, by kind of section (`ENV_*` are
 * always available: they come from the environment supervisord starts in).
 */
export const EXPANSION_NAMES = {
  supervisord: new Set(['here']),
  server: new Set(['here']),
  program: new Set(['here', 'program_name', 'group_name', 'host_node_name', 'process_num', 'numprocs']),
  group: new Set(['here']),
  include: new Set(['here', 'host_node_name']),
} as const satisfies Record<string, ReadonlySet<string>>;

export type ExpansionContext = keyof typeof EXPANSION_NAMES;
