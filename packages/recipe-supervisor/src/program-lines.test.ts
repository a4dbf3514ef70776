import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '@buildout/engine';
import { SupervisorErrorCodes } from './errors.js';
import { parseEventListeners, parseGroups, parsePrograms, type ProgramLine } from './program-lines.js';

function program(line: string): Omit<ProgramLine, 'origin'> {
  const [parsed] = parsePrograms('supervisor', line);
  const { origin: _origin, ...rest } = parsed!;
  return rest;
}

function failure(parse: () => unknown): { code: string; message: string; hint: string | undefined; part: string | undefined } {
  try {
    parse();
  } catch (error) {
    if (!isBuildoutError(error)) throw error;
    return { code: error.code, message: error.message, hint: error.hint, part: error.part };
  }
  throw new Error('expected a BuildoutError');
}

describe('programs lines', () => {
  it.each([
    [
      '10 zeo /a/b/c/bin/runzeo /a/b/c',
      {
        priority: '10',
        name: 'zeo',
        command: '/a/b/c/bin/runzeo',
        args: undefined,
        directory: '/a/b/c',
        redirectStderr: false,
        user: undefined,
      },
    ],
    ['20 instance1 /e/f/bin/runzope /e/f true', { directory: '/e/f', redirectStderr: true }],
    [
      '30 instance2 (autostart=false) /g/h/bin/runzope true',
      { directory: '/g/h/bin', redirectStderr: true, options: [{ key: 'autostart', value: 'false' }] },
    ],
    ['40 maildrophost /b/bin/maildropctl true', { directory: '/b/bin', redirectStderr: true }],
    ['50 other /b/bin/other [-n 100] /tmp', { args: '-n 100', directory: '/tmp', redirectStderr: false }],
    ['60 other2 /b/bin/other2 [-n 100] true', { args: '-n 100', directory: '/b/bin', redirectStderr: true }],
    [
      '70 other3 (startsecs=10) /b/bin/other3 [-n -h -v --no-detach] /tmp3 true www-data',
      {
        args: '-n -h -v --no-detach',
        directory: '/tmp3',
        redirectStderr: true,
        user: 'www-data',
        options: [{ key: 'startsecs', value: '10' }],
      },
    ],
  ])('parses the seed line %s', (line, expected) => {
    expect(program(line)).toMatchObject(expected);
  });

  it('defaults the directory to the command folder and leaves it out for a bare command', () => {
    expect(program('1 a /opt/x/bin/run').directory).toBe('/opt/x/bin');
    expect(program('1 a sleep [5]').directory).toBeUndefined();
  });

  it('takes a user right after the directory, and after false without a directory', () => {
    expect(program('1 a /bin/run /srv www-data')).toMatchObject({ directory: '/srv', redirectStderr: false, user: 'www-data' });
    expect(program('1 a /bin/run false nobody')).toMatchObject({ directory: '/bin', redirectStderr: false, user: 'nobody' });
  });

  it('accepts a directory that starts with a supervisord expansion', () => {
    expect(program('1 a /bin/run %(here)s/run').directory).toBe('%(here)s/run');
  });

  it('keeps brackets and quotes inside the arguments', () => {
    expect(program(`1 py /usr/bin/python3 [-c "import sys; print(sys.argv[1:])" x]`).args).toBe(`-c "import sys; print(sys.argv[1:])" x`);
  });

  it('treats empty arguments as none', () => {
    expect(program('1 a /bin/run []').args).toBeUndefined();
  });

  it('reads several process options, with a quoted environment holding spaces', () => {
    expect(program('1 a (autostart=false startsecs=5 environment=A="x y",B=2) /bin/run').options).toEqual([
      { key: 'autostart', value: 'false' },
      { key: 'startsecs', value: '5' },
      { key: 'environment', value: 'A="x y",B=2' },
    ]);
  });

  it('keeps supervisord expansions, with their parentheses, inside process options', () => {
    expect(program('1 web (numprocs=2 process_name=%(program_name)s_%(process_num)s) /bin/run').options).toEqual([
      { key: 'numprocs', value: '2' },
      { key: 'process_name', value: '%(program_name)s_%(process_num)s' },
    ]);
  });

  it('numbers the entries from 1, skipping blank lines, and trims indentation', () => {
    const lines = parsePrograms('supervisor', '\n    10 a /bin/a\n\n    20 b /bin/b\n');
    expect(lines.map((line) => [line.origin.line?.number, line.origin.line?.text, line.name])).toEqual([
      [1, '10 a /bin/a', 'a'],
      [2, '20 b /bin/b', 'b'],
    ]);
  });

  it('gives no programs for an absent or empty option', () => {
    expect(parsePrograms('supervisor', undefined)).toEqual([]);
    expect(parsePrograms('supervisor', '\n  \n')).toEqual([]);
  });

  it.each([
    ['zeo /bin/runzeo', 'the priority must be a whole number, found "zeo"'],
    ['-1 zeo /bin/runzeo', 'the priority must be a whole number'],
    ['10', 'the program name is missing'],
    ['10 (autostart=false) /bin/x', 'expected the program name, found "(autostart=false)"'],
    ['10 zeo', 'the command is missing'],
    ['10 zeo (autostart=false)', 'the command is missing'],
    ['10 zeo [-v]', 'expected the command, found "[-v]"'],
    ['10 zeo (autostart=false /bin/x', 'the "(" of the process options at column 8 is not closed by ")"'],
    ['10 zeo /bin/x [-v', 'the "[" of the arguments at column 15 is not closed by "]"'],
    ['10 zeo /bin/x [-v]/tmp', 'expected a space after "[-v]", found "/"'],
    ['10 zeo (autostart) /bin/x', 'process option "autostart" is not key=value'],
    ['10 zeo (autostart=) /bin/x', 'process option "autostart" has no value'],
    ['10 zeo (=false) /bin/x', 'process option "=false" has no key'],
    ['10 zeo (autostrat=false) /bin/x', 'unknown process option "autostrat" (supervisord would silently ignore it)'],
    ['10 zeo (startsecs=1 startsecs=2) /bin/x', 'process option "startsecs" is given twice'],
    ['10 zeo () /bin/x', 'the process options "()" are empty'],
    ['10 zeo (environment=A="x) /bin/x', 'a quote that is not closed'],
    [
      '10 zeo /bin/x www-data',
      'the directory "www-data" is not an absolute path (to name a user without a directory, put true or false before it: "... false www-data")',
    ],
    ['10 zeo /bin/x /tmp /var true', 'expected a directory and then true or false, found "/tmp /var"'],
    ['10 zeo /bin/x /tmp true www-data extra', 'unexpected "extra" after the user'],
    ['10 zeo /bin/x /tmp www-data extra', 'unexpected "extra" after the user'],
    ['10 zeo /bin/x [-v] (autostart=false)', 'unexpected "(autostart=false)" after the arguments'],
    ['10 zeo /bin/x [-v] [-w]', 'unexpected "[-w]" after the arguments'],
  ])('refuses %j', (line, problem) => {
    const error = failure(() => parsePrograms('supervisor', `\n  1 ok /bin/ok\n  ${line}`));
    expect(error.code).toBe(SupervisorErrorCodes.BAD_PROGRAM_LINE);
    expect(error.part).toBe('supervisor');
    expect(error.message).toContain(`part supervisor, option programs, line 2 ${JSON.stringify(line)}: `);
    expect(error.message).toContain(problem);
    expect(error.hint).toBe('a line is: priority name [(key=value ...)] command [[args]] [directory] [true|false] [user]');
  });

  it.each([
    ['10 zeo:1 /bin/x', '":"'],
    ['10 a/b /bin/x', '"/"'],
    ['10 a\x1cb /bin/x', '"\\u001c"'],
    ['10 a\x07b /bin/x', '"\\u0007"'],
  ])('refuses the name in %j, as supervisord would', (line, character) => {
    const error = failure(() => parsePrograms('supervisor', line));
    expect(error.code).toBe(SupervisorErrorCodes.BAD_NAME);
    expect(error.message).toContain(`contains ${character}; supervisord refuses names with a space, ":" or "/"`);
  });
});

describe('eventlisteners lines', () => {
  it('parses the seed lines', () => {
    const listeners = parseEventListeners(
      'supervisor',
      '\nMemmon TICK_60 /b/bin/memmon [-p instance1=200MB]\nHttpOk TICK_60 /b/bin/httpok [-p site1 -t 20 http://localhost:8080/]',
    );
    expect(listeners.map(({ origin: _origin, ...rest }) => rest)).toEqual([
      { name: 'Memmon', options: [], events: ['TICK_60'], command: '/b/bin/memmon', args: '-p instance1=200MB' },
      { name: 'HttpOk', options: [], events: ['TICK_60'], command: '/b/bin/httpok', args: '-p site1 -t 20 http://localhost:8080/' },
    ]);
  });

  it('takes process options (release 2.0) and several events', () => {
    const [listener] = parseEventListeners('supervisor', 'HttpOk (startsecs=20 buffer_size=50) TICK_60,PROCESS_STATE_EXITED /b/bin/httpok');
    expect(listener).toMatchObject({
      options: [
        { key: 'startsecs', value: '20' },
        { key: 'buffer_size', value: '50' },
      ],
      events: ['TICK_60', 'PROCESS_STATE_EXITED'],
      args: undefined,
    });
  });

  it('accepts event names in any case, as supervisord does', () => {
    expect(parseEventListeners('supervisor', 'x tick_5 /bin/cat')[0]?.events).toEqual(['tick_5']);
  });

  it.each([
    ['Memmon TICK_61 /bin/memmon', SupervisorErrorCodes.UNKNOWN_EVENT, 'unknown event type "TICK_61"; supervisord knows EVENT, '],
    ['Memmon TICK_60,PROCESS_STATE_EXIT /bin/memmon', SupervisorErrorCodes.UNKNOWN_EVENT, 'unknown event type "PROCESS_STATE_EXIT"'],
    ['Memmon TICK_60, /bin/memmon', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'contain an empty name'],
    ['Memmon /bin/memmon', SupervisorErrorCodes.UNKNOWN_EVENT, 'unknown event type "/bin/memmon"'],
    ['Memmon TICK_60', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'the command is missing'],
    ['Memmon', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'the events is missing'],
    ['Memmon TICK_60 /bin/memmon [-p x] extra', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'unexpected "extra" after the arguments'],
    ['Memmon TICK_60 /bin/memmon extra', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'unexpected "extra" after the command'],
    [
      'Memmon (redirect_stderr=true) TICK_60 /bin/memmon',
      SupervisorErrorCodes.BAD_EVENTLISTENER_LINE,
      'supervisord refuses redirect_stderr for an event listener',
    ],
    ['Memmon (events=TICK_5) TICK_60 /bin/memmon', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'give the events after the name'],
    ['Memmon (bogus=1) TICK_60 /bin/memmon', SupervisorErrorCodes.BAD_EVENTLISTENER_LINE, 'unknown process option "bogus"'],
    ['Mem:mon TICK_60 /bin/memmon', SupervisorErrorCodes.BAD_NAME, 'contains ":"'],
  ])('refuses %j', (line, code, problem) => {
    const error = failure(() => parseEventListeners('supervisor', line));
    expect(error.code).toBe(code);
    expect(error.message).toContain(`part supervisor, option eventlisteners, line 1 ${JSON.stringify(line)}: `);
    expect(error.message).toContain(problem);
  });
});

describe('groups lines', () => {
  it('parses priority, name and programs', () => {
    expect(parseGroups('supervisor', '10 services zeo,instance1\n20 others other').map(({ origin: _origin, ...rest }) => rest)).toEqual([
      { priority: '10', name: 'services', programs: ['zeo', 'instance1'] },
      { priority: '20', name: 'others', programs: ['other'] },
    ]);
  });

  it.each([
    ['services zeo', 'the priority must be a whole number'],
    ['10 services', 'the list of programs is missing'],
    ['10 services zeo, instance1', 'unexpected "instance1" after the programs (write them comma-separated, without spaces)'],
    ['10 services zeo,,instance1', 'contain an empty name'],
    ['10 ser:vices zeo', 'contains ":"'],
  ])('refuses %j', (line, problem) => {
    const error = failure(() => parseGroups('supervisor', line));
    expect(error.message).toContain(`part supervisor, option groups, line 1 ${JSON.stringify(line)}: `);
    expect(error.message).toContain(problem);
  });
});
