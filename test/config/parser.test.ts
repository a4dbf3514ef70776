// Spec "File syntax", through parseConfigText(text, file, options).
import { describe, expect, it } from 'vitest';
import { parseConfigText, type ParsedSection } from './api.js';
import { cfg, expectBuildoutError } from './helpers.js';

const FILE = '/project/buildout.cfg';

function parse(text: string, evaluate?: (expression: string) => boolean): ParsedSection[] {
  return parseConfigText(text, FILE, evaluate ? { evaluateCondition: (expression) => evaluate(expression) } : {});
}

/** section name -> option name -> value, for sections written once. */
function values(text: string): Record<string, Record<string, string>> {
  const result: Record<string, Record<string, string>> = {};
  for (const section of parse(text)) {
    result[section.name] ??= {};
    const options = result[section.name]!;
    for (const option of section.options) options[option.name] = option.value;
  }
  return result;
}

function option(text: string, section: string, name: string) {
  const found = parse(text)
    .filter((candidate) => candidate.name === section)
    .flatMap((candidate) => candidate.options)
    .filter((candidate) => candidate.name === name);
  expect(found, `${section}:${name}`).toHaveLength(1);
  return found[0]!;
}

describe('section headers', () => {
  it('reads [name] with its location (line of the header, column 1)', () => {
    const sections = parse(cfg('', '# comment', '[first]', 'a = 1', '', '[second]'));
    expect(sections.map((section) => section.name)).toEqual(['first', 'second']);
    expect(sections[0]!.location).toEqual({ file: FILE, line: 3, column: 1 });
    expect(sections[1]!.location).toEqual({ file: FILE, line: 6, column: 1 });
  });

  it('allows a # or ; comment after the closing bracket', () => {
    expect(values(cfg('[a] # hash comment', 'x = 1', '[b] ; semicolon comment', 'y = 2', '[c]   ', 'z = 3'))).toEqual({
      a: { x: '1' },
      b: { y: '2' },
      c: { z: '3' },
    });
  });

  it('keeps names case-sensitive and allows dots, dashes and underscores', () => {
    expect(values(cfg('[App]', 'Key = 1', 'key = 2', '[app.sub-part_2]', 'x = y'))).toEqual({
      App: { Key: '1', key: '2' },
      'app.sub-part_2': { x: 'y' },
    });
  });

  it.each([
    ['whitespace', '[a b]'],
    ['a brace', '[a{b}]'],
    ['a semicolon', '[a;b]'],
    ['a hash', '[a#b]'],
    ['nothing', '[]'],
    ['an unclosed bracket', '[abc'],
  ])('rejects a section name with %s', async (_what, header) => {
    await expectBuildoutError(() => parse(cfg('[ok]', 'a = 1', header, 'b = 2')), {
      code: 'SYNTAX',
      file: FILE,
      line: 3,
    });
  });

  it('merges a repeated section into the first, a later option replacing an earlier one (as zc.buildout 6 does)', () => {
    const sections = parse(cfg('[a]', 'x = 1', '[b]', 'y = 2', '[a]', 'x = 3', 'z = 4'));
    expect(sections.map((section) => [section.name, section.options.map((o) => `${o.name}=${o.value}`)])).toEqual([
      ['a', ['x=3', 'z=4']],
      ['b', ['y=2']],
    ]);
  });

  it('parses an empty text, or one of comments only, to no sections', () => {
    expect(parse('')).toEqual([]);
    expect(parse(cfg('# only', '; comments', '', '   '))).toEqual([]);
  });
});

describe('conditional headers', () => {
  it('without an evaluator, a condition is a syntax error at the header', async () => {
    await expectBuildoutError(() => parse(cfg('[a]', 'x = 1', '[b: linux]', 'y = 2')), {
      code: 'SYNTAX',
      file: FILE,
      line: 3,
    });
  });

  it('passes the expression to the evaluator and leaves out false sections with their options', () => {
    const seen: string[] = [];
    const sections = parse(
      cfg(
        '[a]',
        'x = 1',
        '[a: yes]  # comment',
        'y = 2',
        '[a: no]',
        'z = 3',
        'block =',
        '    continuation of a skipped option',
        '[b: no]',
        'w = 4',
      ),
      (expression) => {
        seen.push(expression.trim());
        return expression.trim() === 'yes';
      },
    );
    expect(seen).toEqual(['yes', 'no', 'no']);
    expect(sections.map((section) => [section.name, section.options.map((o) => o.name)])).toEqual([['a', ['x', 'y']]]);
  });

  it('skips a false first section of a file (zc.buildout crashes there)', () => {
    const sections = parse(cfg('[a: no]', 'x = 1', '  more', '[b]', 'y = 2'), () => false);
    expect(sections.map((section) => section.name)).toEqual(['b']);
  });

  it('gives the evaluator the header location', () => {
    const locations: unknown[] = [];
    parseConfigText(cfg('[a]', '[b: c]'), FILE, {
      evaluateCondition: (_expression, location) => {
        locations.push(location);
        return true;
      },
    });
    expect(locations).toHaveLength(1);
    expect(locations[0]).toMatchObject({ file: FILE, line: 2 });
  });
});

describe('options', () => {
  it('reads name = value with the operator, trimmed name and value, and location', () => {
    const sections = parse(cfg('[s]', 'plain = 1', 'add += 2', 'remove -= 3', 'tight=4', 'tightadd+=5', '  '));
    expect(sections[0]!.options.map((o) => [o.name, o.operator, o.value])).toEqual([
      ['plain', '=', '1'],
      ['add', '+=', '2'],
      ['remove', '-=', '3'],
      ['tight', '=', '4'],
      ['tightadd', '+=', '5'],
    ]);
    expect(sections[0]!.options[1]!.location).toEqual({ file: FILE, line: 3, column: 1 });
  });

  it('splits at the first = only', () => {
    expect(option(cfg('[s]', 'equation = a = b == c'), 's', 'equation').value).toBe('a = b == c');
  });

  it('rejects `name: value` (= is the only separator)', async () => {
    await expectBuildoutError(() => parse(cfg('[s]', 'ok = 1', 'bad: 2')), { code: 'SYNTAX', file: FILE, line: 3 });
  });

  it('rejects an option before the first section', async () => {
    await expectBuildoutError(() => parse(cfg('', 'a = 1', '[s]')), { code: 'SYNTAX', file: FILE, line: 2 });
  });

  it('rejects a line that is neither header, option nor continuation', async () => {
    await expectBuildoutError(() => parse(cfg('[s]', 'a = 1', 'just words')), { code: 'SYNTAX', file: FILE, line: 3 });
  });

  it('rejects an indented line right after a header', async () => {
    await expectBuildoutError(() => parse(cfg('[s]', '    indented = 1')), { code: 'SYNTAX', file: FILE, line: 2 });
  });

  it('reads `=> a b` at column 0 as the option <part-dependencies>', () => {
    const dependencies = option(cfg('[s]', 'recipe = x', '=> a b'), 's', '<part-dependencies>');
    expect(dependencies.value).toBe('a b');
    expect(dependencies.operator).toBe('=');
    expect(dependencies.location.line).toBe(3);
  });

  it('reads `<= a b` as the option <', () => {
    expect(option(cfg('[s]', '<= a b'), 's', '<').value).toBe('a b');
  });

  it('has no % interpolation and no [DEFAULT] magic', () => {
    expect(values(cfg('[DEFAULT]', 'x = 1', '[s]', 'y = %(x)s'))).toEqual({ DEFAULT: { x: '1' }, s: { y: '%(x)s' } });
  });
});

describe('comments', () => {
  it('treats # and ; only at column 0 as comments', () => {
    expect(values(cfg('[s]', '# a = 1', '; b = 2', 'c = 3'))).toEqual({ s: { c: '3' } });
  });

  it('has no inline comments', () => {
    expect(values(cfg('[s]', 'a = 1 ; x # y', 'url = http://host/#anchor', 'semi = ;'))).toEqual({
      s: { a: '1 ; x # y', url: 'http://host/#anchor', semi: ';' },
    });
  });

  it('keeps an indented # or ; line inside a value as data, and skips column-0 comments inside it', () => {
    expect(option(cfg('[s]', 'v =', '    one', '    # data', '# comment', '    ; data too', '; comment', '    two'), 's', 'v').value).toBe(
      'one\n# data\n; data too\ntwo',
    );
  });
});

describe('continuation lines', () => {
  it('with a non-empty first line: trims every line and drops blank lines', () => {
    expect(option(cfg('[s]', 'v = first', '    second  ', '', '\tthird', '      ', '  fourth'), 's', 'v').value).toBe(
      'first\nsecond\nthird\nfourth',
    );
  });

  it('block value: dedents, keeps inner blank lines, drops leading blank lines and trailing whitespace', () => {
    const text = cfg('[s]', 'v =', '', '', '    a', '      b  ', '', '    c', '', '', 'next = 1');
    expect(option(text, 's', 'v').value).toBe('a\n  b\n\nc');
    expect(option(text, 's', 'next').value).toBe('1');
  });

  it('block value: removes only the common indentation', () => {
    expect(option(cfg('[s]', 'v =', '      six', '    four', '        eight'), 's', 'v').value).toBe('  six\nfour\n    eight');
  });

  it('an empty value stays empty, also when blank lines follow', () => {
    const text = cfg('[s]', 'empty =', '', '   ', 'other = x');
    expect(option(text, 's', 'empty').value).toBe('');
    expect(option(text, 's', 'other').value).toBe('x');
  });

  it('a continuation line may look like a header or an option', () => {
    expect(option(cfg('[s]', 'v =', '    [not-a-section]', '    a = b'), 's', 'v').value).toBe('[not-a-section]\na = b');
  });
});

describe('line endings', () => {
  it('accepts CRLF and gives the same values as LF', () => {
    const lines = ['[s]', 'a = 1', 'block =', '    x', '', '    y', 'inline = p', '  q', '[t: c]', 'b = 2'];
    const lf = parse(`${lines.join('\n')}\n`, () => true);
    const crlf = parse(`${lines.join('\r\n')}\r\n`, () => true);
    const strip = (sections: ParsedSection[]) =>
      sections.map((s) => ({ name: s.name, line: s.location.line, options: s.options.map((o) => [o.name, o.value, o.location.line]) }));
    expect(strip(crlf)).toEqual(strip(lf));
    expect(strip(crlf)[0]!.options).toEqual([
      ['a', '1', 2],
      ['block', 'x\n\ny', 3],
      ['inline', 'p\nq', 7],
    ]);
  });
});
