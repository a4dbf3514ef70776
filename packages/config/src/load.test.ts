import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadBuildout } from './load.js';
import { failure, tree } from './test-support.js';
import type { Buildout, LoadOptions } from './types.js';

async function load(files: Record<string, string>, options: Omit<LoadOptions, 'cwd'> = {}): Promise<{ buildout: Buildout; root: string }> {
  const root = await tree(files);
  const buildout = await loadBuildout({ userDefaults: false, configFile: 'buildout.cfg', ...options, cwd: root });
  return { buildout, root };
}

const values = async (files: Record<string, string>, options: Omit<LoadOptions, 'cwd'> = {}) =>
  (await load(files, options)).buildout.toJSON().sections;

describe('[buildout] defaults', () => {
  test('directories are absolute, booleans and log level defaulted', async () => {
    const { buildout, root } = await load({ 'buildout.cfg': '[buildout]\nparts =\n' });
    expect(buildout.resolveSection('buildout')).toEqual({
      directory: root,
      'bin-directory': join(root, 'bin'),
      'parts-directory': join(root, 'parts'),
      'eggs-directory': join(root, 'eggs'),
      installed: join(root, '.installed.cfg'),
      'log-level': 'INFO',
      offline: 'false',
      newest: 'true',
      parts: '',
    });
    expect(buildout.history('buildout', 'bin-directory')[0]!.source).toEqual({ kind: 'default' });
    expect(buildout.history('buildout', 'directory')[0]!.source).toEqual({ kind: 'computed' });
  });

  test('relative directories set in the file join the buildout directory; absolute ones stay', async () => {
    const { buildout, root } = await load({
      'buildout.cfg': '[buildout]\nbin-directory = tools/bin\nparts-directory = /opt/p\ninstalled =\n',
    });
    expect(buildout.get('buildout', 'bin-directory')).toBe(join(root, 'tools/bin'));
    expect(buildout.get('buildout', 'parts-directory')).toBe('/opt/p');
    expect(buildout.get('buildout', 'installed')).toBe('');
  });

  test('references see the absolute directories', async () => {
    const { buildout, root } = await load({ 'buildout.cfg': '[buildout]\n[a]\nx = ${buildout:bin-directory}/tool\n' });
    expect(buildout.get('a', 'x')).toBe(join(root, 'bin/tool'));
  });

  test('booleans are exactly true or false', async () => {
    const error = await failure(() => load({ 'buildout.cfg': '[buildout]\noffline = yes\n' }));
    expect(error.code).toBe('BAD_BOOLEAN');
    expect(error.location).toMatchObject({ line: 2 });
    const newest = await failure(() => load({ 'buildout.cfg': '[buildout]\n' }, { assignments: ['newest=1'] }));
    expect(newest.code).toBe('BAD_BOOLEAN');
  });
});

describe('extends', () => {
  test('bases first, in order, recursively, relative to the file naming them; later wins', async () => {
    const sections = await values({
      'buildout.cfg': '[buildout]\nextends = conf/a.cfg conf/b.cfg\n[s]\nmine = yes\n',
      'conf/a.cfg': '[buildout]\nextends = ../base.cfg\n[s]\nx = a\nfrom-a = 1\n',
      'conf/b.cfg': '[s]\nx = b\n',
      'base.cfg': '[s]\nx = base\nfrom-base = 1\n',
    });
    expect(sections.s).toEqual({ mine: 'yes', x: 'b', 'from-a': '1', 'from-base': '1' });
    expect(sections.buildout!.extends).toBeUndefined();
  });

  test('a diamond base is applied twice', async () => {
    const sections = await values({
      'buildout.cfg': '[buildout]\nextends = left.cfg right.cfg\n',
      'left.cfg': '[buildout]\nextends = base.cfg\n[s]\nx += left\n',
      'right.cfg': '[buildout]\nextends = base.cfg\n[s]\nx += right\n',
      'base.cfg': '[s]\nx = base\n',
    });
    // right.cfg's chain brings base.cfg back, resetting x before right adds to it.
    expect(sections.s!.x).toBe('base\nright');
  });

  test('a cycle is an error naming the chain', async () => {
    const error = await failure(() =>
      load({
        'buildout.cfg': '[buildout]\nextends = a.cfg\n',
        'a.cfg': '[buildout]\nextends = b.cfg\n',
        'b.cfg': '[buildout]\nextends = a.cfg\n',
      }),
    );
    expect(error.code).toBe('EXTENDS_CYCLE');
    expect(error.message).toMatch(/buildout\.cfg -> .*a\.cfg -> .*b\.cfg -> .*a\.cfg$/);
    expect(error.location).toMatchObject({ line: 2 });
    expect(error.location!.file).toMatch(/b\.cfg$/);
  });

  test('a missing base is an error at the extends line', async () => {
    const error = await failure(() => load({ 'buildout.cfg': '[buildout]\nparts =\nextends = nope.cfg\n' }));
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.location).toMatchObject({ line: 3 });
    expect(error.message).toContain('nope.cfg');
  });

  test('a missing main file is an error', async () => {
    const error = await failure(() => load({}, { configFile: 'other.cfg' }));
    expect(error.code).toBe('FILE_NOT_FOUND');
  });

  describe('over http', () => {
    let server: Server | undefined;
    let hits: string[] = [];
    afterEach(async () => {
      await new Promise((done) => (server ? server.close(done) : done(undefined)));
      server = undefined;
      hits = [];
    });
    async function serve(files: Record<string, string>): Promise<string> {
      server = createServer((request, response) => {
        hits.push(request.url!);
        const body = files[request.url!.slice(1)];
        response.writeHead(body === undefined ? 404 : 200).end(body ?? 'missing');
      });
      await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
      return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    }

    test('downloads, follows relative extends on the server, caches, and reads the cache offline', async () => {
      const url = await serve({
        'cfg/base.cfg': '[buildout]\nextends = common.cfg\n[s]\nx = remote\n',
        'cfg/common.cfg': '[s]\ny = common\n',
      });
      const files = { 'buildout.cfg': `[buildout]\nextends-cache = cache\nextends = ${url}/cfg/base.cfg\n` };
      const { buildout, root } = await load(files);
      expect(buildout.resolveSection('s')).toEqual({ x: 'remote', y: 'common' });
      expect(hits).toEqual(['/cfg/base.cfg', '/cfg/common.cfg']);
      expect(buildout.get('buildout', 'extends-cache')).toBe(join(root, 'cache'));

      await new Promise((done) => server!.close(done));
      server = undefined;
      const offline = await loadBuildout({
        userDefaults: false,
        cwd: root,
        configFile: 'buildout.cfg',
        assignments: ['buildout:offline=true'],
      });
      expect(offline.resolveSection('s')).toEqual({ x: 'remote', y: 'common' });
    });

    test('offline without a cached copy is refused with a clear error', async () => {
      const url = await serve({ 'base.cfg': '[s]\nx = 1\n' });
      const error = await failure(() =>
        load({ 'buildout.cfg': `[buildout]\nextends = ${url}/base.cfg\n` }, { assignments: ['offline=true'] }),
      );
      expect(error.code).toBe('OFFLINE_NOT_CACHED');
      expect(error.location).toMatchObject({ line: 2 });
      expect(hits).toEqual([]);
    });

    test('an HTTP error names the URL', async () => {
      const url = await serve({});
      const error = await failure(() => load({ 'buildout.cfg': `[buildout]\nextends = ${url}/none.cfg\n` }));
      expect(error.code).toBe('DOWNLOAD_FAILED');
      expect(error.message).toContain('404');
    });

    test('-c URL loads exactly that file', async () => {
      const url = await serve({ 'remote.cfg': '[buildout]\nparts = a\n[a]\nx = 1\n' });
      const { buildout, root } = await load({}, { configFile: `${url}/remote.cfg` });
      expect(buildout.get('a', 'x')).toBe('1');
      expect(buildout.directory).toBe(root);
    });
  });
});

describe('+= and -= across layers', () => {
  test('onto a lower layer, and onto the same layer first', async () => {
    const sections = await values({
      'buildout.cfg': '[buildout]\nextends = base.cfg\n[s]\na += 3\nb -= 2\nc = own\nc += more\nd += new\n',
      'base.cfg': '[s]\na = 1\n  2\nb = 1\n  2\n  3\nc = base\n',
    });
    expect(sections.s).toEqual({ a: '1\n2\n3', b: '1\n3', c: 'own\nmore', d: '\nnew' });
  });

  test('a section new to the result turns operations into plain values', async () => {
    const sections = await values({
      'buildout.cfg': '[buildout]\nextends = base.cfg\n[new]\na += x\nb -= y\n',
      'base.cfg': '[other]\n',
    });
    expect(sections.new).toEqual({ a: 'x', b: '' });
  });

  test('-= removes every equal line; += then -= in one section', async () => {
    const sections = await values({
      'buildout.cfg': '[buildout]\nextends = base.cfg\n[s]\nx += b\nx -= a\n',
      'base.cfg': '[s]\nx =\n  a\n  b\n  a\n',
    });
    expect(sections.s!.x).toBe('b\nb');
  });

  test('command-line assignments are the top layer, +=/-= included, section defaulting to buildout', async () => {
    const { buildout } = await load(
      { 'buildout.cfg': '[buildout]\nparts =\n  a\n  b\n[s]\nx = 1\n' },
      { assignments: ['parts+=c', 'parts-=a', 's:x=2', 'new:y+=3', 'buildout:z = spaced '] },
    );
    expect(buildout.get('buildout', 'parts')).toBe('b\nc');
    expect(buildout.get('s', 'x')).toBe('2');
    expect(buildout.get('new', 'y')).toBe('3');
    expect(buildout.get('buildout', 'z')).toBe('spaced');
    expect(buildout.history('s', 'x').at(-1)).toMatchObject({ operation: 'override', source: { kind: 'command-line' } });
  });

  test('buildout:extends= on the command line adds files above the config, relative to the current folder', async () => {
    const { buildout } = await load(
      {
        'buildout.cfg': '[buildout]\n[s]\nx = 1\ny = 1\nkept = 1\n',
        'more/extra.cfg': '[buildout]\nextends = base.cfg\n[s]\nx += 2\n[t]\nw += 3\n',
        'more/base.cfg': '[s]\nz = base\n',
      },
      { assignments: ['buildout:extends=more/extra.cfg', 's:y=cl'] },
    );
    // As in zc.buildout, the extra files form a layer of their own: `x += 2` applies within
    // that layer (onto base.cfg's [s], which has no x), and the result overrides the config.
    expect(buildout.resolveSection('s')).toEqual({ x: '\n2', y: 'cl', z: 'base', kept: '1' });
    expect(buildout.get('t', 'w')).toBe('3');
  });

  test('an invalid assignment is a clear error', async () => {
    const error = await failure(() => load({ 'buildout.cfg': '[buildout]\n' }, { assignments: ['a:b:c=1'] }));
    expect(error.code).toBe('BAD_ASSIGNMENT');
  });
});

describe('user defaults', () => {
  test('$BUILDOUT_HOME/default.cfg is below the config; the config can add to it', async () => {
    const home = await tree({ 'default.cfg': '[buildout]\nnewest = false\n[s]\nx = user\ny = user\n' });
    const { buildout } = await load(
      { 'buildout.cfg': '[buildout]\n[s]\nx += mine\n' },
      { userDefaults: true, env: { BUILDOUT_HOME: home } },
    );
    expect(buildout.resolveSection('s')).toEqual({ x: 'user\nmine', y: 'user' });
    expect(buildout.get('buildout', 'newest')).toBe('false');
  });

  test('~/.buildout/default.cfg through HOME, and -U skips it', async () => {
    const home = await tree({ '.buildout/default.cfg': '[s]\nx = user\n' });
    const files = { 'buildout.cfg': '[buildout]\n' };
    expect((await load(files, { userDefaults: true, env: { HOME: home } })).buildout.get('s', 'x')).toBe('user');
    expect((await load(files, { userDefaults: false, env: { HOME: home } })).buildout.hasSection('s')).toBe(false);
  });
});

describe('macros', () => {
  const files = {
    'buildout.cfg': `[buildout]
[base]
port = 8080
address = localhost:\${:port}
name = \${:_buildout_section_name_}
eggs =
  a
  b
[extra]
debug = on
[one]
<= base extra
port = 9000
eggs += c
eggs -= a
[two]
<= one
debug = off
`,
  };

  test('bases merged left to right, own options on top with += / -= against the macro, ${:x} in the user', async () => {
    const sections = await values(files);
    expect(sections.one).toEqual({ port: '9000', address: 'localhost:9000', name: 'one', eggs: 'b\nc', debug: 'on' });
    expect(sections.two).toEqual({ port: '9000', address: 'localhost:9000', name: 'two', eggs: 'b\nc', debug: 'off' });
    expect(sections.one!['<']).toBeUndefined();
  });

  test('a missing base and a loop are errors at the <= line', async () => {
    const missing = await failure(async () => (await load({ 'buildout.cfg': '[buildout]\n[a]\n<= nope\n' })).buildout.resolveSection('a'));
    expect(missing.code).toBe('MACRO_MISSING');
    expect(missing.location).toMatchObject({ line: 3 });
    const loop = await failure(async () =>
      (await load({ 'buildout.cfg': '[buildout]\n[a]\n<= b\n[b]\n<= a\n' })).buildout.resolveSection('a'),
    );
    expect(loop.code).toBe('MACRO_LOOP');
    expect(loop.message).toContain('[a] <= [b] <= [a]');
  });
});

describe('substitution', () => {
  test('${section:option}, ${:option}, $<section:option>, chains', async () => {
    const sections = await values({
      'buildout.cfg': '[buildout]\n[a]\nx = 1\ny = ${:x}-${b:z}\nalias = $<a:y>/$<:x>\n[b]\nz = ${c:w}\n[c]\nw = deep\n',
    });
    expect(sections.a).toEqual({ x: '1', y: '1-deep', alias: '1-deep/1' });
  });

  test('$$ protects: pieces between $$ are substituted and the $$ stays', async () => {
    const sections = await values({ 'buildout.cfg': '[buildout]\n[a]\nx = 1\ny = $${a:x} ${a:x} $$HOME\n' });
    expect(sections.a!.y).toBe('$${a:x} 1 $$HOME');
  });

  test('_buildout_section_name_ names the referencing section unless defined', async () => {
    const sections = await values({
      'buildout.cfg':
        '[buildout]\n[a]\nme = ${:_buildout_section_name_}\nother = ${b:_buildout_section_name_}\n[b]\n[c]\n_buildout_section_name_ = set\nv = ${:_buildout_section_name_}\n',
    });
    expect(sections.a).toEqual({ me: 'a', other: 'a' });
    expect(sections.c!.v).toBe('set');
  });

  test.each([
    ['${nocolon}', 'BAD_REFERENCE', "doesn't contain a colon"],
    ['${a:b:c}', 'BAD_REFERENCE', 'too many colons'],
    ['${a!:b}', 'BAD_REFERENCE', 'section name'],
    ['${a:b!}', 'BAD_REFERENCE', 'option name'],
    ['${missing:x}', 'MISSING_SECTION', "The referenced section, 'missing', was not defined"],
    ['${t:missing}', 'MISSING_OPTION', 'Referenced option does not exist: t:missing'],
  ])('%s -> %s', async (reference, code, message) => {
    const { buildout } = await load({ 'buildout.cfg': `[buildout]\n[t]\nx = 1\n[s]\nv = pre ${reference}\n` });
    const error = await failure(() => buildout.get('s', 'v'));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.location).toMatchObject({ line: 5, column: 9 });
  });

  test('a misspelt section gets a hint', async () => {
    const { buildout } = await load({ 'buildout.cfg': '[buildout]\n[supervisor]\nx = 1\n[s]\nv = ${supervisr:x}\n' });
    expect((await failure(() => buildout.get('s', 'v'))).hint).toBe('did you mean [supervisor]?');
  });

  test('circular references report the whole chain', async () => {
    const { buildout } = await load({ 'buildout.cfg': '[buildout]\n[a]\nx = ${b:y}\n[b]\ny = ${c:z}\n[c]\nz = ${a:x}\n' });
    const error = await failure(() => buildout.get('a', 'x'));
    expect(error.code).toBe('CIRCULAR_REFERENCE');
    expect(error.message).toContain('a:x -> b:y -> c:z -> a:x');
    // the failed attempt leaves nothing behind: a second read fails the same way
    expect((await failure(() => buildout.get('a', 'x'))).code).toBe('CIRCULAR_REFERENCE');
  });

  test('resolution is lazy: a broken section does not stop reading others', async () => {
    const { buildout } = await load({
      'buildout.cfg': '[buildout]\nparts = good\n[good]\nx = ${buildout:directory}\n[broken]\nx = ${nowhere:y}\n<= nothing\n',
    });
    expect(buildout.resolveSection('good').x).toBe(buildout.directory);
    expect((await failure(() => buildout.resolveSection('broken'))).code).toBe('MACRO_MISSING');
  });

  test('set() values are literal and seen by later references; references() lists referenced sections', async () => {
    const { buildout } = await load({ 'buildout.cfg': '[buildout]\n[a]\nrecipe = r\n[b]\nx = ${a:location}/bin ${c:y}\n[c]\ny = 1\n' });
    expect(buildout.references('b')).toEqual(['a', 'c']);
    buildout.set('a', 'location', '/opt/a ${not:substituted}');
    expect(buildout.get('b', 'x')).toBe('/opt/a ${not:substituted}/bin 1');
    expect(buildout.history('a', 'location')[0]!.source).toEqual({ kind: 'computed' });
  });

  test('references() lists each referenced section once, in order of first reference, however many there are', async () => {
    const names = Array.from({ length: 12 }, (_, index) => `s${index}`);
    const refs = [...names, ...names.slice().reverse(), 'own', ''].map((name) => (name === '' ? '${:x}' : `\${${name}:x}`));
    const sections = names.map((name) => `[${name}]\nx = 1\n`).join('');
    const { buildout } = await load({
      'buildout.cfg': `[buildout]\n${sections}[own]\nx = 1\ny = ${refs.join(' ')}\nz = \${s3:x} \${s11:x}\n`,
    });
    expect(buildout.references('own')).toEqual(names);
  });

  test('defineSection adds raw sections that resolve like the others', async () => {
    const { buildout } = await load({ 'buildout.cfg': '[buildout]\n[a]\nx = 1\n' });
    buildout.defineSection('gen', { y: '${a:x}2' });
    expect(buildout.get('gen', 'y')).toBe('12');
    expect((await failure(() => buildout.defineSection('a', {}))).message).toContain('already exists');
  });
});

describe('conditions in files', () => {
  test('false sections are skipped; same-name sections apply in file order', async () => {
    const linux = process.platform === 'linux';
    const sections = await values({
      'buildout.cfg': '[buildout]\n[s]\nx = plain\n[s: linux]\nx = linux\nlin = yes\n[s: not linux]\nx = other\n[s:windows]\nwin = yes\n',
    });
    expect(sections.s).toEqual(linux ? { x: 'linux', lin: 'yes' } : { x: 'other' });
  });

  test('an unknown name is an error naming file and line', async () => {
    const error = await failure(() => load({ 'buildout.cfg': '[buildout]\n\n[s: linus]\n' }));
    expect(error.code).toBe('CONDITION');
    expect(error.location).toMatchObject({ line: 3, column: 5 });
    expect(error.location!.file).toMatch(/buildout\.cfg$/);
  });
});

describe('discovery', () => {
  test('without a file, buildout.cfg is found here or in a parent', async () => {
    const root = await tree({ 'buildout.cfg': '[buildout]\nparts = found\n', 'deep/er/keep': '' });
    const buildout = await loadBuildout({ userDefaults: false, cwd: join(root, 'deep/er') });
    expect(buildout.configFile).toBe(join(root, 'buildout.cfg'));
    expect(buildout.directory).toBe(root);
    expect(buildout.get('buildout', 'parts')).toBe('found');
  });

  test('no buildout.cfg up to the root is a clear error', async () => {
    const root = await tree({ 'nothing/here': '' });
    const error = await failure(() => loadBuildout({ userDefaults: false, cwd: join(root, 'nothing') }));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.hint).toContain('-c');
  });
});
