// The CLI's config commands (issue 2): annotate, annotate --json, query,
// error output and exit codes. Runs the compiled CLI (`corepack pnpm build`).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cfg, parseErrorOutput, runCli, STACK_LINE, tempDir, tree } from './helpers.js';

const project = {
  'buildout.cfg': cfg(
    '[buildout]',
    'extends = base.cfg',
    'parts = app',
    '',
    '[app]',
    'recipe = example.recipe',
    'port = ${ports:app}',
    'eggs += extra',
    'home = ${buildout:directory}/app',
    '=> db',
    '',
    '[db]',
    'recipe = example.recipe',
  ),
  'base.cfg': cfg('[ports]', 'app = 8080', '', '[app]', 'eggs =', '    core', '    util'),
};

describe('annotate --json', () => {
  it('prints exactly {"sections": {...}} with every value substituted and the defaults absolute, exit 0', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', '-c', join(dir, 'buildout.cfg'), 'app:port=9090', 'annotate', '--json'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      sections: {
        buildout: {
          directory: dir,
          'bin-directory': join(dir, 'bin'),
          'parts-directory': join(dir, 'parts'),
          installed: join(dir, '.installed.cfg'),
          'log-level': 'INFO',
          offline: 'false',
          newest: 'true',
          parts: 'app',
        },
        ports: { app: '8080' },
        app: {
          recipe: 'example.recipe',
          port: '9090',
          eggs: 'core\nutil\nextra',
          home: join(dir, 'app'),
          '<part-dependencies>': 'db',
        },
        db: { recipe: 'example.recipe' },
      },
    });
  });

  it('finds buildout.cfg from the working folder without -c', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'annotate', '--json'], { cwd: join(dir) });
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { sections: Record<string, unknown> }).sections.ports).toEqual({ app: '8080' });
  });

  it('maps -o and -N to offline=true and newest=false', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', '-o', '-N', 'annotate', '--json'], { cwd: dir });
    expect(result.status).toBe(0);
    const sections = (JSON.parse(result.stdout) as { sections: Record<string, Record<string, string>> }).sections;
    expect(sections.buildout).toMatchObject({ offline: 'true', newest: 'false' });
  });

  it('skips user defaults with -U and reads them without it', async () => {
    const dir = tree(project);
    const home = tree({ '.buildout/default.cfg': cfg('[ports]', 'app = 1', 'admin = 9999') });
    const withDefaults = await runCli(['annotate', '--json'], { cwd: dir, env: { HOME: home } });
    const without = await runCli(['-U', 'annotate', '--json'], { cwd: dir, env: { HOME: home } });
    expect(withDefaults.status).toBe(0);
    expect(without.status).toBe(0);
    const ports = (out: string) => (JSON.parse(out) as { sections: Record<string, unknown> }).sections.ports;
    expect(ports(withDefaults.stdout)).toEqual({ app: '8080', admin: '9999' });
    expect(ports(without.stdout)).toEqual({ app: '8080' });
  });
});

describe('annotate', () => {
  it('shows every value with where it came from', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'app:port=9090', 'annotate'], { cwd: dir });
    expect(result.status).toBe(0);
    const out = result.stdout;
    for (const section of ['[buildout]', '[app]', '[ports]', '[db]']) expect(out).toContain(section);
    // app:recipe from buildout.cfg line 6, ports:app from base.cfg line 2
    expect(out).toMatch(/recipe= example\.recipe\n\s+buildout\.cfg:6\b/);
    expect(out).toMatch(/app= 8080\n\s+base\.cfg:2\b/);
    // a command-line value and a default say so
    expect(out).toMatch(/port= 9090\n\s+.*COMMAND.LINE/i);
    expect(out).toMatch(/log-level= INFO\n\s+.*DEFAULT/i);
    // += shows both steps
    expect(out).toMatch(/eggs= core\n {6}util\n {6}extra\n\s+base\.cfg:5\b[^\n]*\n\+=\s+buildout\.cfg:8\b/);
  });

  it('limits the output to the named sections', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'annotate', 'ports', 'db'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('[ports]');
    expect(result.stdout).toContain('[db]');
    expect(result.stdout).not.toContain('[app]');
    expect(result.stdout).not.toContain('[buildout]');
  });
});

describe('query', () => {
  it('prints the raw, unexpanded value of section:option', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'query', 'app:port'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stdout: '${ports:app}\n' });
  });

  it('without a section queries [buildout]', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'query', 'parts'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stdout: 'app\n' });
  });

  it('shows the value after layering (+= applied, not substituted)', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'app:eggs-=util', 'query', 'app:eggs'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stdout: 'core\nextra\n' });
  });

  it.each([
    ['nowhere:x', ['nowhere']],
    ['app:nothing', ['nothing']],
  ])('reports %s as missing, exit 1', async (argument, words) => {
    const dir = tree(project);
    const result = await runCli(['-U', 'query', argument], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const error = parseErrorOutput(result.stderr);
    for (const word of words) expect(error.message).toContain(word);
  });

  it.each([[[]], [['a', 'b']], [['a:b:c']]])('rejects the arguments %j as a usage error, exit 2', async (args) => {
    const dir = tree(project);
    const result = await runCli(['-U', 'query', ...args], { cwd: dir });
    expect(result.status).toBe(2);
    parseErrorOutput(result.stderr);
  });
});

describe('errors', () => {
  it.each([
    ['unknown command', ['frobnicate'], 'frobnicate'],
    ['unknown long flag', ['--frobnicate', 'annotate'], '--frobnicate'],
    ['unknown short flag', ['-Z', 'annotate'], '-Z'],
    ['-c without a file', ['-c'], '-c'],
  ])('%s: usage error, exit 2', async (_what, args, word) => {
    const dir = tree(project);
    const result = await runCli(args, { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const error = parseErrorOutput(result.stderr);
    expect(error.message).toContain(word);
  });

  it.each([
    ['a syntax error', { 'buildout.cfg': cfg('[buildout]', 'parts =', 'oops: 1') }, 'buildout.cfg', 3],
    [
      'a syntax error in an extended file',
      { 'buildout.cfg': cfg('[buildout]', 'extends = sub/b.cfg'), 'sub/b.cfg': cfg('[x]', '  [y]') },
      'sub/b.cfg',
      2,
    ],
    ['an unknown condition name', { 'buildout.cfg': cfg('[a]', '[b: frobnicate]') }, 'buildout.cfg', 2],
    ['a bad boolean', { 'buildout.cfg': cfg('[buildout]', 'offline = yes') }, 'buildout.cfg', 2],
    [
      'an extends cycle',
      { 'buildout.cfg': cfg('[buildout]', 'extends = a.cfg'), 'a.cfg': cfg('[buildout]', 'extends = buildout.cfg') },
      'a.cfg',
      2,
    ],
    ['a missing extended file', { 'buildout.cfg': cfg('[buildout]', 'extends = gone.cfg') }, 'buildout.cfg', 2],
    // zc.buildout resolves [buildout] when it starts, so every command fails on it
    ['a reference error in [buildout]', { 'buildout.cfg': cfg('[buildout]', 'parts = ${nowhere:x}') }, 'buildout.cfg', 2],
  ])('%s: one line file:line:col: message (+ hints), exit 1', async (_what, files, file, line) => {
    const dir = tree(files);
    const result = await runCli(['-U', 'annotate', '--json'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const error = parseErrorOutput(result.stderr);
    // the path as given or relative to the working folder
    expect(resolve(dir, error.file ?? '')).toBe(join(dir, file));
    expect(error.line).toBe(line);
    expect(error.column).toBeGreaterThanOrEqual(1);
  });

  it('hints at a close section name', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'parts =', '[supervisor]', 'port = 1') });
    const result = await runCli(['-U', 'query', 'supervisr:port'], { cwd: dir });
    expect(result.status).toBe(1);
    const error = parseErrorOutput(result.stderr);
    expect(error.message).toContain('supervisr');
    expect(error.hints.join(' ')).toContain('[supervisor]');
  });

  it('annotate --json shows an unresolvable value of an unused section raw, with one warning naming it', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'parts =', '[a]', 'x = ${nowhere:y}', 'ok = fine') });
    const result = await runCli(['-U', 'annotate', '--json'], { cwd: dir });
    expect(result.status).toBe(0);
    expect((JSON.parse(result.stdout) as { sections: Record<string, unknown> }).sections.a).toEqual({ x: '${nowhere:y}', ok: 'fine' });
    const warnings = result.stderr.split('\n').filter((line) => line !== '');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('nowhere');
  });

  it('annotate shows an unresolvable value raw, with one warning naming it', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'parts =', '[a]', 'x = ${nowhere:y}') });
    const result = await runCli(['-U', 'annotate', 'a'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('x= ${nowhere:y}');
    const warnings = result.stderr.split('\n').filter((line) => line !== '');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('nowhere');
  });

  it('no buildout.cfg here or above: a clear error, exit 1', async () => {
    const dir = tempDir();
    const result = await runCli(['-U', 'annotate', '--json'], { cwd: dir });
    expect(result.status).toBe(1);
    const error = parseErrorOutput(result.stderr);
    expect(error.message).toContain('buildout.cfg');
  });

  it('a bad command-line assignment: exit 1 or 2, never a stack trace', async () => {
    const dir = tree(project);
    const result = await runCli(['-U', 'a:b:c=1', 'annotate', '--json'], { cwd: dir });
    expect([1, 2]).toContain(result.status);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(parseErrorOutput(result.stderr).message).toContain('a:b:c');
  });
});

describe('help and version', () => {
  it('--help lists the config commands, exit 0', async () => {
    const result = await runCli(['--help'], { cwd: tempDir() });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/annotate/);
    expect(result.stdout).toMatch(/query/);
    expect(result.stdout).toMatch(/-U/);
  });

  it('--version prints a version, exit 0', async () => {
    const result = await runCli(['--version'], { cwd: tempDir() });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\d+\.\d+\.\d+/);
  });
});
