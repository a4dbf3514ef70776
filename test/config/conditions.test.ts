// Spec "Conditions `[section: expr]`": a safe evaluator, never eval.
import { arch, endianness, machine, type as osType } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuildout } from './api.js';
import { cfg, expectBuildoutError, loadTree, tree } from './helpers.js';

/** Loads `[probe: EXPR]` and says whether the section's option was applied. */
async function holds(expression: string): Promise<boolean> {
  const { buildout } = await loadTree({
    'buildout.cfg': cfg('[buildout]', 'parts =', '[probe]', 'applied = no', `[probe: ${expression}]`, 'applied = yes'),
  });
  return buildout.get('probe', 'applied') === 'yes';
}

const platform = process.platform;
const is64 = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(arch());

describe('platform names', () => {
  it.each([
    ['linux', platform === 'linux'],
    ['windows', platform === 'win32'],
    ['macosx', platform === 'darwin'],
    ['cygwin', platform === 'cygwin'],
    ['solaris', platform === 'sunos'],
    ['posix', platform !== 'win32'],
    ['bits64', is64],
    ['bits32', !is64],
    ['little_endian', endianness() === 'LE'],
    ['big_endian', endianness() === 'BE'],
  ])('%s is %s here', async (name, expected) => {
    expect(await holds(name)).toBe(expected);
  });
});

describe('PEP 508 names', () => {
  const sysPlatform = platform === 'win32' ? 'win32' : platform === 'darwin' ? 'darwin' : platform;
  const osName = platform === 'win32' ? 'nt' : 'posix';

  it.each([
    [`sys_platform == "${sysPlatform}"`, true],
    ['sys_platform == "no-such-platform"', false],
    [`platform_system == "${osType()}"`, true],
    [`platform_machine == "${machine()}"`, true],
    [`os_name == "${osName}"`, true],
    [`os_name != "${osName}"`, false],
    [`'${sysPlatform}' == sys_platform`, true],
  ])('%s is %s here', async (expression, expected) => {
    expect(await holds(expression)).toBe(expected);
  });

  it('knows node_version', async () => {
    expect(await holds(`node_version == "${process.versions.node}"`)).toBe(true);
    expect(await holds('node_version == "0.0.0"')).toBe(false);
  });
});

describe('operators and literals', () => {
  it.each([
    ['True', true],
    ['False', false],
    ['not False', true],
    ['True and False', false],
    ['True or False', true],
    ['not (True and False)', true],
    ['(True or False) and not False', true],
    ['False or False or True', true],
    ['"a" == "a"', true],
    ["'a' != 'b'", true],
    ['1 == 1', true],
    ['2 > 1', true],
    ['1 >= 2', false],
    ['1 < 2 and 2 <= 2', true],
    ['linux or not linux', true],
    ['linux and not linux', false],
    ['posix and (bits64 or bits32)', platform !== 'win32'],
  ])('%s is %s', async (expression, expected) => {
    expect(await holds(expression)).toBe(expected);
  });
});

describe('sections with conditions', () => {
  it('apply true sections and skip false ones, same-name sections in file order', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[app]',
        'value = base',
        'list = base',
        '[app: True] # a comment',
        'value = first-true',
        'list += true',
        '[app: False]',
        'value = false',
        'skipped = yes',
        'block =',
        '    continuation of a skipped option',
        '[app: not False]',
        'value = second-true',
        '[never: False]',
        'x = 1',
      ),
    });
    expect(buildout.resolveSection('app')).toEqual({ value: 'second-true', list: 'base\ntrue' });
    expect(buildout.hasSection('never')).toBe(false);
  });

  it('skip a false first section of a file', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[app: False]', 'value = false', '[app]', 'other = yes'),
    });
    expect(buildout.resolveSection('app')).toEqual({ other: 'yes' });
  });

  it('report an unknown name naming file, line and the name', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'parts =', '[s: linux and frobnicate]', 'x = 1') });
    await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'CONDITION',
      file: join(dir, 'buildout.cfg'),
      line: 3,
      words: ['frobnicate'],
    });
  });

  it.each([['linux and'], ['(linux'], ['"unterminated'], ['linux linux'], ['== 1'], ['1 +']])(
    'report the malformed expression %j with its location',
    async (expression) => {
      await expectBuildoutError(() => loadTree({ 'buildout.cfg': cfg('[a]', 'x = 1', `[s: ${expression}]`, 'x = 1') }), {
        code: 'CONDITION',
        line: 3,
      });
    },
  );

  it.each([
    ['__import__("os").system("touch pwned")'],
    ['process.exit(3)'],
    ['(function () { return globalThis.conditionPwned = 1 })()'],
    ['(() => (globalThis.conditionPwned = 1))()'],
    ['globalThis.conditionPwned = 1'],
    ['constructor.constructor("globalThis.conditionPwned = 1")()'],
    ['this'],
    ['require("fs")'],
  ])('never runs code: %s is an error', async (expression) => {
    await expectBuildoutError(() => loadTree({ 'buildout.cfg': cfg('[a]', `[s: ${expression}]`, 'x = 1') }), {
      code: 'CONDITION',
      line: 2,
    });
    expect((globalThis as { conditionPwned?: unknown }).conditionPwned).toBeUndefined();
  });
});
