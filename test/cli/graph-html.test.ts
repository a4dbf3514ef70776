/** `buildout graph --html`: the page loaded in headless Chromium finds every part's node, and works without network. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildout, tree } from '../engine/cli.js';

const CHROMIUM = process.env.BUILDOUT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const profiles: string[] = [];
afterEach(() => {
  for (const profile of profiles.splice(0)) rmSync(profile, { recursive: true, force: true });
});

/** The DOM of `url` after its scripts ran, from headless Chromium (a fresh profile, no network). */
function dumpDom(url: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'buildout-chromium-'));
  profiles.push(profile);
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    '--virtual-time-budget=5000',
    '--window-size=1400,900',
    '--dump-dom',
    url,
  ];
  return new Promise((resolve, reject) => {
    // HOME too: chromium keeps more than its profile there (~/.pki).
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: profile } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`chromium exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

/** A buildout of `count` command parts in layers, each depending on up to two of the layer before. */
function layeredBuildout(count: number): string {
  const names = Array.from({ length: count }, (_, index) => `part-${index}`);
  const sections = names.map((name, index) => {
    const deps =
      index < 10 ? [] : [names[index - 10]!, names[(index * 7) % (index - 9)]!].filter((dep, at, all) => all.indexOf(dep) === at);
    return `[${name}]\nrecipe = command\ncommand = true\nlevel = ${Math.floor(index / 10)}\n${deps.length ? `=> ${deps.join(' ')}\n` : ''}`;
  });
  return `[buildout]\nparts = ${names.join(' ')}\n[db]\nrecipe = command\ncommand = true\npassword = hunter2\n${sections.join('')}`;
}

const hasChromium = existsSync(CHROMIUM);

describe('graph --html data', () => {
  it('marks a part whose install would be restored from the output cache as restore', async () => {
    const root = tree({
      'buildout.cfg':
        '[buildout]\nparts = site\n[site]\nrecipe = command\ncommand = mkdir -p out && echo built > out/page.txt\noutputs = out\n',
    });
    expect((await buildout(['install'], root)).code).toBe(0);
    rmSync(join(root, 'out'), { recursive: true, force: true });
    expect((await buildout(['graph', '--html', 'graph.html'], root)).code).toBe(0);
    const page = readFileSync(join(root, 'graph.html'), 'utf8');
    const data = JSON.parse(page.match(/<script id="graph-data" type="application\/json">(.*?)<\/script>/s)![1]!) as {
      nodes: { part: string; action: string }[];
    };
    expect(data.nodes.find((node) => node.part === 'site')?.action).toBe('restore');
  });

  it('replaces a page it wrote, never another file (the configuration, say): that is a usage error, the file intact', async () => {
    const config = '[buildout]\nparts =\n';
    const root = tree({ 'buildout.cfg': config, 'notes.html': '<p>my notes</p>\n' });
    expect((await buildout(['graph', '--html'], root)).code).toBe(0);
    expect((await buildout(['graph', '--html'], root)).code).toBe(0); // its own page, made again
    for (const [file, text] of [
      ['buildout.cfg', config],
      ['notes.html', '<p>my notes</p>\n'],
    ]) {
      const result = await buildout(['graph', '--html', file!], root);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `buildout: graph: ${join(root, file!)} exists and is not a page that graph --html wrote; it is left alone\n  hint: name a new file, or remove that one first\n`,
      );
      expect(readFileSync(join(root, file!), 'utf8')).toBe(text);
    }
  });

  it('holds no secret: not one substituted into another option, nor the old values of a rotated one', async () => {
    const config = (password: string, token: string) =>
      `[buildout]\nparts = app\n[db]\npassword = ${password}\n[app]\nrecipe = command\ncommand = echo app\n` +
      `dsn = postgres://admin:\${db:password}@localhost/db\nconnect = psql --auth \${db:password}\napi-token = ${token}\n`;
    const root = tree({ 'buildout.cfg': config('Hunter2Secret', 'TokTok12345') });
    expect((await buildout(['install'], root)).code).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), config('Hunter3Secret', 'NewTok99999'));
    expect((await buildout(['graph', '--html', 'graph.html'], root)).code).toBe(0);
    const page = readFileSync(join(root, 'graph.html'), 'utf8');
    for (const secret of ['Hunter2Secret', 'Hunter3Secret', 'TokTok12345', 'NewTok99999']) expect(page).not.toContain(secret);
    expect(page).toContain('psql --auth ***');
  });
});

describe.runIf(!hasChromium && process.env.BUILDOUT_TEST_REQUIRE_CHROMIUM === '1')('graph --html needs chromium', () => {
  it(`${CHROMIUM} exists (BUILDOUT_TEST_REQUIRE_CHROMIUM=1)`, () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });
});

describe.skipIf(!hasChromium)('graph --html in headless Chromium', () => {
  it('draws a node for every part, coloured by the plan, with edges, and shows a part when the URL names it', async () => {
    const root = tree({
      'buildout.cfg': `[buildout]
parts = web db
[db]
recipe = command
command = echo db
password = hunter2
[web]
recipe = command
command = echo web \${db:command}
[old]
recipe = command
command = true
`,
    });
    // A first install with [old] listed, so the plan then uninstalls it; then web changes.
    expect((await buildout(['parts=web db old'], root)).code).toBe(0);
    const written = await buildout(['web:note=changed', 'graph', '--html', 'graph.html'], root);
    expect(written).toMatchObject({ code: 0, stderr: '' });
    expect(written.stdout).toBe(`Wrote ${join(root, 'graph.html')}\n`);
    const page = readFileSync(join(root, 'graph.html'), 'utf8');
    // Self-contained: no URL is fetched (only the SVG namespace is named).
    expect(page.match(/(?:src|href)=["']?https?:/g)).toBeNull();
    expect(page).not.toContain('hunter2');
    expect(page).toContain('"password":"***"');
    expect((await buildout(['--show-secrets', 'graph', '--html', 'shown.html'], root)).code).toBe(0);
    expect(readFileSync(join(root, 'shown.html'), 'utf8')).toContain('"password":"hunter2"');

    const dom = await dumpDom(`${pathToFileURL(join(root, 'graph.html')).href}#part=web`);
    expect(dom).toContain('data-ready="true"');
    const nodes = [...dom.matchAll(/<g class="node (\w+)( selected)?" [^>]*data-part="([^"]+)" data-action="(\w+)"/g)].map((m) => [
      m[3],
      m[4],
    ]);
    expect(nodes.sort()).toEqual([
      ['db', 'update'],
      ['old', 'uninstall'],
      ['web', 'install'],
    ]);
    expect(dom.match(/<path class="edge[^"]*"[^>]*data-from="db" data-to="web"/g)).toHaveLength(1);
    // The part named in the URL is shown: its action, reason and options.
    expect(dom).toMatch(/<p id="details-action">install: reinstall: options changed<\/p>/);
    expect(dom).toMatch(/<td>note<\/td><td><pre>changed<\/pre><\/td>/);
    expect(dom).toContain('<p>needs: db</p>');
  }, 120_000);

  it('lays out 500 parts: every one has its node', async () => {
    const root = tree({ 'buildout.cfg': layeredBuildout(500) });
    const result = await buildout(['graph', '--html'], root);
    expect(result.code).toBe(0);
    const dom = await dumpDom(pathToFileURL(join(root, 'buildout-graph.html')).href);
    expect(dom).toContain('data-ready="true"');
    const parts = new Set([...dom.matchAll(/data-part="([^"]+)"/g)].map((m) => m[1]));
    for (let index = 0; index < 500; index++) expect(parts.has(`part-${index}`), `part-${index}`).toBe(true);
    expect(dom).toContain('500 parts: 500 install');
    expect((dom.match(/<path class="edge/g) ?? []).length).toBeGreaterThan(490);
  }, 180_000);

  it('--open runs the opener with the page; --open without --html is a usage error', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = a\n[a]\nrecipe = command\ncommand = true\n',
      'bin/xdg-open': '#!/bin/sh\necho "$1" > "$(dirname "$0")/opened"\n',
    });
    await import('node:fs').then(({ chmodSync }) => chmodSync(join(root, 'bin/xdg-open'), 0o755));
    const result = await buildout(['graph', '--html', 'g.html', '--open'], root, { PATH: `${join(root, 'bin')}:${process.env.PATH}` });
    expect(result.code).toBe(0);
    const until = Date.now() + 10_000;
    while (!existsSync(join(root, 'bin/opened')) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(join(root, 'bin/opened'), 'utf8')).toBe(`${join(root, 'g.html')}\n`);
    const wrong = await buildout(['graph', '--open'], root);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('graph: --open goes with --html');
  });
});
