// Issue 8, item 9: no input takes more than linear time in its size, a value
// cannot grow without bound, and a reference cycle is reported once. Each
// input here took seconds to minutes (or gigabytes) before; correctness is
// asserted, and a generous time bound catches a return of quadratic work.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findReferences, parseConfigText } from './api.js';
import { cfg, expectBuildoutError, loadTree, runCli, tree } from './helpers.js';

/** Runs `action` and checks it took less than `ms` (the linear work here takes a few ms). */
function fast<T>(action: () => T, ms = 1000): T {
  const started = performance.now();
  const result = action();
  expect(performance.now() - started).toBeLessThan(ms);
  return result;
}

const parsedValue = (text: string, option = 'a'): string =>
  parseConfigText(text, 'buildout.cfg')[0]!.options.find((parsed) => parsed.name === option)!.value;

describe('whitespace is trimmed in linear time', () => {
  it('a value with 80,000 spaces inside and after it', () => {
    const spaces = ' '.repeat(80_000);
    expect(fast(() => parsedValue(`[s]\na = b${spaces}c${spaces}\n`))).toBe(`b${spaces}c`);
  });

  it('80,000 characters of Python whitespace (\\x1c, \\x85, \\u3000) inside and around a value', () => {
    const spaces = '\x1c\x85\u3000 '.repeat(20_000);
    expect(fast(() => parsedValue(`[s]\na = ${spaces}b${spaces}c${spaces}\n`))).toBe(`b${spaces}c`);
  });

  it('3,000 continuation lines, indented more and more deeply', () => {
    const lines = Array.from({ length: 3000 }, (_, index) => `${' '.repeat(index + 1)}v${index}${' '.repeat(index)}`);
    const value = fast(() => parsedValue(`[s]\na =\n${lines.join('\n')}\n`));
    // dedented by the common single space, trailing spaces of every line dropped
    expect(value.split('\n')).toEqual(Array.from({ length: 3000 }, (_, index) => `${' '.repeat(index)}v${index}`));
  });

  it('3,000 blank indented lines before a value', () => {
    const blank = `${' '.repeat(3000)}\n`.repeat(3000);
    expect(fast(() => parsedValue(`[s]\na =\n${blank}   z\n`))).toBe('z');
  });

  it('an option name ending in a long run of signs', () => {
    const name = `${'+'.repeat(80_000)}x`;
    const [section] = fast(() => parseConfigText(`[s]\n${name} += 1\n`, 'buildout.cfg'));
    expect(section!.options[0]).toMatchObject({ name, operator: '+=', value: '1' });
  });

  it('a long line that is not an option is a syntax error, at once', () => {
    const failure = (line: string): unknown =>
      fast(() => {
        try {
          parseConfigText(`[s]\n${line}\n`, 'buildout.cfg');
        } catch (error) {
          return error;
        }
      });
    expect(failure(`a${' '.repeat(80_000)}b`)).toMatchObject({ code: 'SYNTAX', message: expect.stringMatching(/expected 'name = value'/) });
    expect(failure(`a${' '.repeat(80_000)}b = 1`)).toMatchObject({ code: 'SYNTAX', message: expect.stringMatching(/invalid option name/) });
  });

  it('40,000 unclosed `${` are plain text', () => {
    expect(fast(() => findReferences('${'.repeat(40_000)))).toEqual([]);
    expect(fast(() => findReferences(`${'$<'.repeat(40_000)}\${a:b}`))).toMatchObject([{ section: 'a', option: 'b' }]);
  });
});

describe('a value cannot grow without bound', () => {
  it('doubling references 25 times stop at 16 MiB with an error naming the option', async () => {
    const lines = ['[x]', 'l0 = ab'];
    for (let level = 1; level <= 25; level++) lines.push(`l${level} = \${x:l${level - 1}}\${x:l${level - 1}}`);
    const { dir, buildout } = await loadTree({ 'buildout.cfg': cfg('[buildout]', ...lines) });
    // 2 << 23 characters is exactly 16 MiB: still allowed
    expect(buildout.get('x', 'l23')).toHaveLength(16 * 1024 * 1024);
    for (const option of ['l24', 'l25']) {
      await expectBuildoutError(() => buildout.get('x', option), {
        code: 'VALUE_TOO_LARGE',
        file: join(dir, 'buildout.cfg'),
        line: 27,
        words: ['x:l24', '16 MiB'],
      });
    }
  });
});

describe('a reference cycle is reported once', () => {
  const cycle = (size: number): string =>
    cfg('[buildout]', '[x]', ...Array.from({ length: size }, (_, index) => `o${index} = \${x:o${(index + 1) % size}}`));

  it('toJSON calls onUnresolvable once for a 10,000-option cycle and keeps every raw value', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': cycle(10_000) });
    const reports: string[] = [];
    const { sections } = fast(() => buildout.toJSON({ onUnresolvable: (error) => reports.push(error.message) }));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^circular reference in substitutions: x:o0 -> x:o1 -> .* -> x:o9 -> \.\.\. \(9981 more\) -> .* -> x:o0$/);
    expect(reports[0]!.length).toBeLessThan(400);
    expect(sections.x!.o5000).toBe('${x:o5001}');
  });

  it('annotate prints one warning for it', async () => {
    const dir = tree({ 'buildout.cfg': cycle(10_000) });
    const result = await runCli(['-U', 'annotate', '--json'], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('buildout: warning:'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('circular reference');
    expect(JSON.parse(result.stdout).sections.x.o1).toBe('${x:o2}');
  });

  it('a short cycle still shows its whole chain', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': cycle(3) });
    await expectBuildoutError(() => buildout.get('x', 'o1'), {
      code: 'CIRCULAR_REFERENCE',
      words: ['x:o1 -> x:o2 -> x:o0 -> x:o1'],
    });
  });
});
