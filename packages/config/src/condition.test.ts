import { describe, expect, test } from 'vitest';
import { evaluateCondition, platformNames } from './condition.js';
import { failure } from './test-support.js';

const at = { file: '/x/b.cfg', line: 3, column: 5 };
const names = { linux: true, windows: false, sys_platform: 'linux', node_version: '20.20.2', bits64: true, two: 2 };
const holds = (expression: string): boolean => evaluateCondition(expression, at, names);

describe('section conditions', () => {
  test.each([
    ['linux', true],
    ['windows', false],
    ['not windows', true],
    ['linux and not windows', true],
    ['windows or linux', true],
    ['(windows or linux) and bits64', true],
    ['sys_platform == "linux"', true],
    ["sys_platform != 'linux'", false],
    ['"lin" in sys_platform', true],
    ['"win" not in sys_platform', true],
    ['node_version >= "20.9"', true],
    ['node_version < "20.10"', false],
    ['1 < two < 3', true],
    ['3 < two < 1', false],
    ['True', true],
    ['False or None', false],
    ['two == 2', true],
    ['linux == 1', true],
    ['"a\\x23b" == "a#b"', true],
  ])('%s -> %s', (expression, expected) => {
    expect(holds(expression)).toBe(expected);
  });

  test('an unknown name is an error at its column, with a suggestion', async () => {
    const error = await failure(() => holds('not linx'));
    expect(error.code).toBe('CONDITION');
    expect(error.message).toContain("unknown name 'linx'");
    expect(error.location).toEqual({ ...at, column: 9 });
    expect(error.hint).toContain("'linux'");
  });

  test.each([
    ['linux and', 'ends too early'],
    ['(linux', "missing ')'"],
    ['linux linux', "unexpected 'linux'"],
    ['"open', 'not closed'],
    ['__import__("os")', 'not supported'],
    ['os.name', 'not supported'],
    ['two < "x"', 'cannot order'],
    ['a = 1', "unexpected character '='"],
  ])('%s is refused', async (expression, message) => {
    expect((await failure(() => holds(expression))).message).toContain(message);
  });

  test('the platform names describe this machine', () => {
    const platform = platformNames();
    expect(platform.linux).toBe(process.platform === 'linux');
    expect(platform.posix).toBe(process.platform !== 'win32');
    expect(platform.node_version).toBe(process.versions.node);
    expect(platform.bits32).toBe(!platform.bits64);
    expect(evaluateCondition('posix and node_version >= "20"', at)).toBe(process.platform !== 'win32');
  });
});
