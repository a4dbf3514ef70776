import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { evaluateCondition, MAX_CONDITION_DEPTH, platformNames } from './condition.js';
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
    ['__import__("os")', "unknown name '__import__'"],
    ['os.name', "unknown name 'os'"],
    ['two < "x"', 'cannot order'],
    ['a = 1', "'=' is not supported in section conditions"],
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

describe("zc.buildout's Python conditions", () => {
  const env = { HOME: '/root', EMPTY: '' };
  const python = (expression: string): boolean => evaluateCondition(expression, at, platformNames(env));
  const onLinux = process.platform === 'linux';

  test.each([
    ["sys.platform == 'linux'", onLinux],
    ["sys.platform.startswith('lin')", onLinux],
    ["sys.platform.startswith(('darwin', 'linux'))", process.platform === 'darwin' || onLinux],
    ["sys.platform in ('linux', 'darwin')", onLinux || process.platform === 'darwin'],
    ["sys.platform not in ['win32', 'cygwin']", process.platform !== 'win32'],
    ["os.name == 'posix'", process.platform !== 'win32'],
    ["os.sep == '/'", process.platform !== 'win32'],
    ["platform.system() == 'Linux'", onLinux],
    ["platform.system().lower() == 'linux'", onLinux],
    ["platform.machine().endswith('64')", /64$/.test(platformNames().platform_machine as string)],
    ["os.environ.get('HOME') == '/root'", true],
    ["os.environ.get('NOPE', 'x') == 'x'", true],
    ["os.environ.get('NOPE') == None", true],
    ["'HOME' in os.environ", true],
    ["'NOPE' not in os.environ", true],
    ["os.environ['HOME'].startswith('/')", true],
    ['sys.maxsize > 2**32', platformNames().bits64 === true],
    ['(3, 6) < (3, 10)', true],
    ['(3, 6) < (3, 6, 0)', true],
    ['(1,) == (1,)', true],
    ['() < (0,)', true],
    // Python compares strings as text; a PEP 508 marker (no '.', ',', '[', numbers) compares versions.
    ["'3.10' < '3.9' and sys.platform == sys.platform", true],
    ["'3.10' < '3.9'", false],
    ['-1 < 0', true],
    ["platform.python_implementation() == 'CPython' or True", true],
    ["sys.platform == 'win32' and sys.getwindowsversion()", false],
    ['linux and (bits64 or bits32)', onLinux],
  ])('%s -> %s', (expression, expected) => {
    expect(python(expression)).toBe(expected);
  });

  test('sys.version_info is the python3 on PATH, as a tuple with named fields', () => {
    const probe = spawnSync('python3', ['-c', 'import sys; print(*sys.version_info[:3])'], { encoding: 'utf8' });
    if (probe.status !== 0) return expect(() => python('sys.version_info >= (3,)')).toThrow(/no python3 on PATH|there is none/);
    const [major, minor, micro] = probe.stdout.trim().split(' ').map(Number) as [number, number, number];
    expect(python(`sys.version_info >= (${major}, ${minor})`)).toBe(true);
    expect(python(`sys.version_info < (${major}, ${minor + 1})`)).toBe(true);
    expect(python(`sys.version_info[:3] == (${major}, ${minor}, ${micro})`)).toBe(true);
    expect(python(`sys.version_info[0] == ${major} and sys.version_info.minor == ${minor}`)).toBe(true);
    expect(python(`platform.python_version().startswith('${major}.${minor}.')`)).toBe(true);
  });

  test.each([
    [
      'sys.getwindowsversion()',
      "'sys.getwindowsversion' is not supported in section conditions (supported: sys.platform, sys.version_info, sys.maxsize)",
      4,
    ],
    ['sys.platfrom', "did you mean 'sys.platform'?", 4],
    ['platform.node()', "'platform.node' is not supported", 9],
    [
      "'x'.split()",
      "'str.split' is not supported in section conditions (supported: str.startswith, str.endswith, str.lower, str.upper)",
      4,
    ],
    ['re.match("a", "a")', "unknown name 're'", 0],
    ['sys.platform is None', "'is' is not supported", 13],
    ['lambda: 1', "unexpected 'lambda'", 0],
    ['[x for x in y]', "unexpected 'for'", 3],
    ['1 + 1', "'+' is not supported in section conditions", 2],
    ["os.environ['NOPE']", 'os.environ["NOPE"] is not set; use os.environ.get("NOPE")', 10],
    ['platform.system(1)', 'platform.system() takes 0 arguments, not 1', 15],
    ['sys.platform()', 'sys.platform (a str) cannot be called', 12],
    ["(3, 6) < '3.6'", 'cannot order a tuple against a str', 7],
    ['sys.version_info.nope', "'sys.version_info.nope' is not supported", 17],
  ])('%s: %s', async (expression, message, offset) => {
    const error = await failure(() => python(expression));
    expect(error.code).toBe('CONDITION');
    expect(error.message + (error.hint ? ` ${error.hint}` : '')).toContain(message);
    expect(error.location).toEqual({ ...at, column: at.column + offset });
  });

  test('deep nesting is a clear error, not a stack overflow, and costs linear time', async () => {
    expect(python(`${'('.repeat(MAX_CONDITION_DEPTH)}linux or True${')'.repeat(MAX_CONDITION_DEPTH)}`)).toBe(true);
    for (const deep of ['('.repeat(100_000), `${'not '.repeat(50_000)}True`, `${'-'.repeat(50_000)}1`, `${'['.repeat(50_000)}`]) {
      const error = await failure(() => python(deep));
      expect(error.message).toBe(`section condition nests deeper than ${MAX_CONDITION_DEPTH} levels`);
    }
    // Long flat conditions stay fine: 20 000 alternatives and a long chain of attribute lookups.
    expect(python(`${Array.from({ length: 20_000 }, () => 'windows').join(' or ')} or True`)).toBe(true);
    expect(python(`'${'a'.repeat(100_000)}'.lower().startswith('a')`)).toBe(true);
  });
});
