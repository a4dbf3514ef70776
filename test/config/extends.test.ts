// Spec "Layers": `extends` of files and URLs.
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuildout } from './api.js';
import { cfg, expectBuildoutError, loadTree, tree } from './helpers.js';

describe('extends of files', () => {
  it('resolves paths relative to the file naming them, through subfolders', async () => {
    const { dir, buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = conf/app.cfg', '[app]', 'top = yes'),
      'conf/app.cfg': cfg('[buildout]', 'extends =', '    ../shared/base.cfg', '    sub/local.cfg', '[app]', 'app = yes'),
      'shared/base.cfg': cfg('[app]', 'base = yes', 'who = base'),
      'conf/sub/local.cfg': cfg('[buildout]', 'extends = ../../shared/more.cfg', '[app]', 'who = local'),
      'shared/more.cfg': cfg('[more]', 'x = 1'),
    });
    expect(buildout.resolveSection('app')).toEqual({ top: 'yes', app: 'yes', base: 'yes', who: 'local' });
    expect(buildout.get('more', 'x')).toBe('1');
    // `directory` is the main config's folder, whichever file is read.
    expect(buildout.get('buildout', 'directory')).toBe(dir);
  });

  it('applies each file’s bases in order, then the file itself: later wins', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = one.cfg two.cfg', '[x]', 'mine = root'),
      'one.cfg': cfg('[x]', 'winner = one', 'mine = one', 'one = 1'),
      'two.cfg': cfg('[x]', 'winner = two', 'mine = two', 'two = 2'),
    });
    expect(buildout.resolveSection('x')).toEqual({ winner: 'two', mine: 'root', one: '1', two: '2' });
  });

  it('removes `extends` from the options', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', 'parts ='),
      'base.cfg': cfg('[buildout]', 'extends = base2.cfg'),
      'base2.cfg': cfg('[s]'),
    });
    expect(buildout.raw('buildout', 'extends')).toBeUndefined();
    expect(buildout.optionNames('buildout')).not.toContain('extends');
    expect(buildout.toJSON().sections.buildout).not.toHaveProperty('extends');
  });

  it('applies a base reached twice (diamond) twice, as zc.buildout does', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = a.cfg b.cfg'),
      'common.cfg': cfg('[s]', 'list = common', 'overridden = common'),
      'a.cfg': cfg('[buildout]', 'extends = common.cfg', '[s]', 'list += a', 'overridden = a'),
      'b.cfg': cfg('[buildout]', 'extends = common.cfg', '[s]', 'list += b'),
    });
    // common, a, common again (resets list and overridden), b, buildout.cfg
    expect(buildout.get('s', 'list')).toBe('common\nb');
    expect(buildout.get('s', 'overridden')).toBe('common');
  });

  it('reports an include cycle naming the whole chain', async () => {
    const dir = tree({
      'buildout.cfg': cfg('[buildout]', 'extends = a.cfg'),
      'a.cfg': cfg('[buildout]', 'extends = b.cfg'),
      'b.cfg': cfg('[s]', 'x = 1', '[buildout]', 'extends = a.cfg'),
    });
    const error = await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'EXTENDS_CYCLE',
    });
    const message = error.message;
    const positions = ['buildout.cfg', 'a.cfg', 'b.cfg'].map((name) => message.indexOf(name));
    for (const position of positions) expect(position, message).toBeGreaterThanOrEqual(0);
    expect(
      [...positions].sort((p, q) => p - q),
      message,
    ).toEqual(positions);
    expect(message.lastIndexOf('a.cfg'), message).toBeGreaterThan(message.indexOf('b.cfg'));
    // the `extends` that closes the cycle
    expect(error.location?.file).toBe(join(dir, 'b.cfg'));
    expect(error.location?.line).toBe(4);
  });

  it('reports a file extending itself', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'extends = buildout.cfg') });
    await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'EXTENDS_CYCLE',
      file: join(dir, 'buildout.cfg'),
      line: 2,
      words: ['buildout.cfg'],
    });
  });

  it('reports a missing extended file at the extends option', async () => {
    const dir = tree({
      'buildout.cfg': cfg('[buildout]', 'parts =', 'extends =', '    present.cfg', '    missing.cfg'),
      'present.cfg': cfg('[a]'),
    });
    await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'FILE_NOT_FOUND',
      file: join(dir, 'buildout.cfg'),
      line: 3,
      words: ['missing.cfg'],
    });
  });

  it('reports syntax errors of an extended file in that file', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'extends = sub/base.cfg'), 'sub/base.cfg': cfg('[s]', 'x: 1') });
    await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'SYNTAX',
      file: join(dir, 'sub', 'base.cfg'),
      line: 2,
    });
  });
});

describe('extends of URLs', () => {
  let server: Server | undefined;
  let requests: string[] = [];

  afterEach(async () => {
    await stop();
  });

  async function stop(): Promise<void> {
    const running = server;
    server = undefined;
    if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
  }

  /** Serves `files` on 127.0.0.1 at a free port; returns the base URL. */
  async function serve(files: Record<string, string>): Promise<string> {
    requests = [];
    const running = createServer((request, response) => {
      const path = (request.url ?? '/').replace(/^\//, '');
      requests.push(path);
      const body = files[path];
      if (body === undefined) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    });
    await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', () => resolve()));
    server = running;
    return `http://127.0.0.1:${(running.address() as AddressInfo).port}`;
  }

  const remote = {
    'profiles/base.cfg': cfg('[buildout]', 'extends = common.cfg', '[app]', 'from-base = yes', 'shared = base'),
    'profiles/common.cfg': cfg('[app]', 'from-common = yes', 'shared = common'),
  };

  it('downloads a URL, resolves its relative extends against the URL, and caches it in extends-cache', async () => {
    const url = await serve(remote);
    const dir = tree({
      'buildout.cfg': cfg('[buildout]', `extends = ${url}/profiles/base.cfg`, 'extends-cache = cache', '[app]', 'own = yes'),
    });
    const buildout = await loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} });
    expect(buildout.resolveSection('app')).toEqual({ 'from-base': 'yes', 'from-common': 'yes', shared: 'base', own: 'yes' });
    expect(requests.sort()).toEqual(['profiles/base.cfg', 'profiles/common.cfg']);
    const cached = readdirSync(join(dir, 'cache'));
    expect(cached.length).toBeGreaterThanOrEqual(2);
    const contents = cached.map((name) => readFileSync(join(dir, 'cache', name), 'utf8'));
    expect(contents).toContain(remote['profiles/base.cfg']);
    expect(contents).toContain(remote['profiles/common.cfg']);
  });

  it('serves a cached URL offline, without the network', async () => {
    const url = await serve(remote);
    const dir = tree({
      'buildout.cfg': cfg('[buildout]', `extends = ${url}/profiles/base.cfg`, 'extends-cache = cache', '[app]', 'own = yes'),
    });
    await loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} });
    await stop();
    const offline = await loadBuildout({
      configFile: join(dir, 'buildout.cfg'),
      userDefaults: false,
      env: {},
      assignments: ['buildout:offline=true'],
    });
    expect(offline.get('app', 'shared')).toBe('base');
    expect(offline.get('app', 'from-common')).toBe('yes');
  });

  it('refuses a URL offline when it is not cached, with a clear error', async () => {
    const url = await serve(remote);
    const dir = tree({
      'buildout.cfg': cfg('[buildout]', 'parts =', `extends = ${url}/profiles/base.cfg`, 'extends-cache = cache'),
    });
    const error = await expectBuildoutError(
      () => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {}, assignments: ['buildout:offline=true'] }),
      { code: 'OFFLINE_NOT_CACHED', words: [`${url}/profiles/base.cfg`, 'offline'] },
    );
    expect(requests).toEqual([]);
    expect(error.location?.file).toBe(join(dir, 'buildout.cfg'));
  });

  it('refuses a URL when offline is set in the config file itself', async () => {
    const url = await serve(remote);
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'offline = true', `extends = ${url}/profiles/base.cfg`) });
    await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'OFFLINE_NOT_CACHED',
      words: ['offline'],
    });
    expect(requests).toEqual([]);
  });

  it('reports a failed download (HTTP 404) naming the URL', async () => {
    const url = await serve(remote);
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', `extends = ${url}/profiles/missing.cfg`) });
    await expectBuildoutError(() => loadBuildout({ configFile: join(dir, 'buildout.cfg'), userDefaults: false, env: {} }), {
      code: 'DOWNLOAD_FAILED',
      words: [`${url}/profiles/missing.cfg`],
    });
    expect(existsSync(join(dir, 'cache'))).toBe(false);
  });

  it('loads a URL given as the config file', async () => {
    const url = await serve({ 'buildout.cfg': cfg('[buildout]', 'extends = profiles/base.cfg', '[app]', 'own = remote'), ...remote });
    const cwd = tree({});
    const buildout = await loadBuildout({ configFile: `${url}/buildout.cfg`, cwd, userDefaults: false, env: {} });
    expect(buildout.configFile).toBe(`${url}/buildout.cfg`);
    expect(buildout.resolveSection('app')).toEqual({ 'from-base': 'yes', 'from-common': 'yes', shared: 'base', own: 'remote' });
  });
});
