import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../test-support/errors.js';
import { seedExampleOptions } from '../test-support/seed-example.js';
import { expectSupervisorAcceptsIncluded, expectSupervisorAcceptsText } from '../test-support/supervisor-check.js';
import { needsSupervisor, skipWithoutSupervisor } from '../test-support/supervisor-python.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { SupervisorErrorCodes } from './errors.js';
import { listensOnAllInterfaces, readSettings } from './options.js';
import { supervisordConf } from './supervisord-conf.js';

const tempDirectory = useTempDirectories();

/** A buildout folder with var/log, as the recipe leaves it before writing the file. */
function buildoutDirectory(): string {
  const directory = tempDirectory();
  mkdirSync(join(directory, 'var', 'log'), { recursive: true });
  return directory;
}

function settingsFor(options: Record<string, string>, directory = buildoutDirectory()) {
  return readSettings('supervisor', options, { directory, binDirectory: join(directory, 'bin'), partsDirectory: join(directory, 'parts') });
}

/**
 * The generated text; every configuration is also handed to supervisor's own
 * parser (when supervisor is installed; in CI it must be).
 */
function conf(options: Record<string, string>, directory = buildoutDirectory()): string {
  const text = supervisordConf(settingsFor(options, directory));
  if (!skipWithoutSupervisor) expectSupervisorAcceptsText(directory, text);
  return text;
}

function writeConf(directory: string, text: string): string {
  const file = join(directory, 'services.conf');
  writeFileSync(file, text);
  return file;
}

const withoutTrailingWhitespace = (text: string): string[] =>
  text
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => line.trimEnd());

/** The [section] of `text` as its lines, without the header. */
function section(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`[${name}]`);
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && (line === '' || line.startsWith('[')));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe(`supervisord.conf${needsSupervisor}`, () => {
  it("is the seed's listing for the seed's first example, line for line", () => {
    const directory = buildoutDirectory();
    const expected = readFileSync(new URL('./__fixtures__/seed-example.supervisord.conf', import.meta.url), 'utf8').replaceAll(
      '/sample-buildout',
      directory,
    );
    expect(withoutTrailingWhitespace(conf(seedExampleOptions(join(directory, 'bin')), directory))).toEqual(
      withoutTrailingWhitespace(expected),
    );
  });

  it("follows port for serverurl and leaves out empty credentials (the seed's second example)", () => {
    const directory = buildoutDirectory();
    const text = conf({ port: '9005', programs: `50 other ${directory}/bin/other [-n 100] /tmp` }, directory);
    expect(section(text, 'inet_http_server')).toEqual(['port = 9005']);
    expect(section(text, 'supervisorctl')).toEqual(['serverurl = http://localhost:9005']);
    expect(text).not.toMatch(/username|password/);
  });

  it('has the documented defaults', () => {
    const directory = buildoutDirectory();
    const text = conf({}, directory);
    expect(section(text, 'inet_http_server')).toEqual(['port = 127.0.0.1:9001']);
    expect(section(text, 'supervisord')).toEqual([
      `logfile = ${directory}/var/log/supervisord.log`,
      'logfile_maxbytes = 50MB',
      'logfile_backups = 10',
      'loglevel = info',
      `pidfile = ${directory}/var/supervisord.pid`,
      'nodaemon = false',
    ]);
    expect(section(text, 'supervisorctl')).toEqual(['serverurl = http://127.0.0.1:9001']);
    expect(section(text, 'rpcinterface:supervisor')).toEqual([
      'supervisor.rpcinterface_factory=supervisor.rpcinterface:make_main_rpcinterface',
    ]);
    expect(settingsFor({}, directory)).toMatchObject({
      conf: `${directory}/parts/supervisor/supervisord.conf`,
      python: 'python3',
      plugins: [],
    });
  });

  it.each([
    ['9001', 'http://localhost:9001', true],
    ['127.0.0.1:9001', 'http://127.0.0.1:9001', false],
    ['*:9001', 'http://localhost:9001', true],
    ['0.0.0.0:9001', 'http://localhost:9001', true],
    ['example.org:80', 'http://example.org:80', false],
  ])('port %s is served at %s (every interface: %s)', (port, serverurl, everyInterface) => {
    const settings = settingsFor({ port });
    expect(settings.serverurl).toBe(serverurl);
    expect(listensOnAllInterfaces(settings)).toBe(everyInterface);
  });

  it('takes each [supervisord] option of release 2.0', () => {
    const directory = buildoutDirectory();
    mkdirSync(join(directory, 'var', 'children'));
    const text = conf(
      {
        logfile: 'var/log/main.log',
        pidfile: '/tmp/x.pid',
        'logfile-maxbytes': '1MB',
        'logfile-backups': '3',
        loglevel: 'debug',
        nodaemon: 'true',
        childlogdir: `${directory}/var/children`,
        umask: '002',
        nocleanup: 'true',
        'supervisord-user': 'root',
        'supervisord-directory': '%(here)s',
        'supervisord-environment': 'LANG=C.UTF-8, GREETING=hello world\nRATIO="100%%%%"',
        'env-path': '/usr/local/bin:/usr/bin:/bin',
      },
      directory,
    );
    expect(section(text, 'supervisord')).toEqual([
      `logfile = ${directory}/var/log/main.log`,
      'logfile_maxbytes = 1MB',
      'logfile_backups = 3',
      'loglevel = debug',
      'pidfile = /tmp/x.pid',
      'nodaemon = true',
      `childlogdir = ${directory}/var/children`,
      'umask = 002',
      'nocleanup = true',
      'user = root',
      'directory = %(here)s',
      'environment = LANG=C.UTF-8,GREETING="hello world",RATIO="100%%%%",PATH=/usr/local/bin:/usr/bin:/bin',
    ]);
  });

  it('serves on a unix socket with http-socket = unix', () => {
    const directory = buildoutDirectory();
    const text = conf({ 'http-socket': 'unix', file: 'var/s.sock', chown: 'nobody:nogroup', user: 'admin', password: 'pw' }, directory);
    expect(section(text, 'unix_http_server')).toEqual([
      `file = ${directory}/var/s.sock`,
      'chmod = 0700',
      'chown = nobody:nogroup',
      'username = admin',
      'password = pw',
    ]);
    expect(section(text, 'supervisorctl')).toEqual([`serverurl = unix://${directory}/var/s.sock`]);
    expect(text).not.toContain('inet_http_server');
  });

  it('puts the unix socket in var/ by default, with the mode of chmod', () => {
    const directory = buildoutDirectory();
    expect(section(conf({ 'http-socket': 'unix', chmod: '0770' }, directory), 'unix_http_server')).toEqual([
      `file = ${directory}/var/supervisord.sock`,
      'chmod = 0770',
    ]);
  });

  describe('sections', () => {
    const programs = '10 web /bin/sleep [100]';
    const headers = (text: string): string[] => text.split('\n').filter((line) => line.startsWith('['));

    it.each([
      ['http ctl rpc', ['[inet_http_server]', '[supervisord]', '[supervisorctl]', '[rpcinterface:supervisor]', '[program:web]']],
      ['ctl', ['[supervisord]', '[supervisorctl]', '[program:web]']],
      ['http rpc', ['[inet_http_server]', '[supervisord]', '[rpcinterface:supervisor]', '[program:web]']],
      ['global http ctl rpc', ['[inet_http_server]', '[supervisord]', '[supervisorctl]', '[rpcinterface:supervisor]']],
      [
        'global services http ctl rpc',
        ['[inet_http_server]', '[supervisord]', '[supervisorctl]', '[rpcinterface:supervisor]', '[program:web]'],
      ],
      ['services', ['[program:web]']],
    ])('%j', (sections, expected) => {
      const directory = buildoutDirectory();
      const text = supervisordConf(settingsFor({ sections, programs }, directory));
      expect(headers(text)).toEqual(expected);
      if (skipWithoutSupervisor) return;
      if (sections.includes('global')) expectSupervisorAcceptsText(directory, text);
      else expectSupervisorAcceptsIncluded(writeConf(directory, text), directory);
    });

    it('refuses an unknown section', () => {
      expect(errorOf(() => settingsFor({ sections: 'http ctl rcp' })).message).toBe(
        'part supervisor, option sections: unknown section "rcp"; the sections are http, ctl, rpc, global, services',
      );
    });
  });

  it('writes groups and include after the processes', () => {
    const directory = buildoutDirectory();
    const text = conf(
      { programs: '10 a /bin/sleep [100]\n20 b /bin/sleep [200]', groups: '5 both a,b', include: 'conf.d/*.conf\nextra.conf other.conf' },
      directory,
    );
    expect(text.endsWith('\n[group:both]\nprograms = a,b\npriority = 5\n\n[include]\nfiles = conf.d/*.conf extra.conf other.conf\n')).toBe(
      true,
    );
  });

  describe('event listeners', () => {
    it('get supervisord credentials, merged with their own environment and process options', () => {
      const text = conf({
        user: 'admin',
        password: 'p w',
        eventlisteners:
          'HttpOk (startsecs=20 environment=SUPERVISOR_SERVER_URL=http://127.0.0.1:1,EXTRA="a b") TICK_60,PROCESS_STATE /bin/cat',
      });
      expect(section(text, 'eventlistener:HttpOk')).toEqual([
        'command = /bin/cat',
        'events = TICK_60,PROCESS_STATE',
        'process_name=HttpOk',
        'environment=SUPERVISOR_USERNAME=admin,SUPERVISOR_PASSWORD="p w",SUPERVISOR_SERVER_URL=http://127.0.0.1:1,EXTRA="a b"',
        'startsecs = 20',
      ]);
    });

    it('get empty credentials as empty quoted values', () => {
      expect(section(conf({ eventlisteners: 'Memmon TICK_60 /bin/cat' }), 'eventlistener:Memmon')).toContain(
        'environment=SUPERVISOR_USERNAME="",SUPERVISOR_PASSWORD="",SUPERVISOR_SERVER_URL=http://127.0.0.1:9001',
      );
    });
  });

  it('lets process options replace what the line sets, and quotes their environment', () => {
    const text = conf({
      programs: '10 web (directory=/srv environment=A=1,B=$HOME numprocs=2 process_name=web_%(process_num)s) /bin/sleep [100]',
    });
    expect(section(text, 'program:web')).toEqual([
      'command = /bin/sleep 100',
      'process_name = web_%(process_num)s',
      'directory = /srv',
      'priority = 10',
      'redirect_stderr = false',
      'environment = A=1,B="$HOME"',
      'numprocs = 2',
    ]);
  });

  it('accepts %% and known expansions in commands', () => {
    expect(section(conf({ programs: '10 web /bin/sh [-c "echo 100%% > %(here)s/out-%(program_name)s"]' }), 'program:web')[0]).toBe(
      'command = /bin/sh -c "echo 100%% > %(here)s/out-%(program_name)s"',
    );
  });

  describe('refuses before writing', () => {
    it.each([
      [
        { programs: '10 web /bin/sh [-c "echo a ;echo b"]' },
        SupervisorErrorCodes.UNSAFE_VALUE,
        'cannot write command = /bin/sh -c "echo a ;echo b": supervisord would cut it at ";"',
      ],
      [{ programs: '10 web /bin/run [--ratio 50%]' }, SupervisorErrorCodes.UNSAFE_VALUE, 'it contains a lone "%"'],
      [{ programs: '10 web /bin/run [%(bogus)s]' }, SupervisorErrorCodes.UNSAFE_VALUE, 'supervisord cannot expand %(bogus) here'],
      [{ programs: '10 web (stdout_logfile=#log) /bin/run' }, SupervisorErrorCodes.UNSAFE_VALUE, 'cut it at "#"'],
      [{ programs: '10 web (environment=A="x) /bin/run' }, SupervisorErrorCodes.BAD_PROGRAM_LINE, 'a quote that is not closed'],
      [{ programs: '10 web (environment=A) /bin/run' }, SupervisorErrorCodes.BAD_ENVIRONMENT, '"A" is not KEY=value'],
      [{ programs: '10 web%x /bin/run' }, SupervisorErrorCodes.UNSAFE_VALUE, 'lone "%"'],
      [{ programs: '10 web /bin/run\n20 web /bin/other' }, SupervisorErrorCodes.DUPLICATE_NAME, 'the name "web" is already used'],
      [{ eventlisteners: 'x TICK_7 /bin/cat' }, SupervisorErrorCodes.UNKNOWN_EVENT, 'unknown event type "TICK_7"'],
      [{ groups: '1 g ghost' }, SupervisorErrorCodes.BAD_GROUP_LINE, 'the group lists "ghost"'],
      [{ password: '50%', user: 'u' }, SupervisorErrorCodes.UNSAFE_VALUE, 'cannot write password = 50%'],
      [{ logfile: '/var/log/x ;y.log' }, SupervisorErrorCodes.UNSAFE_VALUE, 'cut it at ";"'],
      [{ 'supervisord-environment': 'A="100%%"' }, SupervisorErrorCodes.UNSAFE_VALUE, 'a literal % must be written %%%%'],
      [{ 'supervisord-environment': "A='x\"y'z'" }, SupervisorErrorCodes.BAD_OPTION, 'unexpected "z\'" after the quoted value of A'],
      [{ 'supervisord-environment': "A='it's \"x\"'" }, SupervisorErrorCodes.BAD_OPTION, 'after the quoted value of A'],
      [{ 'supervisord-environment': 'A="x,y" B=1' }, SupervisorErrorCodes.BAD_OPTION, 'unexpected "B=1" after the quoted value of A'],
      [
        { 'supervisord-environment': 'PATH=/bin', 'env-path': '/usr/bin' },
        SupervisorErrorCodes.BAD_OPTION,
        'PATH is also set in supervisord-environment',
      ],
      [{ user: 'admin' }, SupervisorErrorCodes.BAD_OPTION, 'user is set but password is empty; supervisord needs both or neither'],
      [{ password: 'secret' }, SupervisorErrorCodes.BAD_OPTION, 'password is set but user is empty'],
      [{ 'http-socket': 'tcp' }, SupervisorErrorCodes.BAD_OPTION, '"tcp" is neither inet nor unix'],
      [{ port: 'localhost' }, SupervisorErrorCodes.BAD_OPTION, '"localhost" is not a port (1-65535) or host:port'],
      [{ port: '127.0.0.1:70000' }, SupervisorErrorCodes.BAD_OPTION, 'is not a port'],
      [{ 'http-socket': 'unix', file: `/tmp/${'x'.repeat(120)}.sock` }, SupervisorErrorCodes.BAD_OPTION, 'the system allows at most 107'],
      [{ chmod: '755x' }, SupervisorErrorCodes.BAD_OPTION, 'is not an octal mode'],
      [{ umask: '9' }, SupervisorErrorCodes.BAD_OPTION, 'is not an octal umask'],
      [
        { loglevel: 'verbose' },
        SupervisorErrorCodes.BAD_OPTION,
        '"verbose" is not one of critical, error, warn, info, debug, trace, blather',
      ],
      [{ nodaemon: 'maybe' }, SupervisorErrorCodes.BAD_OPTION, '"maybe" is not one of true, false'],
      [{ nocleanup: 'maybe' }, SupervisorErrorCodes.BAD_OPTION, 'is not one of'],
      [{ 'logfile-maxbytes': '50 MB' }, SupervisorErrorCodes.BAD_OPTION, 'is not a size such as 50MB'],
      [{ 'logfile-backups': 'ten' }, SupervisorErrorCodes.BAD_OPTION, 'is not a whole number'],
      [{ logfile: 'a\nb' }, SupervisorErrorCodes.BAD_OPTION, 'spans several lines'],
    ])('%j', (options, code, problem) => {
      const error = errorOf(() => supervisordConf(settingsFor(options)));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/^part supervisor, option [a-z-/]+/);
      expect(error.message).toContain(problem);
    });
  });
});
