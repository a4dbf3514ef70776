/** Recipe API 1.0 as recipes see it: part.buildout, defineSection's `after`, own paths, and API 0.x indexing. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, exists, install, read, tree, TRACE_RECIPE } from './__fixtures__/support.js';
import { ownPaths } from './own-paths.js';

/** A recipe that writes what `probe` (a function body of `part`) returns into report.json. */
function probing(body: string): Record<string, string> {
  return {
    'recipes/probe.mjs': `
import { writeFileSync } from 'node:fs';
export default {
  install(part) {
    const report = (() => { ${body} })();
    writeFileSync('report.json', JSON.stringify(report));
    return [];
  },
};`,
    'recipes/trace.mjs': TRACE_RECIPE,
  };
}

function buildout(body: string, config = ''): string {
  return tree({
    'buildout.cfg': `[buildout]\nparts = probe\n[shared]\ngreeting = hello \${buildout:directory}\n[probe]\nrecipe = ./recipes/probe.mjs\n${config}`,
    ...probing(body),
  });
}

describe('part.buildout', () => {
  it('get substitutes, getOptional gives undefined for a missing option or section, has and sections tell what exists', async () => {
    const root = buildout(`
      const b = part.buildout;
      return {
        greeting: b.get('shared', 'greeting'),
        missingOption: b.getOptional('shared', 'nope') ?? null,
        missingSection: b.getOptional('nowhere', 'x') ?? null,
        has: [b.has('shared'), b.has('shared', 'greeting'), b.has('shared', 'nope'), b.has('nowhere')],
        sections: b.sections(),
        options: b.options('shared'),
        configFile: b.configFile,
      };`);
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(JSON.parse(read(root, 'report.json'))).toEqual({
      greeting: `hello ${root}`,
      missingOption: null,
      missingSection: null,
      has: [true, true, false, false],
      sections: ['buildout', 'shared', 'probe'],
      options: { greeting: `hello ${root}` },
      configFile: join(root, 'buildout.cfg'),
    });
    expect(run.logs.filter((record) => record.level === 'warn')).toEqual([]);
  });

  it('get of a missing option throws the coded error, which names the part', async () => {
    const run = await install(buildout(`return part.buildout.get('shared', 'nope');`));
    expect(run.error).toMatchObject({ code: 'MISSING_OPTION', part: 'probe', message: 'Missing option: shared:nope' });
  });

  it('API 0.x indexing still works, with one deprecation warning saying what to write instead', async () => {
    const root = buildout(`
      return [part.buildout.shared.greeting, part.buildout['buildout']['parts'], 'shared' in part.buildout, 'nowhere' in part.buildout];`);
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(JSON.parse(read(root, 'report.json'))).toEqual([`hello ${root}`, 'probe', true, false]);
    const warnings = run.logs.filter((record) => record.level === 'warn');
    expect(warnings).toEqual([
      {
        level: 'warn',
        part: 'probe',
        message:
          "its recipe reads part.buildout['shared'][...], the recipe API 0.x way: since 1.0 write part.buildout.get('shared', option), or getOptional(...) for an option that may be missing",
      },
    ]);
  });
});

describe('part.defineSection', () => {
  const meta = (settings: string) => ({
    'recipes/meta.mjs': `
export default {
  init(part) {
    part.defineSection('gen-b', { recipe: './recipes/trace.mjs' }, ${settings});
    part.defineSection('gen-a', { recipe: './recipes/trace.mjs' }, { part: true });
  },
  install() { return []; },
};`,
    'recipes/trace.mjs': TRACE_RECIPE,
  });

  it('installs a defined part after the parts named in after, without writing any magic option', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = gen\n[gen]\nrecipe = ./recipes/meta.mjs\n',
      ...meta("{ part: true, after: ['gen-a'] }"),
    });
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(events(root)).toEqual(['install gen-a', 'install gen-b']);
  });

  it('without after, defined parts install in the order they were defined', async () => {
    const root = tree({ 'buildout.cfg': '[buildout]\nparts = gen\n[gen]\nrecipe = ./recipes/meta.mjs\n', ...meta('{ part: true }') });
    await install(root);
    expect(events(root)).toEqual(['install gen-b', 'install gen-a']);
  });

  it('refuses an after that is not a list of part names', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = gen\n[gen]\nrecipe = ./recipes/meta.mjs\n',
      ...meta("{ part: true, after: 'gen-a' }"),
    });
    const run = await install(root);
    expect(run.error).toMatchObject({ code: 'RECIPE_INVALID', part: 'gen', message: 'defineSection: after must be a list of part names' });
  });
});

describe('names a recipe gives', () => {
  const setting = (init: string) =>
    tree({
      'buildout.cfg': '[buildout]\nparts = p\n[p]\nrecipe = ./recipes/set.mjs\n',
      'recipes/set.mjs': `export default { init(part) { ${init} }, install() { return []; }, update() {} };`,
    });

  // Each would be written to .installed.cfg as a line that reads back as something else, or not at all.
  it.each(['a b', 'c:d', 'e=f', '[g]', 'h{', '#i', ';j', 'k+', 'l-', ''])(
    'init setting option %j fails before anything is recorded',
    async (name) => {
      const root = setting(`part.options[${JSON.stringify(name)}] = 'x';`);
      const run = await install(root);
      expect(run.error).toMatchObject({
        code: 'BAD_ASSIGNMENT',
        part: 'p',
        message: `invalid option name '${name}' in [p]: .installed.cfg could not record it`,
      });
      expect(exists(root, '.installed.cfg')).toBe(false);
    },
  );

  it('init setting a value no file can store (a lone surrogate) fails before anything is recorded', async () => {
    const root = setting(`part.options.text = 'ok \\ud800';`);
    const run = await install(root);
    expect(run.error).toMatchObject({
      code: 'BAD_ASSIGNMENT',
      part: 'p',
      message: 'the value of option text in [p] is not valid Unicode text',
    });
    expect(run.error!.hint).toContain('at index 3');
    expect(exists(root, '.installed.cfg')).toBe(false);
  });

  // The record keeps a part's paths and signature under these names beside its options: uninstall would remove an option's paths.
  it.each([
    ['written in buildout.cfg', '__buildout_installed__', { file: 'buildout.cfg', line: 5 }],
    ['set by init', '__buildout_signature__', undefined],
  ])('an option %s under a name the record keeps for itself (%s) is refused before anything runs', async (_how, option, at) => {
    const outside = tree({ 'keep.txt': 'kept' });
    const root = tree({
      'buildout.cfg': `[buildout]\nparts = p\n[p]\nrecipe = ./recipes/set.mjs\n${at ? `${option} = ${outside}\n` : ''}`,
      'recipes/set.mjs': `export default { init(part) { ${at ? '' : `part.options.${option} = ${JSON.stringify(outside)};`} }, install() { return []; } };`,
    });
    const run = await install(root);
    expect(run.error).toMatchObject({
      code: 'RESERVED_NAME',
      part: 'p',
      message: `part p has an option named ${option}, which buildout keeps for itself`,
    });
    if (at) expect(run.error!.location).toMatchObject({ ...at, file: join(root, at.file) });
    expect(exists(root, '.installed.cfg')).toBe(false);
    expect(read(outside, 'keep.txt')).toBe('kept');
  });

  it('defineSection refuses a section or option name a config file could not hold', async () => {
    for (const [section, option] of [
      ['gen b', 'x'],
      ['gen', 'a b'],
    ]) {
      const root = setting(`part.defineSection(${JSON.stringify(section)}, { ${JSON.stringify(option)}: 'v' }, { part: false });`);
      const run = await install(root);
      expect(run.error).toMatchObject({ code: 'BAD_ASSIGNMENT', part: 'p' });
      expect(run.error!.message).toContain(`'${section === 'gen' ? option : section}'`);
    }
  });

  it('names and values that read back as themselves are recorded, and the next run only updates', async () => {
    const values = {
      nbsp: '\u00a0x\u3000',
      'a.b': ' lead',
      'x-y': 'trail ',
      '+z': 'a\r\nb',
      w_1: '\n\nthird line\n',
      ref: '${not:substituted}',
    };
    const root = setting(`Object.assign(part.options, ${JSON.stringify(values)});`);
    expect((await install(root)).error).toBeUndefined();
    const again = await install(root);
    expect(again.error).toBeUndefined();
    expect(again.summary).toMatchObject({ installed: [], updated: ['p'] });
  });
});

describe('paths a recipe returns', () => {
  // .installed.cfg lists a path per line: 'parts/x\n<outside>' would read back as two, and uninstall would remove <outside>.
  it.each(['return', 'created'])('a path holding a newline is refused (%s), before it is recorded', async (how) => {
    const outside = tree({ 'keep.txt': 'not the buildout' });
    const path = `parts/x\n${outside}`;
    const give = how === 'return' ? `return [${JSON.stringify(path)}];` : `part.created(${JSON.stringify(path)}); return [];`;
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = p\n[p]\nrecipe = ./recipes/paths.mjs\n',
      'recipes/paths.mjs': `import { mkdirSync } from 'node:fs';\nexport default { install(part) { mkdirSync(${JSON.stringify(path)}, { recursive: true }); ${give} } };`,
    });
    const run = await install(root);
    expect(run.error).toMatchObject({
      code: 'RECIPE_INVALID',
      part: 'p',
      message: `the recipe returned something other than a list of paths (non-empty, without NUL bytes or newlines): ${JSON.stringify(path)}`,
    });
    expect(exists(root, '.installed.cfg')).toBe(false);
    expect(read(outside, 'keep.txt')).toBe('not the buildout');
  });
});

describe('ownPaths', () => {
  it("lists the configuration, the state files and buildout's folders, absolute", () => {
    const options: Record<string, string> = {
      directory: '/b',
      installed: '.installed.cfg',
      'bin-directory': 'bin',
      'parts-directory': '/elsewhere/parts',
      'extends-cache': '/cache/extends',
    };
    const paths = ownPaths({
      configFile: '/b/buildout.cfg',
      configFiles: ['/b/buildout.cfg', '/b/base.cfg'],
      getOptional: (_section, option) => options[option],
    });
    expect(paths).toEqual([
      { path: '/b/buildout.cfg', role: 'config', withSuffixes: false },
      { path: '/b/base.cfg', role: 'config', withSuffixes: false },
      { path: '/b/.installed.cfg', role: 'state', withSuffixes: true },
      { path: '/b/.buildout.lock', role: 'state', withSuffixes: true },
      { path: '/b/bin', role: 'folder', withSuffixes: false },
      { path: '/elsewhere/parts', role: 'folder', withSuffixes: false },
      // zc.buildout's defaults when unset
      { path: '/b/eggs', role: 'folder', withSuffixes: false },
      { path: '/b/develop-eggs', role: 'folder', withSuffixes: false },
      { path: '/cache/extends', role: 'cache', withSuffixes: false },
      { path: '/b/.buildout-cache', role: 'cache', withSuffixes: false },
    ]);
  });

  it('is computed from a loaded configuration', async () => {
    const root = buildout(`return 'ok';`);
    const run = await install(root);
    expect(run.error).toBeUndefined();
    const { loadBuildout } = await import('@buildout/config');
    const loaded = await loadBuildout({ cwd: root, userDefaults: false, env: {} });
    expect(ownPaths(loaded).map(({ path }) => path)).toEqual([
      join(root, 'buildout.cfg'),
      join(root, '.installed.cfg'),
      join(root, '.buildout.lock'),
      join(root, 'bin'),
      join(root, 'parts'),
      join(root, 'eggs'),
      join(root, 'develop-eggs'),
      join(root, '.buildout-cache'),
    ]);
  });
});
