// Spec "Layers": user defaults, command-line assignments and `+=`/`-=` merging.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuildout } from './api.js';
import { cfg, expectBuildoutError, loadTree, tempDir, tree } from './helpers.js';

describe('user defaults', () => {
  const config = cfg('[buildout]', 'parts =', 'find-links += from-config', '[app]', 'own = config', 'shared = config');
  const userDefaults = cfg(
    '[buildout]',
    'find-links = from-defaults',
    'bin-directory = user-bin',
    '[app]',
    'shared = defaults',
    'only-defaults = yes',
  );

  it('reads $BUILDOUT_HOME/default.cfg, below the config file', async () => {
    const home = tree({ 'default.cfg': userDefaults });
    const { dir, buildout } = await loadTree({ 'buildout.cfg': config }, { userDefaults: true, env: { BUILDOUT_HOME: home } });
    expect(buildout.resolveSection('app')).toEqual({ own: 'config', shared: 'config', 'only-defaults': 'yes' });
    expect(buildout.get('buildout', 'find-links')).toBe('from-defaults\nfrom-config');
    // user defaults override the built-in defaults; relative directories become absolute
    expect(buildout.get('buildout', 'bin-directory')).toBe(join(dir, 'user-bin'));
  });

  it('reads ~/.buildout/default.cfg from HOME when BUILDOUT_HOME is not set', async () => {
    const home = tree({ '.buildout/default.cfg': userDefaults });
    const { buildout } = await loadTree({ 'buildout.cfg': config }, { userDefaults: true, env: { HOME: home } });
    expect(buildout.get('app', 'only-defaults')).toBe('yes');
  });

  it('prefers $BUILDOUT_HOME over HOME', async () => {
    const buildoutHome = tree({ 'default.cfg': cfg('[app]', 'which = buildout-home') });
    const home = tree({ '.buildout/default.cfg': cfg('[app]', 'which = home') });
    const { buildout } = await loadTree(
      { 'buildout.cfg': config },
      { userDefaults: true, env: { HOME: home, BUILDOUT_HOME: buildoutHome } },
    );
    expect(buildout.get('app', 'which')).toBe('buildout-home');
  });

  it('skips them with userDefaults: false (-U)', async () => {
    const home = tree({ 'default.cfg': userDefaults, '.buildout/default.cfg': userDefaults });
    const { dir, buildout } = await loadTree({ 'buildout.cfg': config }, { userDefaults: false, env: { HOME: home, BUILDOUT_HOME: home } });
    expect(buildout.getOptional('app', 'only-defaults')).toBeUndefined();
    expect(buildout.get('buildout', 'bin-directory')).toBe(join(dir, 'bin'));
  });

  it('is not an error when there is no default.cfg', async () => {
    const home = tempDir();
    const { buildout } = await loadTree({ 'buildout.cfg': config }, { userDefaults: true, env: { HOME: home, BUILDOUT_HOME: home } });
    expect(buildout.get('app', 'own')).toBe('config');
  });

  it('are the base of += in the config chain (zc.buildout 6 merges them into the chain’s first file)', async () => {
    const home = tree({ 'default.cfg': cfg('[app]', 'eggs = user') });
    const { buildout } = await loadTree(
      {
        'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[app]', 'eggs += config'),
        'base.cfg': cfg('[app]', 'other = 1', 'eggs += base'),
      },
      { userDefaults: true, env: { BUILDOUT_HOME: home } },
    );
    expect(buildout.get('app', 'eggs')).toBe('user\nbase\nconfig');
  });

  it('may extend files relative to their folder', async () => {
    const home = tree({ 'default.cfg': cfg('[buildout]', 'extends = more/extra.cfg'), 'more/extra.cfg': cfg('[app]', 'extra = yes') });
    const { buildout } = await loadTree({ 'buildout.cfg': config }, { userDefaults: true, env: { BUILDOUT_HOME: home } });
    expect(buildout.get('app', 'extra')).toBe('yes');
  });

  it('reports errors in default.cfg with its location', async () => {
    const home = tree({ 'default.cfg': cfg('[buildout]', 'oops') });
    await expectBuildoutError(() => loadTree({ 'buildout.cfg': config }, { userDefaults: true, env: { BUILDOUT_HOME: home } }), {
      code: 'SYNTAX',
      file: join(home, 'default.cfg'),
      line: 2,
    });
  });
});

describe('command-line assignments', () => {
  const config = cfg(
    '[buildout]',
    'parts = app',
    '[app]',
    'port = 8080',
    'eggs =',
    '    one',
    '    two',
    '    three',
    'url = http://localhost:${:port}/',
  );

  it('set options of any section; no section means [buildout]', async () => {
    const { buildout } = await loadTree(
      { 'buildout.cfg': config },
      { assignments: ['app:port=9090', 'parts=app db', 'db:recipe=example', 'db:dsn=pg://${app:port}'] },
    );
    expect(buildout.get('app', 'port')).toBe('9090');
    expect(buildout.get('app', 'url')).toBe('http://localhost:9090/');
    expect(buildout.get('buildout', 'parts')).toBe('app db');
    expect(buildout.resolveSection('db')).toEqual({ recipe: 'example', dsn: 'pg://9090' });
  });

  it('add and remove lines with += and -=', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': config }, { assignments: ['app:eggs+=four', 'app:eggs-=two'] });
    expect(buildout.get('app', 'eggs')).toBe('one\nthree\nfour');
  });

  it('trim section, option and value, and split at the first =', async () => {
    const { buildout } = await loadTree({ 'buildout.cfg': config }, { assignments: [' app : note = a=b '] });
    expect(buildout.get('app', 'note')).toBe('a=b');
  });

  it('apply += to a missing option of an existing section onto "" and in a new section as a plain value', async () => {
    const { buildout } = await loadTree(
      { 'buildout.cfg': config },
      { assignments: ['app:added+=x', 'fresh:added+=v', 'fresh:removed-=v'] },
    );
    expect(buildout.get('app', 'added')).toBe('\nx');
    expect(buildout.resolveSection('fresh')).toEqual({ added: 'v', removed: '' });
  });

  it('are the top layer, above files named by buildout:extends=', async () => {
    const { buildout } = await loadTree(
      {
        'buildout.cfg': config,
        'profiles/production.cfg': cfg('[buildout]', 'extends = common.cfg', '[app]', 'port = 80', 'mode = production', 'eggs += gunicorn'),
        'profiles/common.cfg': cfg('[app]', 'eggs = common', 'workers = 4'),
      },
      { assignments: ['buildout:extends=profiles/production.cfg', 'app:workers=8'] },
    );
    expect(buildout.get('app', 'mode')).toBe('production');
    expect(buildout.get('app', 'port')).toBe('80');
    expect(buildout.get('app', 'eggs')).toBe('common\ngunicorn');
    expect(buildout.get('app', 'workers')).toBe('8');
    expect(buildout.getOptional('buildout', 'extends')).toBeUndefined();
  });

  it('resolve buildout:extends= relative to the working folder', async () => {
    const dir = tree({ 'project/buildout.cfg': config, 'elsewhere/extra.cfg': cfg('[app]', 'extra = yes') });
    const buildout = await loadBuildout({
      configFile: join(dir, 'project', 'buildout.cfg'),
      cwd: join(dir, 'elsewhere'),
      userDefaults: false,
      env: {},
      assignments: ['buildout:extends=extra.cfg'],
    });
    expect(buildout.get('app', 'extra')).toBe('yes');
  });

  it.each([['a:b:c=1'], ['no-equals-sign'], ['=value'], ['section:=value']])('reject the malformed assignment %j', async (assignment) => {
    await expectBuildoutError(() => loadTree({ 'buildout.cfg': config }, { assignments: [assignment] }), {
      code: 'BAD_ASSIGNMENT',
    });
  });
});

describe('+= and -=', () => {
  it('+= appends the new lines after the old ones; -= removes every old line equal to a new one', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'list +=', '    c', '    d', 'dupes -= x'),
      'base.cfg': cfg('[s]', 'list =', '    a', '    b', 'dupes =', '    x', '    y', '    x', '    xx'),
    });
    expect(buildout.get('s', 'list')).toBe('a\nb\nc\nd');
    expect(buildout.get('s', 'dupes')).toBe('y\nxx');
  });

  it('take the plain value of the same layer as base before the lower layer’s', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'x = mine', 'x += more', 'y = one two', 'y -= one two'),
      'base.cfg': cfg('[s]', 'x = base', 'y = base'),
    });
    expect(buildout.get('s', 'x')).toBe('mine\nmore');
    expect(buildout.get('s', 'y')).toBe('');
  });

  it('+= comes before -= within a layer', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'x -= b', 'x += b', '    c'),
      'base.cfg': cfg('[s]', 'x = a'),
    });
    expect(buildout.get('s', 'x')).toBe('a\nc');
  });

  it('onto a missing option of an existing section start from "": "\\nv" and ""', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'added += v', 'removed -= v'),
      'base.cfg': cfg('[s]', 'other = 1'),
    });
    expect(buildout.get('s', 'added')).toBe('\nv');
    expect(buildout.get('s', 'removed')).toBe('');
  });

  it('in a section new to the accumulated result become plain values, however they are spelled', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg(
        '[buildout]',
        'parts =',
        '[fresh]',
        'spaced += v',
        'tight+= w',
        'tighter+=x',
        'removed -= v',
        'both += v',
        'both -= v',
      ),
    });
    expect(buildout.resolveSection('fresh')).toEqual({ spaced: 'v', tight: 'w', tighter: 'x', removed: '', both: '' });
  });

  it('accumulate across an extends chain', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = middle.cfg', '[s]', 'eggs += top', 'eggs -= gone'),
      'middle.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'eggs +=', '    middle', '    gone'),
      'base.cfg': cfg('[s]', 'eggs =', '    base', '    gone'),
    });
    expect(buildout.get('s', 'eggs')).toBe('base\nmiddle\ntop');
  });

  it('repeated in one section of one file all apply (zc.buildout 6 merges them, e.g. from conditional sections)', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'list += one', '[s]', 'list += two', 'list -= base2'),
      'base.cfg': cfg('[s]', 'list =', '    base1', '    base2'),
    });
    expect(buildout.get('s', 'list')).toBe('base1\none\ntwo');
  });

  it('a plain assignment after += in the same section of a file replaces it (zc.buildout 6)', async () => {
    const { buildout } = await loadTree({
      'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[t]', 'value += first', 'value = reset'),
      'base.cfg': cfg('[t]', 'value = base'),
    });
    expect(buildout.get('t', 'value')).toBe('reset');
  });

  it('record the history of a value, oldest first', async () => {
    const { dir, buildout } = await loadTree(
      {
        'buildout.cfg': cfg('[buildout]', 'extends = base.cfg', '[s]', 'x += child'),
        'base.cfg': cfg('[s]', 'x = base', 'y = 1'),
      },
      { assignments: ['s:x-=base', 's:y=2'] },
    );
    const steps = buildout
      .history('s', 'x')
      .map((entry) => [
        entry.operation,
        entry.source.kind,
        entry.source.kind === 'file' ? `${entry.source.location.file}:${entry.source.location.line}` : '',
      ]);
    expect(steps).toEqual([
      ['set', 'file', `${join(dir, 'base.cfg')}:2`],
      ['add', 'file', `${join(dir, 'buildout.cfg')}:4`],
      ['remove', 'command-line', ''],
    ]);
    expect(buildout.history('s', 'y').map((entry) => [entry.operation, entry.source.kind])).toEqual([
      ['set', 'file'],
      ['override', 'command-line'],
    ]);
    expect(buildout.history('s', 'nothing')).toEqual([]);
  });
});
