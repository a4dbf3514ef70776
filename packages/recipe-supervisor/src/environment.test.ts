import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import { SupervisorErrorCodes } from './errors.js';
import { formatEnvironment, mergeEnvironment, parseEnvironment, quoteEnvironmentValue, type EnvironmentPair } from './environment.js';

const site = { code: SupervisorErrorCodes.BAD_ENVIRONMENT, origin: { part: 'supervisor', option: 'environment' } };

/** The value as written, or undefined when it is refused. */
function quoted(value: string): string | undefined {
  try {
    return quoteEnvironmentValue('A', value, site);
  } catch {
    return undefined;
  }
}

describe('quoting environment values', () => {
  it.each([
    ['mustapha', 'mustapha'],
    ['http://supervisor.mustap.com', 'http://supervisor.mustap.com'],
    ['/bin:/usr/bin', '/bin:/usr/bin'],
    ['a-b_c.d+e(f)', 'a-b_c.d+e(f)'],
    ['', '""'],
    ['x y', '"x y"'],
    ['$HOME', '"$HOME"'],
    ['http://x:80/p?q=1&r=2', '"http://x:80/p?q=1&r=2"'],
    ['a,b', '"a,b"'],
    ['x#y', '"x#y"'],
    ['%(here)s/run', '"%(here)s/run"'],
    ['say "hi" now', `'say "hi" now'`],
    ["it's", '"it\'s"'],
    ['é', '"é"'],
  ])('writes %j as %s', (value, written) => {
    expect(quoteEnvironmentValue('A', value, site)).toBe(written);
  });

  it.each([
    ['"quoted"', 'it starts or ends with a quote character, which supervisord strips'],
    ["tail'", 'it starts or ends with a quote character'],
    ['a"b\'c', 'it contains both kinds of quotes'],
    ['two\nlines', 'it contains a line break'],
  ])('refuses %j', (value, problem) => {
    expect(() => quoteEnvironmentValue('A', value, site)).toThrow(
      `part supervisor, option environment: cannot pass the value of A to supervisord: ${problem}`,
    );
  });

  it('formats pairs and refuses bad names', () => {
    expect(
      formatEnvironment(
        [
          ['A', '1'],
          ['B', 'x y'],
        ],
        site,
      ),
    ).toBe('A=1,B="x y"');
    expect(() => formatEnvironment([['A-B', '1']], site)).toThrow('environment variable name "A-B" is not a valid name');
    expect(() => formatEnvironment([['A', 'a"b\'c']], site)).toThrow(
      'cannot pass the value of A to supervisord: it contains both kinds of quotes',
    );
  });
});

describe('reading environment lists', () => {
  it.each<[string, EnvironmentPair[]]>([
    ['A=1', [['A', '1']]],
    [
      'A=1,B=2',
      [
        ['A', '1'],
        ['B', '2'],
      ],
    ],
    [
      'A=1, B=two words ,C=3',
      [
        ['A', '1'],
        ['B', 'two words'],
        ['C', '3'],
      ],
    ],
    [
      'A=1\nB=2\n',
      [
        ['A', '1'],
        ['B', '2'],
      ],
    ],
    [
      'A="x, y",B=\'say "hi"\'',
      [
        ['A', 'x, y'],
        ['B', 'say "hi"'],
      ],
    ],
    ['A=', [['A', '']]],
    [
      'A=,B=2',
      [
        ['A', ''],
        ['B', '2'],
      ],
    ],
    ['PATH=/bin:/usr/bin', [['PATH', '/bin:/usr/bin']]],
    ['URL=http://x:80/p?q=1', [['URL', 'http://x:80/p?q=1']]],
    ['', []],
  ])('reads %j', (text, pairs) => {
    expect(parseEnvironment(text, site)).toEqual(pairs);
  });

  it.each([
    ['A', '"A" is not KEY=value'],
    ['A=1,B', '"B" is not KEY=value'],
    ['A=1,\nB', '"B" is not KEY=value'],
    ['A B=1', '"A B" is not a valid environment variable name'],
    ['1A=1', 'is not a valid environment variable name'],
    ['A=1,A=2', 'A is given twice'],
    ['A="open', 'the value of A opens a " quote that is not closed'],
    ['A="x"y', 'unexpected "y" after the quoted value of A'],
  ])('refuses %j', (text, problem) => {
    expect(() => parseEnvironment(text, site)).toThrow(problem);
  });

  it('merges overrides in place and appends new variables', () => {
    expect(
      mergeEnvironment(
        [
          ['A', '1'],
          ['B', '2'],
        ],
        [
          ['B', 'x'],
          ['C', '3'],
        ],
      ),
    ).toEqual([
      ['A', '1'],
      ['B', 'x'],
      ['C', '3'],
    ]);
  });
});

// Any value the recipe agrees to write reads back unchanged through
// supervisor's own environment parser.
describe.skipIf(skipWithoutSupervisor)(`environment values through supervisor's parser${needsSupervisor}`, () => {
  it('round-trips every value it accepts', () => {
    const values = fc.sample(fc.string({ unit: fc.constantFrom(...'ab Z9_/.+-():,=$#;%"\'\\\té!?&*'), maxLength: 12 }), {
      numRuns: 400,
      seed: 4,
    });
    const written = values.map((value) => ({ value, quoted: quoted(value) }));
    const accepted = written.filter((entry): entry is { value: string; quoted: string } => typeof entry.quoted === 'string');
    expect(accepted.length).toBeGreaterThan(300);
    const script = [
      'import json, sys',
      'from supervisor.datatypes import dict_of_key_value_pairs',
      'parsed = [dict_of_key_value_pairs("A=" + line + ",B=after") for line in json.load(sys.stdin)]',
      'print(json.dumps([[pairs.get("A"), pairs.get("B")] for pairs in parsed]))',
    ].join('\n');
    const result = spawnSync(SUPERVISOR_PYTHON, ['-c', script], {
      input: JSON.stringify(accepted.map((entry) => entry.quoted)),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual(accepted.map((entry) => [entry.value, 'after']));
  });
});
