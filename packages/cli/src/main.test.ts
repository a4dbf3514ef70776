import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from './main.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'buildout-cli-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr, cwd, env: { HOME: cwd } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const seedConfig = `[buildout]
parts = supervisor
[zeo]
location = /a/b/c
[supervisor]
recipe = collective.recipe.supervisor
programs =
      10 zeo \${zeo:location}/bin/runzeo \${zeo:location}
      40 maildrophost \${buildout:bin-directory}/maildropctl true
=> zeo
`;

describe('annotate --json', () => {
  test('prints exactly {sections: {name: {option: value}}}, substituted, with <part-dependencies>', async () => {
    const root = project({ 'buildout.cfg': seedConfig });
    const result = await run(['-U', 'annotate', '--json'], root);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const parsed = JSON.parse(result.stdout);
    expect(Object.keys(parsed)).toEqual(['sections']);
    expect(parsed.sections.supervisor).toEqual({
      recipe: 'collective.recipe.supervisor',
      programs: `10 zeo /a/b/c/bin/runzeo /a/b/c\n40 maildrophost ${root}/bin/maildropctl true`,
      '<part-dependencies>': 'zeo',
    });
    expect(parsed.sections.buildout).toMatchObject({ directory: root, 'bin-directory': join(root, 'bin'), parts: 'supervisor' });
  });

  test('command-line assignments and named sections', async () => {
    const root = project({ 'buildout.cfg': seedConfig });
    const result = await run(['-U', 'zeo:location=/z', 'annotate', '--json', 'zeo'], root);
    expect(JSON.parse(result.stdout)).toEqual({ sections: { zeo: { location: '/z' } } });
  });

  test('an unresolvable value in an unused section is shown raw with a warning', async () => {
    const root = project({ 'buildout.cfg': '[buildout]\n[template]\nx = ${:port}\n' });
    const result = await run(['-U', 'annotate', '--json'], root);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).sections.template).toEqual({ x: '${:port}' });
    expect(result.stderr).toContain('warning: [template] x:');
  });
});

describe('annotate', () => {
  test('each value with where it came from', async () => {
    const root = project({ 'buildout.cfg': '[buildout]\nextends = base.cfg\nparts += b\n', 'base.cfg': '[buildout]\nparts = a\n' });
    const result = await run(['-U', 'parts-directory=/p', 'annotate', 'buildout'], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('parts= a\n       b\n    base.cfg:2\n+=  buildout.cfg:3\n');
    expect(result.stdout).toContain('parts-directory= /p\n    COMMAND_LINE_VALUE\n');
    expect(result.stdout).toContain(`bin-directory= ${join(root, 'bin')}\n    DEFAULT_VALUE\n`);
    expect(result.stdout).toContain(`directory= ${root}\n    COMPUTED_VALUE\n`);
  });
});

describe('query', () => {
  test('the raw, unexpanded value; section defaults to buildout', async () => {
    const root = project({ 'buildout.cfg': seedConfig });
    expect((await run(['-U', 'query', 'supervisor:programs'], root)).stdout).toContain('${zeo:location}/bin/runzeo');
    expect((await run(['-U', 'query', 'parts'], root)).stdout).toBe('supervisor\n');
  });

  test('a missing option is an error with a hint; a missing section too', async () => {
    const root = project({ 'buildout.cfg': seedConfig });
    const option = await run(['-U', 'query', 'zeo:locaton'], root);
    expect(option.code).toBe(1);
    expect(option.stderr).toMatch(/^buildout\.cfg:3:1: Missing option: zeo:locaton\n {2}hint: did you mean zeo:location\?\n$/);
    const section = await run(['-U', 'query', 'supervisr:x'], root);
    expect(section.stderr).toContain('hint: did you mean [supervisor]?');
  });
});

describe('errors and exit codes', () => {
  test('a config error is one line file:line:col: message, exit 1, no stack trace', async () => {
    const root = project({ 'buildout.cfg': '[buildout]\nparts = a\n[a]\nx: 1\n' });
    const result = await run(['-U', 'annotate'], root);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe("buildout.cfg:4:2: 'x:' is not an option: buildout options use '=' only");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('unknown command or flag: usage error, exit 2', async () => {
    const root = project({ 'buildout.cfg': '[buildout]\n' });
    expect((await run(['frobnicate'], root)).code).toBe(2);
    expect((await run(['--bogus'], root)).code).toBe(2);
    const flag = await run(['annotate', '--bogus'], root);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("run 'buildout annotate --help'");
  });

  test('no configuration found', async () => {
    const root = project({});
    const result = await run(['-U', 'annotate'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^buildout: no buildout\.cfg in /);
  });
});

describe('init', () => {
  test('creates a minimal buildout.cfg, refuses to overwrite', async () => {
    const root = project({});
    expect((await run(['init'], root)).code).toBe(0);
    expect(readFileSync(join(root, 'buildout.cfg'), 'utf8')).toBe('[buildout]\nparts =\n');
    expect((await run(['init'], root)).code).toBe(1);
  });
});

describe('the installed command', () => {
  const bin = fileURLToPath(new URL('../bin.js', import.meta.url));
  test.skipIf(!existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url))))(
    '--version, --help and a real annotate --json run',
    () => {
      const root = project({ 'buildout.cfg': seedConfig });
      const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
      expect(version.stdout).toMatch(/^buildout \d+\.\d+\.\d+\n$/);
      const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
      expect(help.stdout).toContain('Usage: buildout');
      const annotate = spawnSync(process.execPath, [bin, '-U', '-c', join(root, 'buildout.cfg'), 'annotate', '--json'], {
        encoding: 'utf8',
      });
      expect(annotate.status).toBe(0);
      expect(JSON.parse(annotate.stdout).sections.zeo).toEqual({ location: '/a/b/c' });
    },
  );
});
