import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BuildoutError, isBuildoutError } from './errors.js';
import { parseConfigText, PART_DEPENDENCIES, type ParsedSection } from './parse.js';

const parse = (text: string, evaluate?: (expression: string) => boolean): ParsedSection[] =>
  parseConfigText(text, '/x/buildout.cfg', evaluate ? { evaluateCondition: (expression) => evaluate(expression) } : {});

const options = (text: string): Record<string, string> =>
  Object.fromEntries(
    parse(text).flatMap((section) =>
      section.options.map((o) => [`${section.name}:${o.name}${o.operator === '=' ? '' : o.operator}`, o.value]),
    ),
  );

function parseError(text: string): BuildoutError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof BuildoutError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('sections', () => {
  test('headers with spaces and trailing comments; a repeated section merges into the first', () => {
    const sections = parse('[ a ] # comment\nx = 1\n[b];c\n[a]\ny = 2\n');
    expect(sections.map((s) => s.name)).toEqual(['a', 'b']);
    expect(sections[0]!.location).toEqual({ file: '/x/buildout.cfg', line: 1, column: 1 });
    expect(sections[0]!.options.map((o) => o.name)).toEqual(['x', 'y']);
  });

  test('names are case-sensitive', () => {
    expect(parse('[A]\n[a]\n').map((s) => s.name)).toEqual(['A', 'a']);
  });

  test.each([
    ['[a b]', 'invalid section name'],
    ['[a{b}]', 'invalid section name'],
    ['[]', 'without a name'],
    ['[a', "not closed with ']'"],
    ['[a] x', "not closed with ']'"],
  ])('bad header %s', (header, message) => {
    const error = parseError(`${header}\n`);
    expect(error.code).toBe('SYNTAX');
    expect(error.message).toContain(message);
    expect(error.location?.line).toBe(1);
  });

  test('an option before any section is an error pointing at it', () => {
    const error = parseError('# hello\n\nx = 1\n');
    expect(error.message).toContain('outside any section');
    expect(error.location).toMatchObject({ line: 3, column: 1 });
  });

  test('a condition without an evaluator is an error', () => {
    expect(parseError('[a: linux]\n').message).toContain('condition');
  });

  test('false conditions drop the section and its lines; true ones keep them', () => {
    const sections = parse('[a]\nx = 1\n[b: no]\ny = 2\n  more\n[c: yes]\nz = 3\n', (e) => e === 'yes');
    expect(sections.map((s) => s.name)).toEqual(['a', 'c']);
    expect(sections[0]!.options.map((o) => o.value)).toEqual(['1']);
  });

  test('a disabled section does not leak its options or continuation lines into the previous one', () => {
    const sections = parse('[a]\nx = 1\n[a: no]\n  more\nx = 2\n', () => false);
    expect(sections).toHaveLength(1);
    expect(sections[0]!.options.map((o) => o.value)).toEqual(['1']);
  });

  test('the condition and its column reach the evaluator', () => {
    const seen: unknown[] = [];
    parseConfigText('[sec:  a == "b" ]\n', 'f', {
      evaluateCondition: (e, at) => {
        seen.push(e, at.column);
        return true;
      },
    });
    expect(seen).toEqual(['a == "b"', 8]);
  });
});

describe('options', () => {
  test('= is the only separator and values are stripped', () => {
    expect(options('[s]\na =   1  \nb=2\n')).toEqual({ 's:a': '1', 's:b': '2' });
    const error = parseError('[s]\na: 1\n');
    expect(error.message).toContain("use '=' only");
    expect(error.location).toMatchObject({ line: 2 });
  });

  test('+= and -= with or without spaces', () => {
    expect(options('[s]\na += 1\nb -= 2\nc+=3\nd-= 4\n')).toEqual({ 's:a+=': '1', 's:b-=': '2', 's:c+=': '3', 's:d-=': '4' });
  });

  test('names keep their case and may hold dots, dashes and <', () => {
    expect(options('[s]\nLog-Level = 1\na.b_c = 2\n<= base\n')).toEqual({ 's:Log-Level': '1', 's:a.b_c': '2', 's:<': 'base' });
  });

  test('=> at column 0 means part dependencies', () => {
    expect(options('[s]\n=> a b\n')).toEqual({ [`s:${PART_DEPENDENCIES}`]: 'a b' });
  });

  test('there are no inline comments', () => {
    expect(options('[s]\na = 1 ; x # y\n')).toEqual({ 's:a': '1 ; x # y' });
  });

  test('comment lines are skipped, even between the lines of a value', () => {
    expect(options('[s]\na = 1\n# c\n; d\n  2\n')).toEqual({ 's:a': '1\n2' });
  });

  test('an indented # line inside a value is data', () => {
    expect(options('[s]\na =\n  x\n  # not a comment\n')).toEqual({ 's:a': 'x\n# not a comment' });
  });

  test('option and value columns', () => {
    const [option] = parse('[s]\nname  =  value\n')[0]!.options;
    expect(option!.location).toMatchObject({ line: 2, column: 1 });
    expect(option!.valueColumn).toBe(10);
  });

  test('a later assignment of the same option replaces it, keeping its place', () => {
    const [section] = parse('[s]\na = 1\nb = 0\na = 2\n');
    expect(section!.options.map((o) => `${o.name}=${o.value}@${o.location.line}`)).toEqual(['a=2@4', 'b=0@3']);
  });

  test('repeated += / -= accumulate (zc.buildout 6), across same-name and conditional sections', () => {
    const text = '[s]\nx += a\n[s: yes]\nx += b\n  c\nx -= d\n[s: no]\nx += skipped\n[s]\nx +=\n  e\n';
    const [section] = parse(text, (expression) => expression === 'yes');
    // zc.buildout joins the text and dedents only values whose first line was empty,
    // so the indented block line of the last `x +=` keeps its indentation here.
    expect(section!.options.map((o) => [o.name, o.operator, o.value])).toEqual([
      ['x', '+=', 'a\nb\nc\n  e'],
      ['x', '-=', 'd'],
    ]);
    expect(section!.options[0]!.valueColumn).toBe(0); // no longer one written line
  });

  test('a plain assignment drops the += and -= before it in the same section', () => {
    expect(options('[s]\nx += a\nx -= b\nx = c\nx += d\n')).toEqual({ 's:x': 'c', 's:x+=': 'd' });
  });
});

describe('continuation lines', () => {
  test('first line non-empty: lines trimmed, blank lines dropped', () => {
    expect(options('[s]\na = one\n    two  \n\n\t three\n')).toEqual({ 's:a': 'one\ntwo\nthree' });
  });

  test('first line empty: dedented block, blank lines kept inside, edges trimmed', () => {
    expect(options('[s]\na =\n\n    one\n      two\n\n    three   \n\n')).toEqual({ 's:a': 'one\n  two\n\nthree' });
  });

  test('an empty value stays empty', () => {
    expect(options('[s]\na =\nb = 2\n')).toEqual({ 's:a': '', 's:b': '2' });
  });

  test('mixed tabs and spaces dedent by the common prefix only', () => {
    expect(options('[s]\na =\n \tx\n  y\n')).toEqual({ 's:a': '\tx\n y' });
  });

  test('an indented line right after a header is a syntax error', () => {
    const error = parseError('[s]\n  x = 1\n');
    expect(error.message).toContain('no option to continue');
    expect(error.location).toMatchObject({ line: 2, column: 1 });
  });

  test('CRLF and lone CR line endings', () => {
    expect(options('[s]\r\na = 1\r\n  2\r\nb = 3\r')).toEqual({ 's:a': '1\n2', 's:b': '3' });
  });

  test('a byte order mark is ignored', () => {
    expect(options('\ufeff[s]\na = 1\n')).toEqual({ 's:a': '1' });
  });
});

describe('property: the parser only ever throws its own coded error', () => {
  const lineArbitrary = fc.oneof(
    fc.string(),
    fc.constantFrom(
      '[buildout]',
      '[a: linux]',
      'x = 1',
      'x += 2',
      'y -=',
      '  indented',
      '=> a',
      '<= b',
      '#c',
      ';c',
      '',
      '\t',
      '[',
      ']',
      ':',
      '\r',
    ),
    fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('=', '+=', '-=', ':', ''), fc.string({ maxLength: 8 }))
      .map(([a, op, b]) => `${a}${op}${b}`),
  );

  test('arbitrary lines', () => {
    fc.assert(
      fc.property(
        fc.array(lineArbitrary, { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        (lines, newline, conditions) => {
          try {
            const sections = parseConfigText(
              lines.join(newline),
              'f.cfg',
              conditions ? { evaluateCondition: (e) => e.length % 2 === 0 } : {},
            );
            for (const section of sections) {
              expect(section.name).not.toMatch(/[\s#[\]:;{}]/);
              for (const option of section.options) expect(option.location.line).toBeGreaterThan(0);
            }
          } catch (error) {
            if (!isBuildoutError(error)) throw error;
            expect(error.location?.file).toBe('f.cfg');
            expect(error.location!.line).toBeGreaterThan(0);
            expect(error.location!.line).toBeLessThanOrEqual(Math.max(1, lines.join(newline).split(/\r\n|\r|\n/).length));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        try {
          parseConfigText(text, 'f.cfg');
        } catch (error) {
          if (!isBuildoutError(error)) throw error;
          expect(error.code).toMatch(/^(SYNTAX)$/);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
