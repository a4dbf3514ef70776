// Spec "[buildout] defaults" and config discovery (no -c).
import { existsSync } from 'node:fs';
import { dirname, join, parse as parsePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuildout } from './api.js';
import { cfg, expectBuildoutError, loadTree, tempDir, tree } from './helpers.js';

describe('[buildout] defaults', () => {
  it('are directory (the config’s folder), absolute bin/parts/eggs/installed, INFO, false, true; no parts', async () => {
    const { dir, buildout } = await loadTree({ 'buildout.cfg': cfg('[buildout]', '[other]', 'x = 1') });
    expect(buildout.directory).toBe(dir);
    expect(buildout.configFile).toBe(join(dir, 'buildout.cfg'));
    expect(buildout.resolveSection('buildout')).toEqual({
      directory: dir,
      'bin-directory': join(dir, 'bin'),
      'parts-directory': join(dir, 'parts'),
      'eggs-directory': join(dir, 'eggs'),
      installed: join(dir, '.installed.cfg'),
      'log-level': 'INFO',
      offline: 'false',
      newest: 'true',
    });
    expect(buildout.getOptional('buildout', 'parts')).toBeUndefined();
  });

  it('exist without a [buildout] section in the file', async () => {
    const { dir, buildout } = await loadTree({ 'buildout.cfg': cfg('[app]', 'bin = ${buildout:bin-directory}') });
    expect(buildout.get('app', 'bin')).toBe(join(dir, 'bin'));
    expect(buildout.toJSON().sections.buildout?.directory).toBe(dir);
  });

  it('make relative directories absolute against `directory`, and leave absolute ones alone', async () => {
    const { dir, buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[buildout]',
        'extends = profiles/base.cfg',
        'bin-directory = scripts',
        'installed = state/installed.cfg',
        '[app]',
        'bin = ${buildout:bin-directory}',
        'parts = ${buildout:parts-directory}',
        'installed = ${buildout:installed}',
      ),
      // set in an extended file in a subfolder: still relative to `directory`
      'profiles/base.cfg': cfg('[buildout]', 'parts-directory = build/parts'),
    });
    expect(buildout.resolveSection('app')).toEqual({
      bin: join(dir, 'scripts'),
      parts: join(dir, 'build', 'parts'),
      installed: join(dir, 'state', 'installed.cfg'),
    });
    const absolute = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'bin-directory = /opt/bin', 'parts-directory = ${buildout:directory}/p'),
    });
    expect(absolute.buildout.get('buildout', 'bin-directory')).toBe('/opt/bin');
    expect(absolute.buildout.get('buildout', 'parts-directory')).toBe(join(absolute.dir, 'p'));
  });

  it('take -o/-O/-n/-N style assignments', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': cfg('[buildout]') }, { assignments: ['buildout:offline=true', 'newest=false'] });
    expect(buildout.getBoolean('buildout', 'offline', false)).toBe(true);
    expect(buildout.getBoolean('buildout', 'newest', true)).toBe(false);
  });

  it('getBoolean accepts exactly true and false, else BAD_BOOLEAN naming where the value came from', async () => {
    const { dir, buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', '[s]', 'yes = true', 'no = false', 'title = True', 'word = yes', 'ref = ${:yes}'),
    });
    expect(buildout.getBoolean('s', 'yes', false)).toBe(true);
    expect(buildout.getBoolean('s', 'no', true)).toBe(false);
    expect(buildout.getBoolean('s', 'ref', false)).toBe(true);
    expect(buildout.getBoolean('s', 'missing', true)).toBe(true);
    await expectBuildoutError(() => buildout.getBoolean('s', 'title', false), {
      code: 'BAD_BOOLEAN',
      file: join(dir, 'buildout.cfg'),
      line: 5,
      words: ['True'],
    });
    await expectBuildoutError(() => buildout.getBoolean('s', 'word', false), { code: 'BAD_BOOLEAN', line: 6, words: ['word'] });
  });

  it('reject offline/newest that are not exactly true/false when loading', async () => {
    for (const [option, value] of [
      ['offline', 'yes'],
      ['newest', 'True'],
      ['offline', ''],
    ] as const) {
      await expectBuildoutError(() => loadTree({ 'buildout.cfg': cfg('[buildout]', 'parts =', `${option} = ${value}`) }), {
        code: 'BAD_BOOLEAN',
        line: 3,
        words: [option],
      });
    }
  });
});

describe('config discovery', () => {
  it('finds buildout.cfg in the working folder', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[buildout]', 'parts =', '[s]', 'x = here') });
    const buildout = await loadBuildout({ cwd: dir, userDefaults: false, env: {} });
    expect(buildout.configFile).toBe(join(dir, 'buildout.cfg'));
    expect(buildout.get('s', 'x')).toBe('here');
  });

  it('finds buildout.cfg in a parent folder; directory is that folder', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[s]', 'x = parent'), 'src/pkg/deep/file.txt': '' });
    const buildout = await loadBuildout({ cwd: join(dir, 'src', 'pkg', 'deep'), userDefaults: false, env: {} });
    expect(buildout.configFile).toBe(join(dir, 'buildout.cfg'));
    expect(buildout.directory).toBe(dir);
    expect(buildout.get('buildout', 'bin-directory')).toBe(join(dir, 'bin'));
  });

  it('takes the nearest buildout.cfg', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[s]', 'x = outer'), 'inner/buildout.cfg': cfg('[s]', 'x = inner'), 'inner/sub/.keep': '' });
    const buildout = await loadBuildout({ cwd: join(dir, 'inner', 'sub'), userDefaults: false, env: {} });
    expect(buildout.get('s', 'x')).toBe('inner');
  });

  it('ignores other file names', async () => {
    const dir = tree({ 'buildout.cfg.bak': cfg('[s]'), 'Buildout.cfg.txt': cfg('[s]'), 'default.cfg': cfg('[s]') });
    const ancestors = [];
    for (let folder = dir; ; folder = dirname(folder)) {
      ancestors.push(folder);
      if (folder === parsePath(folder).root) break;
    }
    if (ancestors.some((folder) => existsSync(join(folder, 'buildout.cfg')))) return; // a stray buildout.cfg above the temp folder
    const error = await expectBuildoutError(() => loadBuildout({ cwd: dir, userDefaults: false, env: {} }), {
      code: 'CONFIG_NOT_FOUND',
      words: ['buildout.cfg', dir],
    });
    // and says what to do
    expect(`${error.message} ${error.hint ?? ''}`).toContain('-c');
  });

  it('-c loads exactly that file, relative to the working folder', async () => {
    const dir = tree({ 'buildout.cfg': cfg('[s]', 'x = default'), 'conf/other.cfg': cfg('[s]', 'x = other') });
    const buildout = await loadBuildout({ configFile: 'conf/other.cfg', cwd: dir, userDefaults: false, env: {} });
    expect(buildout.get('s', 'x')).toBe('other');
    expect(buildout.directory).toBe(join(dir, 'conf'));
  });

  it('-c with a missing file is a clear error naming it', async () => {
    const dir = tempDir();
    const error = await expectBuildoutError(() => loadBuildout({ configFile: 'missing.cfg', cwd: dir, userDefaults: false, env: {} }), {
      code: 'FILE_NOT_FOUND',
      words: ['missing.cfg'],
    });
    expect(error.message).toContain(join(dir, 'missing.cfg'));
  });
});
