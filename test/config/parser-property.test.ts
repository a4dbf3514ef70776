// Properties of the parser and loader on arbitrary input: they never throw
// anything but a coded BuildoutError, and CRLF never changes the result.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBuildoutError, loadBuildout, parseConfigText, type ParsedSection } from './api.js';
import { tempDir } from './helpers.js';

const FILE = '/fuzz/buildout.cfg';

// Lines that look like buildout.cfg, broken ones included, plus noise.
const line = fc.oneof(
  fc.constantFrom(
    '[buildout]',
    '[s]',
    '[s: linux]',
    '[s: not (windows or macosx)]',
    '[s: sys_platform == "linux"]',
    '[s: nonsense ((]',
    '[bad name]',
    '[',
    ']',
    'parts = s',
    'extends =',
    'x = ${s:y}',
    'y = ${:x}',
    'z = $<s:x> $${s:x} $$',
    'w = ${broken',
    'v = ${a:b:c}',
    'x += more',
    'x -= more',
    'x+=tight',
    '<= s',
    '=> s',
    'a: b',
    '# comment',
    '; comment',
    '    indented',
    '\tindented # data',
    '',
    '   ',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const text = fc.array(line, { maxLength: 25 }).map((lines) => lines.join('\n'));

function strip(sections: ParsedSection[]) {
  return sections.map((section) => ({
    name: section.name,
    line: section.location.line,
    options: section.options.map((option) => [option.name, option.operator, option.value, option.location.line]),
  }));
}

function outcome(action: () => unknown): unknown {
  try {
    return { value: action() };
  } catch (error) {
    if (!isBuildoutError(error)) throw error;
    return { code: error.code, line: error.location?.line };
  }
}

describe('parseConfigText on arbitrary input', () => {
  it('returns sections or throws a SYNTAX/CONDITION BuildoutError with a location in the file', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (input, withEvaluator) => {
        try {
          parseConfigText(input, FILE, withEvaluator ? { evaluateCondition: (expression) => expression.length % 2 === 0 } : {});
        } catch (error) {
          if (!isBuildoutError(error)) throw error;
          expect(['SYNTAX', 'CONDITION']).toContain(error.code);
          expect(error.location?.file).toBe(FILE);
          expect(error.location?.line).toBeGreaterThanOrEqual(1);
          expect(error.location?.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same result for CRLF as for LF', () => {
    fc.assert(
      fc.property(text, (input) => {
        const lf = input.replace(/\r/g, '');
        const evaluate = { evaluateCondition: (expression: string) => expression.includes('linux') };
        const viaLf = outcome(() => strip(parseConfigText(lf, FILE, evaluate)));
        const viaCrlf = outcome(() => strip(parseConfigText(lf.replace(/\n/g, '\r\n'), FILE, evaluate)));
        expect(viaCrlf).toEqual(viaLf);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('loadBuildout on arbitrary single-file configs', () => {
  it('loads and resolves every value, or fails with a coded BuildoutError', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'buildout.cfg');
    await fc.assert(
      fc.asyncProperty(text, async (input) => {
        writeFileSync(configFile, input);
        try {
          const buildout = await loadBuildout({ configFile, userDefaults: false, env: {} });
          for (const section of buildout.sectionNames()) {
            for (const option of buildout.optionNames(section)) {
              try {
                buildout.get(section, option);
              } catch (error) {
                if (!isBuildoutError(error)) throw error;
              }
            }
          }
          buildout.toJSON({ onUnresolvable: () => undefined });
        } catch (error) {
          if (!isBuildoutError(error)) throw error;
          expect(error.code).toMatch(/^[A-Z_]+$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
