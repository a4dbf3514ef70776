// Spec "Substitution": ${section:option}, ${:option}, $<section:option>, $$,
// _buildout_section_name_, errors, lazy resolution; and the Buildout API
// around values (raw, getOptional, set, defineSection, references, location).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuildoutError } from './api.js';
import { cfg, expectBuildoutError, loadTree } from './helpers.js';

const paths = cfg('[buildout]', 'parts =', '[paths]', 'home = /home/app', 'name = app', 'dotted.name-with_chars = ok');

describe('references', () => {
  it('substitutes ${section:option} and ${:option}, chained across sections', async () => {
    const { dir, buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[buildout]',
        'parts =',
        '[a]',
        'value = ${b:value}/a',
        'own = ${:value}!',
        '[b]',
        'value = ${c:value}/b',
        '[c]',
        'value = ${buildout:directory}/c',
      ),
    });
    expect(buildout.get('a', 'value')).toBe(`${dir}/c/b/a`);
    expect(buildout.get('a', 'own')).toBe(`${dir}/c/b/a!`);
  });

  it('accepts $<section:option> and $<:option> as aliases', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': paths + cfg('[s]', 'angle = $<paths:home>/x', 'same = $<:angle>', 'mixed = $<paths:name>-${paths:name}'),
    });
    expect(buildout.resolveSection('s')).toEqual({ angle: '/home/app/x', same: '/home/app/x', mixed: 'app-app' });
  });

  it('allows - . _ and digits in names', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': paths + cfg('[my-section.v2_x]', 'a = ${paths:dotted.name-with_chars}', '[s]', 'b = ${my-section.v2_x:a}'),
    });
    expect(buildout.get('s', 'b')).toBe('ok');
  });

  it('protects with $$: the value is split on $$ and the $$ stays in it', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg':
        paths +
        cfg(
          '[s]',
          'escaped = $${paths:home}',
          'mixed = ${paths:home} and $${paths:home}',
          'triple = $$${paths:home}',
          'quadruple = $$$${paths:home}',
          'alias = $$<paths:home>',
          'shell = echo $HOME $1 $',
          'make = $$(CC) -o $$@',
          'unclosed = ${paths:home',
          'via = ${:escaped}',
        ),
    });
    expect(buildout.resolveSection('s')).toEqual({
      escaped: '$${paths:home}',
      mixed: '/home/app and $${paths:home}',
      triple: '$$/home/app',
      quadruple: '$$$${paths:home}',
      alias: '$$<paths:home>',
      shell: 'echo $HOME $1 $',
      make: '$$(CC) -o $$@',
      unclosed: '${paths:home',
      via: '$${paths:home}',
    });
  });

  it('gives the referencing section’s name for _buildout_section_name_ when there is no such option', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[worker]',
        'me = ${:_buildout_section_name_}',
        'elsewhere = ${other:_buildout_section_name_}',
        'chained = ${other:label}',
        '[other]',
        'label = ${:_buildout_section_name_}',
        '[named]',
        '_buildout_section_name_ = explicit',
        'me = ${:_buildout_section_name_}',
      ),
    });
    expect(buildout.get('worker', 'me')).toBe('worker');
    expect(buildout.get('worker', 'elsewhere')).toBe('worker');
    expect(buildout.get('worker', 'chained')).toBe('other');
    expect(buildout.get('named', 'me')).toBe('explicit');
  });

  it('substitutes command-line values', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': paths }, { assignments: ['s:x=${paths:home}/cli'] });
    expect(buildout.get('s', 'x')).toBe('/home/app/cli');
  });
});

describe('reference errors', () => {
  async function failing(value: string) {
    const { dir, buildout } = await loadTree({ 'buildout.cfg': paths + cfg('[s]', 'ok = fine', `bad = ${value}`) });
    return { file: join(dir, 'buildout.cfg'), get: () => buildout.get('s', 'bad') };
  }

  it.each([
    ['${paths}', 'BAD_REFERENCE', ['colon']],
    ['${a:b:c}', 'BAD_REFERENCE', ['colons']],
    ['${pa/ths:home}', 'BAD_REFERENCE', ['section', 'invalid']],
    ['${paths:ho/me}', 'BAD_REFERENCE', ['option', 'invalid']],
    ['${nowhere:home}', 'MISSING_SECTION', ["'nowhere'", 'not defined']],
    ['${paths:nothing}', 'MISSING_OPTION', ['paths', 'nothing']],
    ['$<nowhere:home>', 'MISSING_SECTION', ["'nowhere'"]],
  ])('%s: %s at the option’s line', async (value, code, words) => {
    const { file, get } = await failing(value);
    await expectBuildoutError(get, { code, file, line: 9, words });
  });

  it('points the column at the reference', async () => {
    const { get } = await failing('prefix ${nowhere:home}');
    const error = await expectBuildoutError(get, { code: 'MISSING_SECTION', line: 9 });
    expect(error.location?.column).toBe('bad = prefix '.length + 1);
  });

  it('reports a reference found through another option where that option is', async () => {
    const { dir, buildout } = await loadTree({ 'buildout.cfg': cfg('[a]', 'x = ${b:y}', '[b]', 'y = ${nowhere:z}') });
    await expectBuildoutError(() => buildout.get('a', 'x'), {
      code: 'MISSING_SECTION',
      file: join(dir, 'buildout.cfg'),
      line: 4,
      words: ['nowhere'],
    });
  });

  it('hints at a close section name', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': cfg('[supervisor]', 'port = 1', '[s]', 'x = ${supervisr:port}') });
    const error = await expectBuildoutError(() => buildout.get('s', 'x'), { code: 'MISSING_SECTION', words: ['supervisr'] });
    expect(error.hint ?? '').toContain('supervisor');
  });

  it('reports a circular reference with the whole chain', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[a]', 'x = ${b:y}', '[b]', 'y = ${c:z}', '[c]', 'z = ${a:x}', '[d]', 'start = ${a:x}'),
    });
    const error = await expectBuildoutError(() => buildout.get('d', 'start'), { code: 'CIRCULAR_REFERENCE' });
    const chain = ['a:x', 'b:y', 'c:z'].map((step) => error.message.indexOf(step));
    for (const position of chain) expect(position, error.message).toBeGreaterThanOrEqual(0);
    expect(
      [...chain].sort((p, q) => p - q),
      error.message,
    ).toEqual(chain);
    expect(error.message.lastIndexOf('a:x'), error.message).toBeGreaterThan(error.message.indexOf('c:z'));
  });

  it('reports an option referring to itself', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': cfg('[a]', 'x = ${:x}/more') });
    await expectBuildoutError(() => buildout.get('a', 'x'), { code: 'CIRCULAR_REFERENCE', words: ['a:x'] });
  });
});

describe('lazy resolution', () => {
  it('a broken reference in an unused section does not fail loading nor other sections', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': paths + cfg('[broken]', 'x = ${nowhere:y}', 'loop = ${:loop}', '[fine]', 'home = ${paths:home}'),
    });
    expect(buildout.get('fine', 'home')).toBe('/home/app');
    expect(buildout.resolveSection('fine')).toEqual({ home: '/home/app' });
    expect(buildout.raw('broken', 'x')).toBe('${nowhere:y}');
    await expectBuildoutError(() => buildout.get('broken', 'x'), { code: 'MISSING_SECTION' });
    await expectBuildoutError(() => buildout.resolveSection('broken'), { code: 'MISSING_SECTION' });
  });

  it('a broken option does not fail other options of its section', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': cfg('[s]', 'bad = ${nowhere:y}', 'good = yes') });
    expect(buildout.get('s', 'good')).toBe('yes');
  });
});

describe('the Buildout value API', () => {
  it('raw gives the unsubstituted value after layering and macros', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': paths + cfg('[m]', 'x = ${paths:home}', '[s]', '<= m', 'y = $${z}', 'x += more'),
    });
    expect(buildout.raw('s', 'x')).toBe('${paths:home}\nmore');
    expect(buildout.raw('s', 'y')).toBe('$${z}');
    expect(buildout.raw('s', 'nothing')).toBeUndefined();
  });

  it('get and optionNames of a missing section are MISSING_SECTION; getOptional tells a missing option', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': paths });
    await expectBuildoutError(() => buildout.get('nowhere', 'x'), { code: 'MISSING_SECTION', words: ['nowhere'] });
    await expectBuildoutError(() => buildout.optionNames('nowhere'), { code: 'MISSING_SECTION' });
    await expectBuildoutError(() => buildout.get('paths', 'nothing'), { code: 'MISSING_OPTION', words: ['nothing'] });
    expect(buildout.getOptional('paths', 'nothing')).toBeUndefined();
    expect(buildout.getOptional('paths', 'home')).toBe('/home/app');
  });

  it('set overrides a value for later substitutions', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': paths + cfg('[s]', 'x = original', 'y = ${:x}/y') });
    buildout.set('s', 'x', 'computed');
    expect(buildout.get('s', 'x')).toBe('computed');
    expect(buildout.get('s', 'y')).toBe('computed/y');
    expect(buildout.history('s', 'x').at(-1)?.source.kind).toBe('computed');
  });

  it('defineSection adds a section with raw values and refuses an existing one', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': paths });
    buildout.defineSection('generated', { where: '${paths:home}/gen' });
    expect(buildout.hasSection('generated')).toBe(true);
    expect(buildout.get('generated', 'where')).toBe('/home/app/gen');
    expect(() => buildout.defineSection('paths', { x: '1' })).toThrow();
  });

  it('references lists referenced sections in order of first reference, without the section itself', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': paths + cfg('[s]', 'a = ${b:x} ${:own} $<paths:home>', 'b = ${b:y} ${c:z}', 'own = 1'),
    });
    expect(buildout.references('s')).toEqual(['b', 'paths', 'c']);
  });

  it('references leaves out escaped $${s:o} and $$<s:o>, which substitution leaves alone', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': paths + cfg('[escaped]', 'no = 1', '[s]', 'a = $${escaped:no} $$<escaped:no> ${paths:home}'),
    });
    expect(buildout.references('s')).toEqual(['paths']);
  });

  it('location tells where a section and an option were written', async () => {
    const { dir, buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '', '[s]', 'x = top'),
      'base.cfg': cfg('[s]', 'x = base', 'y = base'),
    });
    expect(buildout.location('s', 'x')).toEqual({ file: join(dir, 'buildout.cfg'), line: 5, column: 1 });
    expect(buildout.location('s', 'y')).toEqual({ file: join(dir, 'base.cfg'), line: 3, column: 1 });
    expect(buildout.location('s')?.file).toMatch(/(buildout|base)\.cfg$/);
    expect(buildout.location('buildout', 'bin-directory')).toBeUndefined();
  });

  it('sectionNames lists sections in order of first definition', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[z]', '[a]', 'x = 1'),
      'base.cfg': cfg('[m]', '[a]'),
    });
    const names = buildout.sectionNames();
    expect(names.filter((name) => name !== 'buildout')).toEqual(['m', 'a', 'z']);
  });
});

describe('deep configurations', () => {
  /** The value, or the code of the BuildoutError; anything else (a stack overflow) fails the test. */
  function valueOrCode(read: () => string): string {
    try {
      return read();
    } catch (error) {
      if (isBuildoutError(error)) return `error ${error.code}`;
      throw error;
    }
  }

  it('a chain of 5000 references resolves, or fails with a coded error, never a stack overflow', async () => {
    const depth = 5000;
    const lines = ['[buildout]', 'parts ='];
    for (let i = 0; i < depth; i += 1) lines.push(`[s${i}]`, `x = \${s${i + 1}:x}/${i}`);
    lines.push(`[s${depth}]`, 'x = end');
    const { buildout } = await loadTree({ 'buildout.cfg': cfg(...lines) });
    const value = valueOrCode(() => buildout.get('s0', 'x'));
    if (!value.startsWith('error ')) expect(value).toBe(['end', ...Array.from({ length: depth }, (_, i) => depth - 1 - i)].join('/'));
  });

  it('a chain of 3000 nested macros expands, or fails with a coded error, never a stack overflow', async () => {
    const depth = 3000;
    const lines = ['[buildout]', 'parts =', '[m0]', 'x = 0'];
    for (let i = 1; i < depth; i += 1) lines.push(`[m${i}]`, `<= m${i - 1}`, `y${i} = ${i}`);
    const { buildout } = await loadTree({ 'buildout.cfg': cfg(...lines) });
    const value = valueOrCode(() => buildout.get(`m${depth - 1}`, 'x'));
    if (!value.startsWith('error ')) expect(value).toBe('0');
  });
});
