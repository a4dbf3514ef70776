// Spec "Substitution", macros `<=`.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cfg, expectBuildoutError, loadTree } from './helpers.js';

describe('macros <=', () => {
  it('copy the base’s options; the section’s own options win; `<` is not an option', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[base]', 'recipe = r', 'port = 1', 'host = localhost', '[user]', '<= base', 'port = 2'),
    });
    expect(buildout.resolveSection('user')).toEqual({ recipe: 'r', port: '2', host: 'localhost' });
    expect(buildout.optionNames('user')).not.toContain('<');
    expect(buildout.raw('user', '<')).toBeUndefined();
    expect(buildout.toJSON().sections.user).toEqual({ recipe: 'r', port: '2', host: 'localhost' });
  });

  it('resolve ${:x} and _buildout_section_name_ in the section using the macro', async () => {
    const { dir, buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[base]',
        'address = ${:host}:${:port}',
        'var = ${buildout:directory}/var/${:_buildout_section_name_}',
        'host = localhost',
        'port = 8080',
        '[one]',
        '<= base',
        'port = 8081',
        '[two]',
        '<= base',
        'host = 0.0.0.0',
      ),
    });
    expect(buildout.get('base', 'address')).toBe('localhost:8080');
    expect(buildout.get('one', 'address')).toBe('localhost:8081');
    expect(buildout.get('two', 'address')).toBe('0.0.0.0:8080');
    expect(buildout.get('one', 'var')).toBe(join(dir, 'var', 'one'));
    expect(buildout.get('base', 'var')).toBe(join(dir, 'var', 'base'));
  });

  it('merge several bases left to right (space- or newline-separated)', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[a]',
        'color = red',
        'size = small',
        'from-a = yes',
        '[b]',
        'color = blue',
        'from-b = yes',
        '[newlines]',
        '<=',
        '    a',
        '    b',
        '[spaces]',
        '<= b a',
      ),
    });
    expect(buildout.resolveSection('newlines')).toEqual({ color: 'blue', size: 'small', 'from-a': 'yes', 'from-b': 'yes' });
    expect(buildout.resolveSection('spaces')).toEqual({ color: 'red', size: 'small', 'from-a': 'yes', 'from-b': 'yes' });
  });

  it('expand recursively', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[root]',
        'a = root',
        'b = root',
        'chain = root',
        '[middle]',
        '<= root',
        'b = middle',
        'chain += middle',
        '[leaf]',
        '<= middle',
        'chain += leaf',
        'summary = ${:a}/${:b}',
      ),
    });
    expect(buildout.resolveSection('leaf')).toEqual({ a: 'root', b: 'middle', chain: 'root\nmiddle\nleaf', summary: 'root/middle' });
  });

  it('let += and -= work against the macro’s values', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[macro]',
        'eggs =',
        '    Plone',
        '    Pillow',
        'zcml = z',
        '[user]',
        '<= macro',
        'eggs += extra',
        'eggs -= Pillow',
        'zcml -= z',
        'new += v',
      ),
    });
    expect(buildout.resolveSection('user')).toEqual({ eggs: 'Plone\nextra', zcml: '', new: '\nv' });
  });

  it('use the bases as layered from every file', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[macro]', 'port = 2'),
      'base.cfg': cfg('[macro]', 'port = 1', 'host = h', '[user]', '<= macro'),
    });
    expect(buildout.resolveSection('user')).toEqual({ port: '2', host: 'h' });
  });

  it('make the macro’s references the using section’s references', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[db]',
        'port = 5432',
        '[cache]',
        'port = 11211',
        '[macro]',
        'db = ${db:port}',
        '[user]',
        '<= macro',
        'cache = $<cache:port>',
      ),
    });
    expect(buildout.references('user')).toEqual(['db', 'cache']);
  });

  it('report a loop naming the sections', async () => {
    const error = await expectBuildoutError(
      async () => {
        const { buildout } = await loadTree({ 'buildout.cfg': cfg('[a]', '<= b', 'x = 1', '[b]', '<= c', '[c]', '<= a') });
        buildout.get('a', 'x');
      },
      { code: 'MACRO_LOOP' },
    );
    for (const name of ['a', 'b', 'c']) expect(error.message).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it('report a section using itself', async () => {
    await expectBuildoutError(
      async () => {
        const { buildout } = await loadTree({ 'buildout.cfg': cfg('[a]', '<= a', 'x = 1') });
        buildout.get('a', 'x');
      },
      { code: 'MACRO_LOOP', words: ['a'] },
    );
  });

  it('report a missing base naming it, at the <= line', async () => {
    let file = '';
    await expectBuildoutError(
      async () => {
        const { dir, buildout } = await loadTree({ 'buildout.cfg': cfg('[base]', 'x = 1', '[user]', 'y = 2', '<= base nowhere') });
        file = join(dir, 'buildout.cfg');
        buildout.get('user', 'y');
      },
      { code: 'MACRO_MISSING', words: ['nowhere'], line: 5 },
    ).then((error) => expect(error.location?.file).toBe(file));
  });
});
