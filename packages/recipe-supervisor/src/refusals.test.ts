import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../test-support/errors.js';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import { SupervisorErrorCodes } from './errors.js';
import { expandHere, expandOnce, percentProblem } from './percent-format.js';
import { parseEventListeners, parseGroups, parsePrograms } from './program-lines.js';
import { checkNames, checkValue, layoutProblem } from './refusals.js';

describe('supervisord %-expansion', () => {
  it.each([
    ['plain', 'program'],
    ['100%%', 'program'],
    ['%(here)s/var', 'supervisord'],
    ['%(program_name)s_%(process_num)02d', 'program'],
    ['%(ENV_HOME)s/x', 'supervisord'],
    ['%(host_node_name)s', 'include'],
  ] as const)('accepts %j in a %s section', (value, context) => {
    expect(percentProblem(value, context)).toBeUndefined();
  });

  it.each([
    ['50%', 'program', 'it contains a lone "%" (write %% for a literal %)'],
    ['%d', 'program', 'lone "%"'],
    ['a % b', 'program', 'lone "%"'],
    ['%(here)', 'program', '"%(here)" is not a complete expansion (write %(here)s, or %% for a literal %)'],
    ['%(here)z', 'program', 'is not a complete expansion'],
    ['%(program_name)s', 'supervisord', 'supervisord cannot expand %(program_name) here (it knows here, ENV_<variable>)'],
    ['%(nope)s', 'program', 'supervisord cannot expand %(nope) here'],
  ] as const)('refuses %j in a %s section', (value, context, problem) => {
    expect(percentProblem(value, context)).toContain(problem);
  });

  it('expands once the way supervisord does, for values it expands twice', () => {
    expect(expandOnce('A="100%%%%",B=%(here)s')).toBe('A="100%%",B=x');
  });

  it('makes the literal value for the command line: %% and %(here)s, nothing else', () => {
    expect(expandHere('p%%ss', '/etc')).toBe('p%ss');
    expect(expandHere('unix://%(here)s/s.sock', '/srv/x')).toBe('unix:///srv/x/s.sock');
    expect(expandHere('%(ENV_PASSWORD)s', '/etc')).toBeUndefined();
  });
});

describe('values supervisord would cut or misread', () => {
  it.each([
    ['sh -c "echo a ;echo b"', '";"'],
    ['run # comment', '"#"'],
    ['#start', '"#"'],
    [';start', '";"'],
    ['a\tb;c', undefined],
    ['a;b#c', undefined],
    ['two\nlines', 'line break'],
    // Python's whitespace, not JavaScript's: supervisord cuts these silently.
    ['a\x1c;b', '";" (after U+001C, which Python counts as whitespace'],
    ['p\x1c#w', '"#" (after U+001C'],
    ['ok\x85;.log', '";" (after U+0085'],
    ['x\u2003;y', '";" (after U+2003'],
    ['a\xa0#b', '"#" (after U+00A0'],
    ['a\ufeff;b', undefined],
    // Control characters are refused wherever they are.
    ['nul\0byte', 'the control character U+0000'],
    ['esc\x1b[31m', 'the control character U+001B'],
    ['del\x7f', 'the control character U+007F'],
    ['c1\x9b', 'the control character U+009B'],
    ['vertical\vtab', 'the control character U+000B'],
    ['tab\tis fine', undefined],
  ])('%j', (value, problem) => {
    const found = layoutProblem(value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it.skipIf(skipWithoutSupervisor)(
    `is right that supervisord cuts values at ";" or "#" after Python's whitespace${needsSupervisor}`,
    () => {
      const values = ['a\x1c;b', 'p\x1c#w', 'ok\x85;.log', 'x\u2003;y', 'a;b#c'];
      const read = spawnSync(
        SUPERVISOR_PYTHON,
        [
          '-c',
          'import json, sys; from supervisor.options import UnhosedConfigParser as P; p = P(); p.read_string(sys.stdin.read()); print(json.dumps([p.get("program:x", f"v{i}") for i in range(int(sys.argv[1]))]))',
          String(values.length),
        ],
        { input: `[program:x]\n${values.map((value, index) => `v${index} = ${value}`).join('\n')}\n`, encoding: 'utf8' },
      );
      expect(read.stderr).toBe('');
      expect(JSON.parse(read.stdout)).toEqual(['a', 'p', 'ok', 'x', 'a;b#c']);
      expect(values.map((value) => layoutProblem(value) === undefined)).toEqual([false, false, false, false, true]);
    },
  );

  it('names the option, the key and the problem', () => {
    const error = errorOf(() =>
      checkValue(
        'command',
        'sh -c "a ;b"',
        { context: 'program' },
        { part: 'supervisor', option: 'programs', line: { number: 2, text: '1 x sh [-c "a ;b"]' } },
      ),
    );
    expect(error.code).toBe(SupervisorErrorCodes.UNSAFE_VALUE);
    expect(error.message).toBe(
      'part supervisor, option programs, line 2 "1 x sh [-c \\"a ;b\\"]": cannot write command = sh -c "a ;b": supervisord would cut it at ";" (after a space, ";" and "#" start a comment that cannot be escaped)',
    );
  });

  it('wants %%%% for a literal % in a value supervisord expands twice', () => {
    const origin = { part: 'supervisor', option: 'supervisord-environment' };
    expect(() => checkValue('environment', 'A="100%%%%"', { context: 'supervisord', expandedTwice: true }, origin)).not.toThrow();
    expect(
      errorOf(() => checkValue('environment', 'A="100%%"', { context: 'supervisord', expandedTwice: true }, origin)).message,
    ).toContain('supervisord expands this value twice, so a literal % must be written %%%%');
    expect(() => checkValue('environment', 'A="100%%"', { context: 'program' }, origin)).not.toThrow();
  });
});

describe('names', () => {
  const programs = parsePrograms('supervisor', '10 zeo /bin/zeo\n20 web /bin/web\n30 worker /bin/worker');

  it('accepts distinct names and groups of known programs, also named like a member', () => {
    const groups = parseGroups('supervisor', '10 services zeo,web\n20 worker worker');
    expect(() => checkNames(programs, parseEventListeners('supervisor', 'Memmon TICK_60 /bin/memmon'), groups, false)).not.toThrow();
  });

  it.each([
    ['a program twice', '10 zeo /bin/zeo\n20 zeo /bin/other', '', '', 'the name "zeo" is already used by the program on programs line 1'],
    ['a listener named like a program', '10 zeo /bin/zeo', 'zeo TICK_60 /bin/memmon', '', 'already used by the program on programs line 1'],
    ['a group named like a program outside it', '10 zeo /bin/zeo\n20 web /bin/web', '', '1 zeo web', 'already used by the program'],
    ['a group twice', '10 zeo /bin/zeo', '', '1 g zeo\n2 g zeo', 'already used by the group on groups line 1'],
  ])('refuses %s', (_title, programLines, listenerLines, groupLines, problem) => {
    const error = errorOf(() =>
      checkNames(
        parsePrograms('supervisor', programLines),
        parseEventListeners('supervisor', listenerLines),
        parseGroups('supervisor', groupLines),
        false,
      ),
    );
    expect(error.code).toBe(SupervisorErrorCodes.DUPLICATE_NAME);
    expect(error.message).toContain(problem);
  });

  it('refuses a group listing an unknown program, unless include may define it', () => {
    const groups = parseGroups('supervisor', '10 services zeo,ghost');
    const error = errorOf(() => checkNames(programs, [], groups, false));
    expect(error.code).toBe(SupervisorErrorCodes.BAD_GROUP_LINE);
    expect(error.message).toContain('the group lists "ghost", which is not a program of this part');
    expect(error.hint).toBe('programs defined here: zeo, web, worker');
    expect(() => checkNames(programs, [], groups, true)).not.toThrow();
  });
});
