import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPythonSpaceCode } from '@buildout/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue, formatInstalledCfg, parseInstalledCfg, StateStore, type InstalledPart } from './state.js';
import { tree } from './__fixtures__/support.js';

const part = (options: Record<string, string>, installed: string[] = [], signature = 'r@1'): InstalledPart => ({
  options,
  installed,
  signature,
});

describe('.installed.cfg', () => {
  it("uses zc.buildout's layout", () => {
    const text = formatInstalledCfg({
      parts: new Map([
        ['a', part({ recipe: './r.mjs', lines: 'one\ntwo' }, ['parts/a', '/abs/b'])],
        ['b', part({ recipe: 'pkg' }, [], 'pkg@2.0.0')],
      ]),
    });
    expect(text).toBe(
      [
        '[buildout]',
        'parts = a b',
        '',
        '[a]',
        '__buildout_installed__ = parts/a',
        '\t/abs/b',
        '__buildout_signature__ = r@1',
        'recipe = ./r.mjs',
        'lines = one',
        '\ttwo',
        '',
        '[b]',
        '__buildout_installed__ = ',
        '__buildout_signature__ = pkg@2.0.0',
        'recipe = pkg',
        '',
      ].join('\n'),
    );
  });

  it('reads back exactly what it wrote, whatever the values hold (config parser round trip)', () => {
    const value = fc.string({
      // Python's str.strip() also trims \f, \v, \x1c-\x1f and Unicode spaces (U+00A0, U+2028, U+3000...).
      unit: fc.constantFrom(
        ...['a', 'b', ' ', '\t', '\n', '\r', '\f', '\v', '\x1c', '\x85', '\u00a0', '\u2028', '\u3000'],
        ...['%', '(', ')', '$', '{', '}', ':', '#', ';', '=', '[', ']', 'é'],
      ),
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('x', 'y', 'path', 'z-1', '<part-dependencies>'), value),
        fc.array(value.filter((path) => path !== '' && !path.includes('\n'))),
        (options, installed) => {
          const text = formatInstalledCfg({ parts: new Map([['p', part(options, installed)]]) });
          const back = parseInstalledCfg(text, '/test/.installed.cfg').get('p')!;
          expect(back.options).toEqual(options);
          expect(back.installed).toEqual(installed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('escapes only what the parser would lose, keeping lines readable', () => {
    expect(encodeValue('a\nb')).toBe('a\n\tb');
    expect(encodeValue('  padded ')).toBe('%(__buildout_space__)s%(__buildout_space__)spadded%(__buildout_space__)s');
    expect(encodeValue('a\n\nb')).toBe('a%(__buildout_space_n__)s\n\tb');
    expect(decodeValue('%(__buildout_percent__)s(__buildout_space__)s')).toBe('%(__buildout_space__)s');
  });

  it('escapes a character at the end of a value exactly when Python would strip it there', () => {
    const disagreeing: number[] = [];
    for (let code = 0; code < 0xd800; code++) {
      const char = String.fromCharCode(code);
      if ((encodeValue(`a${char}`) !== `a${char}`) !== isPythonSpaceCode(code)) disagreeing.push(code);
    }
    expect(disagreeing).toEqual([]);
  });

  it('encodes and reads back 80,000 spaces inside and around a value in linear time (issue 8)', () => {
    const spaces = ' '.repeat(80_000);
    const value = `${spaces}a${spaces}\f${spaces}b${spaces}\n${spaces}`;
    const started = performance.now();
    const state = { parts: new Map([['a', part({ value })]]) };
    const read = parseInstalledCfg(formatInstalledCfg(state), '.installed.cfg');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(read.get('a')!.options.value).toBe(value);
  });

  it('reports a corrupt file with a hint instead of guessing', () => {
    expect(() => parseInstalledCfg('[buildout]\nparts = a\n', '/x/.installed.cfg')).toThrow(
      /part a is listed as installed but has no section/,
    );
    expect(() => parseInstalledCfg('garbage without section\n', '/x/.installed.cfg')).toThrow(/cannot be read/);
  });
});

describe('StateStore', () => {
  it('journals finished parts and folds them into .installed.cfg', async () => {
    const root = tree({});
    const store = new StateStore(join(root, '.installed.cfg'));
    store.append({ op: 'record', part: 'a', state: part({ x: '1' }, ['parts/a']) });
    expect(existsSync(store.journalFile)).toBe(true);
    const loaded = new StateStore(store.file).load();
    expect(loaded.recovered).toBe(true);
    expect([...loaded.state.parts.keys()]).toEqual(['a']);
    await store.save(loaded.state);
    expect(existsSync(store.journalFile)).toBe(false);
    expect(readFileSync(store.file, 'utf8')).toContain('[a]');
    expect(new StateStore(store.file).load()).toMatchObject({ recovered: false, interrupted: [] });
  });

  it('replays a dead run: finished parts kept, removed ones gone, unfinished ones reported with their paths', async () => {
    const root = tree({});
    const file = join(root, '.installed.cfg');
    await new StateStore(file).save({
      parts: new Map([
        ['old', part({})],
        ['kept', part({})],
      ]),
    });
    const store = new StateStore(file);
    store.append({ op: 'remove', part: 'old' });
    store.append({ op: 'created', part: 'new', paths: ['parts/new'] });
    store.append({ op: 'record', part: 'new', state: part({}, ['parts/new']) });
    store.append({ op: 'created', part: 'failed', paths: ['parts/failed'] });
    store.append({ op: 'discard', part: 'failed' });
    store.append({ op: 'created', part: 'killed', paths: ['parts/killed/a'] });
    store.append({ op: 'created', part: 'killed', paths: ['parts/killed/b'] });
    // A write cut short by the kill.
    appendFileSync(store.journalFile, '{"op":"rec');
    const loaded = new StateStore(file).load();
    expect([...loaded.state.parts.keys()]).toEqual(['kept', 'new']);
    expect(loaded.interrupted).toEqual([{ part: 'killed', paths: ['parts/killed/a', 'parts/killed/b'] }]);
  });

  it('deletes .installed.cfg when no part is left', async () => {
    const root = tree({ '.installed.cfg': '[buildout]\nparts =\n' });
    await new StateStore(join(root, '.installed.cfg')).save({ parts: new Map() });
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
  });
});
