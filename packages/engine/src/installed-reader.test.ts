import { parseConfigText } from '@buildout/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWrittenSections } from './installed-reader.js';
import { formatInstalledCfg, type InstalledPart } from './state.js';

/** What the config parser reads from the text: the reader must agree with it whenever it answers. */
function parsed(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  for (const section of parseConfigText(text, '.installed.cfg')) {
    const options = sections.get(section.name) ?? new Map<string, string>();
    for (const option of section.options) options.set(option.name, option.value);
    sections.set(section.name, options);
  }
  return sections;
}

/** Whitespace to Python's str.strip() that encodeValue leaves as it is. */
const PYTHON_ONLY_SPACE = ['\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\u3000'];

const part = (options: Record<string, string>, installed: string[]): InstalledPart => ({ options, installed, signature: 'r@1' });

describe('the reader of the written .installed.cfg layout', () => {
  it('reads everything formatInstalledCfg writes, exactly as the config parser does', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', ' ', '\t', '\n', '\r', '\f', '\x1c', '\x85', '\u3000', '%', '(', ')', '$', '{', '#', ';', '=', '[', 'é'),
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('x', 'y', 'path', 'z-1', 'a+b', '<part-dependencies>'), text),
        fc.array(text.filter((path) => path !== '' && !path.includes('\n'))),
        (options, installed) => {
          const written = formatInstalledCfg({ parts: new Map([['p', part(options, installed)]]) });
          let expected: Map<string, Map<string, string>> | undefined;
          try {
            expected = parsed(written);
          } catch {
            expected = undefined; // the parser refuses it: the reader must not accept it either
          }
          const read = readWrittenSections(written);
          if (read !== undefined) expect(read).toEqual(expected);
          // values without Python-only whitespace at a line's edge are always in the layout
          if (![...written].some((char) => PYTHON_ONLY_SPACE.includes(char))) expect(read).toBeDefined();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers undefined for what it does not know, so the parser reads it', () => {
    for (const text of [
      '# a comment\n[buildout]\nparts =\n',
      '[buildout]\nparts = a\n; comment\n',
      '[buildout]\r\nparts = a\r\n',
      '[buildout]\nparts=a\n',
      '[buildout]\nparts += a\n',
      '[buildout]\nparts = a \n',
      '[ buildout ]\nparts = a\n',
      '[s:linux]\nx = 1\n',
      '[buildout]\nparts =\n\ta\n',
      '[buildout]\nparts = a\n  b\n',
      'parts = a\n',
      '\ufeff[buildout]\nparts = a\n',
    ]) {
      expect(readWrittenSections(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('agrees with the parser on random lines whenever it answers', () => {
    const line = fc.constantFrom(
      '[a]',
      '[b]',
      '[]',
      'x = 1',
      'x = ',
      'x =',
      'y = 2 3',
      'x = 1 = 2',
      '\tmore',
      '\t',
      '',
      '=> a',
      '=>',
      '=>a',
      'x+ = 1',
      'x = %(y)s',
      ' x = 1',
    );
    fc.assert(
      // With and without a newline after the last line.
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, newline) => {
        const text = `${lines.join('\n')}${newline ? '\n' : ''}`;
        const read = readWrittenSections(text);
        if (read === undefined) return;
        expect(read).toEqual(parsed(text));
      }),
      { numRuns: 2000 },
    );
  });
});
