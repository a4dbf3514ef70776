/**
 * The supervisord.conf of a part, in the layout of the seed's listing. Every
 * value is checked before the text is returned, so a configuration that
 * supervisord would refuse or misread is never written.
 */
import { ENVIRONMENT_HINT, formatEnvironment, mergeEnvironment, parseEnvironment, type EnvironmentPair } from './environment.js';
import { SupervisorErrorCodes, type Origin } from './errors.js';
import type { SupervisorSettings } from './options.js';
import type { ProcessOption } from './process-options.js';
import type { EventListenerLine, GroupLine, ProgramLine } from './program-lines.js';
import { checkNames, checkValue, type ValueRules } from './refusals.js';

interface ConfEntry {
  readonly key: string;
  value: string;
  /** The seed writes `key = value`, and `key=value` for a few keys. */
  readonly separator: ' = ' | '=';
  origin: Origin;
  readonly rules: ValueRules;
}

interface ConfSection {
  readonly header: string;
  readonly entries: ConfEntry[];
  readonly blankLinesBefore: 0 | 1;
  readonly blankLinesAfter: 0 | 1;
}

/** The configuration text for `settings`; throws a BuildoutError for anything supervisord could not read as meant. */
export function supervisordConf(settings: SupervisorSettings): string {
  const sections = confSections(settings);
  for (const section of sections) {
    for (const entry of section.entries) checkValue(entry.key, entry.value, entry.rules, entry.origin);
  }
  return render(sections);
}

function render(sections: readonly ConfSection[]): string {
  const lines = [''];
  for (const section of sections) {
    if (section.blankLinesBefore) lines.push('');
    lines.push(`[${section.header}]`);
    for (const entry of section.entries) lines.push(`${entry.key}${entry.separator}${entry.value}`);
    if (section.blankLinesAfter) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function confSections(settings: SupervisorSettings): ConfSection[] {
  const { sections: enabled } = settings;
  const option = (name: string): Origin => ({ part: settings.part, option: name });
  const entry = (key: string, value: string, origin: Origin, rules: ValueRules, separator: ' = ' | '=' = ' = '): ConfEntry => ({
    key,
    value,
    separator,
    origin,
    rules,
  });
  const server: ValueRules = { context: 'server' };
  const sections: ConfSection[] = [];
  const fixed = (header: string, entries: ConfEntry[]): ConfSection => ({ header, entries, blankLinesBefore: 0, blankLinesAfter: 1 });
  const credentials = (): ConfEntry[] =>
    settings.user === ''
      ? []
      : [entry('username', settings.user, option('user'), server), entry('password', settings.password, option('password'), server)];

  if (enabled.has('http')) {
    if (settings.httpSocket === 'inet') {
      sections.push(fixed('inet_http_server', [entry('port', settings.port, option('port'), server), ...credentials()]));
    } else {
      sections.push(
        fixed('unix_http_server', [
          entry('file', settings.file, option('file'), server),
          entry('chmod', settings.chmod, option('chmod'), server),
          ...(settings.chown === undefined ? [] : [entry('chown', settings.chown, option('chown'), server)]),
          ...credentials(),
        ]),
      );
    }
  }
  if (enabled.has('global')) sections.push(fixed('supervisord', supervisordEntries(settings, entry, option)));
  if (enabled.has('ctl')) sections.push(fixed('supervisorctl', [entry('serverurl', settings.serverurl, option('serverurl'), server)]));
  if (enabled.has('rpc')) {
    sections.push(
      fixed('rpcinterface:supervisor', [
        entry('supervisor.rpcinterface_factory', 'supervisor.rpcinterface:make_main_rpcinterface', option('sections'), server, '='),
      ]),
    );
  }
  if (enabled.has('services')) {
    checkNames(settings.programs, settings.eventlisteners, settings.groups, settings.include.length > 0);
    for (const program of settings.programs) sections.push(programSection(program));
    for (const listener of settings.eventlisteners) sections.push(eventListenerSection(listener, settings));
    for (const group of settings.groups) sections.push(groupSection(group));
  }
  if (settings.include.length > 0) {
    sections.push({
      header: 'include',
      entries: [entry('files', settings.include.join(' '), option('include'), { context: 'include' })],
      blankLinesBefore: 1,
      blankLinesAfter: 0,
    });
  }
  return sections;
}

function supervisordEntries(
  settings: SupervisorSettings,
  entry: (key: string, value: string, origin: Origin, rules: ValueRules) => ConfEntry,
  option: (name: string) => Origin,
): ConfEntry[] {
  const rules: ValueRules = { context: 'supervisord' };
  const optional = (key: string, value: string | undefined, name: string): ConfEntry[] =>
    value === undefined ? [] : [entry(key, value, option(name), rules)];
  const environment: EnvironmentPair[] = [...settings.supervisordEnvironment];
  if (settings.envPath !== undefined) environment.push(['PATH', settings.envPath]);
  const environmentOrigin = option(settings.envPath === undefined ? 'supervisord-environment' : 'supervisord-environment/env-path');
  return [
    entry('logfile', settings.logfile, option('logfile'), rules),
    entry('logfile_maxbytes', settings.logfileMaxbytes, option('logfile-maxbytes'), rules),
    entry('logfile_backups', settings.logfileBackups, option('logfile-backups'), rules),
    entry('loglevel', settings.loglevel, option('loglevel'), rules),
    entry('pidfile', settings.pidfile, option('pidfile'), rules),
    entry('nodaemon', settings.nodaemon, option('nodaemon'), rules),
    ...optional('childlogdir', settings.childlogdir, 'childlogdir'),
    ...optional('umask', settings.umask, 'umask'),
    ...optional('nocleanup', settings.nocleanup, 'nocleanup'),
    ...optional('user', settings.supervisordUser, 'supervisord-user'),
    ...optional('directory', settings.supervisordDirectory, 'supervisord-directory'),
    ...(environment.length === 0
      ? []
      : [
          entry(
            'environment',
            formatEnvironment(environment, { code: SupervisorErrorCodes.BAD_ENVIRONMENT, origin: environmentOrigin }),
            environmentOrigin,
            { context: 'supervisord', expandedTwice: true },
          ),
        ]),
  ];
}

const PROCESS_RULES: ValueRules = { context: 'program' };

function processEntry(key: string, value: string, origin: Origin, separator: ' = ' | '=' = ' = '): ConfEntry {
  return { key, value, separator, origin, rules: PROCESS_RULES };
}

function commandLine(command: string, args: string | undefined): string {
  return args === undefined ? command : `${command} ${args}`;
}

/** The process's `environment=` option as pairs, or a clear error. */
function processEnvironment(options: readonly ProcessOption[], origin: Origin): EnvironmentPair[] {
  const given = options.find((option) => option.key === 'environment');
  if (given === undefined) return [];
  return parseEnvironment(given.value, { code: SupervisorErrorCodes.BAD_ENVIRONMENT, origin, hint: ENVIRONMENT_HINT });
}

function environmentValue(pairs: readonly EnvironmentPair[], origin: Origin): string {
  return formatEnvironment(pairs, { code: SupervisorErrorCodes.BAD_ENVIRONMENT, origin });
}

/**
 * Process options come after the line's own settings; one that names a key
 * the line already set replaces that value (supervisord would otherwise take
 * the last of two same-named keys without a word).
 */
function applyProcessOptions(entries: ConfEntry[], options: readonly ProcessOption[], origin: Origin): void {
  for (const option of options) {
    const value = option.key === 'environment' ? environmentValue(processEnvironment([option], origin), origin) : option.value;
    const existing = entries.find((entry) => entry.key === option.key);
    if (existing === undefined) entries.push(processEntry(option.key, value, origin));
    else existing.value = value;
  }
}

function programSection(program: ProgramLine): ConfSection {
  const { origin } = program;
  const entries = [
    processEntry('command', commandLine(program.command, program.args), origin),
    processEntry('process_name', program.name, origin),
    ...(program.directory === undefined ? [] : [processEntry('directory', program.directory, origin)]),
    processEntry('priority', program.priority, origin),
    processEntry('redirect_stderr', String(program.redirectStderr), origin),
    ...(program.user === undefined ? [] : [processEntry('user', program.user, origin)]),
  ];
  applyProcessOptions(entries, program.options, origin);
  return { header: `program:${program.name}`, entries, blankLinesBefore: 1, blankLinesAfter: 1 };
}

/**
 * Event listeners such as superlance's memmon talk back to supervisord, so
 * they get its credentials and URL in their environment (merged with an
 * `environment=` process option, which wins for the same variable).
 */
function eventListenerSection(listener: EventListenerLine, settings: SupervisorSettings): ConfSection {
  const { origin } = listener;
  const credentials: EnvironmentPair[] = [
    ['SUPERVISOR_USERNAME', settings.user],
    ['SUPERVISOR_PASSWORD', settings.password],
    ['SUPERVISOR_SERVER_URL', settings.serverurl],
  ];
  const environment = mergeEnvironment(credentials, processEnvironment(listener.options, origin));
  const entries = [
    processEntry('command', commandLine(listener.command, listener.args), origin),
    processEntry('events', listener.events.join(','), origin),
    processEntry('process_name', listener.name, origin, '='),
    processEntry('environment', environmentValue(environment, origin), origin, '='),
  ];
  applyProcessOptions(
    entries,
    listener.options.filter((option) => option.key !== 'environment'),
    origin,
  );
  return { header: `eventlistener:${listener.name}`, entries, blankLinesBefore: 1, blankLinesAfter: 0 };
}

function groupSection(group: GroupLine): ConfSection {
  const rules: ValueRules = { context: 'group' };
  const entries: ConfEntry[] = [
    { key: 'programs', value: group.programs.join(','), separator: ' = ', origin: group.origin, rules },
    { key: 'priority', value: group.priority, separator: ' = ', origin: group.origin, rules },
  ];
  return { header: `group:${group.name}`, entries, blankLinesBefore: 1, blankLinesAfter: 0 };
}
