/** The part lifecycle on real buildout.cfg files with real recipe modules in temporary folders. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, exists, install, plan, read, tree, TRACE_RECIPE, write } from './__fixtures__/support.js';
import type { EnginePlugin } from './engine.js';
import { RECIPE_RUNNER } from './hooks.js';
import { contentHash } from './modules.js';

function buildout(config: string, files: Record<string, string> = {}): string {
  return tree({ 'buildout.cfg': config, 'recipes/trace.mjs': TRACE_RECIPE, ...files });
}

function installedParts(root: string): string {
  return /^parts = (.*)$/m.exec(read(root, '.installed.cfg'))![1]!;
}

describe('install', () => {
  it('refuses a part named .. before any recipe runs: nothing is written in the buildout directory', async () => {
    const root = buildout('[buildout]\nparts = ..\n[..]\nrecipe = ./recipes/trace.mjs\ntext = x\n');
    const run = await install(root);
    expect(run.error).toMatchObject({ code: 'BAD_PART_NAME', part: '..', location: { line: 3 } });
    expect(exists(root, 'out.txt') || exists(root, 'events.log') || exists(root, '.installed.cfg')).toBe(false);
  });

  it('installs the parts, records them and their paths, and updates them on the next run', async () => {
    const root = buildout(`
[buildout]
parts = a b
[a]
recipe = ./recipes/trace.mjs
text = hello
[b]
recipe = ./recipes/trace.mjs
`);
    const first = await install(root);
    expect(first.error).toBeUndefined();
    expect(first.summary).toMatchObject({ installed: ['a', 'b'], updated: [], uninstalled: [] });
    expect(events(root)).toEqual(['install a', 'install b']);
    expect(read(root, 'parts/a/out.txt')).toBe('hello');
    const state = read(root, '.installed.cfg');
    expect(installedParts(root)).toBe('a b');
    expect(state).toMatch(
      /\[a\]\n__buildout_installed__ = parts\/a\n__buildout_signature__ = recipes\/trace\.mjs@sha256:[0-9a-f]{16}\nrecipe = \.\/recipes\/trace\.mjs\ntext = hello\n/,
    );
    expect(exists(root, '.installed.cfg.journal')).toBe(false);

    const second = await install(root);
    expect(second.summary).toMatchObject({ installed: [], updated: ['a', 'b'] });
    expect(events(root)).toEqual(['update a', 'update b']);
    expect(read(root, '.installed.cfg')).toBe(state);
  });

  it('runs install again, with a warning, for an unchanged part whose recipe has no update', async () => {
    const root = buildout(
      `
[buildout]
parts = plain
[plain]
recipe = ./recipes/plain.mjs
`,
      {
        'recipes/plain.mjs':
          "import { appendFileSync } from 'node:fs';\nexport default { install() { appendFileSync('runs.txt', 'x'); return ['runs.txt']; } };\n",
      },
    );
    await install(root);
    const second = await install(root);
    expect(second.summary).toMatchObject({ updated: ['plain'] });
    expect(read(root, 'runs.txt')).toBe('xx');
    expect(second.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        part: 'plain',
        message: 'recipe ./recipes/plain.mjs has no update method; running its install again',
      }),
    );
  });

  it('reinstalls a part whose option changed: uninstall (hook, then files) before install', async () => {
    const root = buildout(`
[buildout]
parts = a b
[a]
recipe = ./recipes/trace.mjs
text = one
[b]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    events(root);
    write(root, { 'buildout.cfg': read(root, 'buildout.cfg').replace('text = one', 'text = two') });
    const planned = await plan(root);
    expect(planned.steps[0]).toMatchObject({
      part: 'a',
      action: 'install',
      reason: { kind: 'changed', options: [{ option: 'text', old: 'one', new: 'two' }] },
    });
    const run = await install(root);
    expect(run.summary).toMatchObject({ uninstalled: ['a'], installed: ['a'], updated: ['b'] });
    // The uninstall hook still saw the files: it runs before they are removed.
    expect(events(root)).toEqual(['uninstall a', 'install a', 'update b']);
    expect(read(root, 'parts/a/out.txt')).toBe('two');
  });

  it('reinstalls a part when the local recipe module changes (its content hash is in the signature)', async () => {
    const root = buildout(`
[buildout]
parts = a
[a]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    events(root);
    write(root, { 'recipes/trace.mjs': `${TRACE_RECIPE}\n// edited\n` });
    const planned = await plan(root);
    expect(planned.steps[0]!.reason).toMatchObject({
      kind: 'changed',
      options: [],
      recipe: { old: expect.stringMatching(/^recipes\/trace\.mjs@sha256:/) },
    });
  });

  it('reinstalls a part whose recorded file was deleted', async () => {
    const root = buildout(`
[buildout]
parts = a
[a]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    rmSync(join(root, 'parts/a'), { recursive: true });
    events(root);
    expect((await plan(root)).steps[0]).toMatchObject({ action: 'install', reason: { kind: 'path-missing', path: 'parts/a' } });
    await install(root);
    expect(events(root)).toEqual(['uninstall(files already gone) a', 'install a']);
    expect(exists(root, 'parts/a/out.txt')).toBe(true);
  });

  it('uninstalls parts no longer wanted, in reverse installed order, before installing anything', async () => {
    const root = buildout(`
[buildout]
parts = a b c
[a]
recipe = ./recipes/trace.mjs
[b]
recipe = ./recipes/trace.mjs
[c]
recipe = ./recipes/trace.mjs
[d]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    events(root);
    write(root, { 'buildout.cfg': read(root, 'buildout.cfg').replace('parts = a b c', 'parts = d b') });
    const run = await install(root);
    expect(run.summary).toMatchObject({ uninstalled: ['c', 'a'], installed: ['d'], updated: ['b'] });
    expect(events(root)).toEqual(['uninstall c', 'uninstall a', 'install d', 'update b']);
    expect(exists(root, 'parts/a')).toBe(false);
    expect(exists(root, 'parts/c')).toBe(false);
    expect(installedParts(root)).toBe('d b');
  });

  it('still removes the files of a removed part whose recipe module is gone, with a warning', async () => {
    const root = buildout(
      `
[buildout]
parts = a
[a]
recipe = ./recipes/gone.mjs
`,
      {
        'recipes/gone.mjs':
          "import { writeFileSync } from 'node:fs';\nexport default { install() { writeFileSync('a.txt', ''); return ['a.txt']; } };\n",
      },
    );
    await install(root);
    expect(exists(root, 'a.txt')).toBe(true);
    rmSync(join(root, 'recipes/gone.mjs'));
    write(root, { 'buildout.cfg': '[buildout]\nparts =\n' });
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(exists(root, 'a.txt')).toBe(false);
    expect(run.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        part: 'a',
        message: expect.stringContaining("removing its files without the recipe's uninstall"),
      }),
    );
  });

  it('uninstalls everything and deletes .installed.cfg when parts is empty', async () => {
    const root = buildout(`
[buildout]
parts = a
[a]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    write(root, { 'buildout.cfg': read(root, 'buildout.cfg').replace('parts = a', 'parts =') });
    const run = await install(root);
    expect(run.summary).toMatchObject({ uninstalled: ['a'] });
    expect(exists(root, 'parts/a')).toBe(false);
    expect(exists(root, '.installed.cfg')).toBe(false);
  });

  it('installs implicit parts (sections with a recipe referenced through any section) before the parts using them', async () => {
    const root = buildout(`
[buildout]
parts = app
[app]
recipe = ./recipes/trace.mjs
text = \${settings:database}
[settings]
database = \${db:text}
[db]
recipe = ./recipes/trace.mjs
text = postgres
[unused]
broken = \${nowhere:at-all}
`);
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(events(root)).toEqual(['install db', 'install app']);
    expect(read(root, 'parts/app/out.txt')).toBe('postgres');
    expect(installedParts(root)).toBe('db app');
  });

  it('runs init before planning; options it sets are seen by other parts and count in the signature', async () => {
    const root = buildout(
      `
[buildout]
parts = user
[user]
recipe = ./recipes/trace.mjs
text = \${maker:location}
[maker]
recipe = ./recipes/located.mjs
`,
      {
        'recipes/located.mjs': `
export default {
  init(part) { part.options.location = part.directory + '/parts/' + part.name + '-' + (process.env.LOCATION_SUFFIX ?? 'v1'); },
  install(part) { return []; },
  update() {},
};`,
      },
    );
    await install(root);
    expect(read(root, 'parts/user/out.txt')).toBe(join(root, 'parts/maker-v1'));
    expect(read(root, '.installed.cfg')).toContain(`location = ${join(root, 'parts/maker-v1')}`);
    process.env.LOCATION_SUFFIX = 'v2';
    try {
      const planned = await plan(root);
      expect(planned.steps.map((step) => [step.part, step.action])).toEqual([
        ['maker', 'install'],
        ['user', 'install'],
      ]);
      expect(planned.steps[0]!.reason).toMatchObject({ options: [{ option: 'location', new: join(root, 'parts/maker-v2') }] });
    } finally {
      delete process.env.LOCATION_SUFFIX;
    }
  });

  it('installs sections a meta-recipe defines in init as parts, right after it', async () => {
    const root = buildout(
      `
[buildout]
parts = sites last
[sites]
recipe = ./recipes/meta.mjs
names = one two
[last]
recipe = ./recipes/trace.mjs
`,
      {
        'recipes/meta.mjs': `
export default {
  init(part) {
    for (const name of part.options.names.split(' ')) {
      part.defineSection('site-' + name, { recipe: './recipes/trace.mjs', text: name + ' in \${buildout:directory}' }, { part: true });
    }
  },
  install() { return []; },
  update() {},
};`,
      },
    );
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(installedParts(root)).toBe('sites site-one site-two last');
    expect(read(root, 'parts/site-two/out.txt')).toBe(`two in ${root}`);
  });

  it('installs => dependencies first', async () => {
    const root = buildout(`
[buildout]
parts = app
[app]
=> schema
recipe = ./recipes/trace.mjs
[schema]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    expect(events(root)).toEqual(['install schema', 'install app']);
  });

  it('installs only the named parts with install p1 p2', async () => {
    const root = buildout(`
[buildout]
parts = a b c
[a]
recipe = ./recipes/trace.mjs
text = 1
[b]
recipe = ./recipes/trace.mjs
[c]
recipe = ./recipes/trace.mjs
`);
    await install(root, { parts: ['a', 'c'] });
    expect(events(root)).toEqual(['install a', 'install c']);
    expect(installedParts(root)).toBe('a c');
    write(root, { 'buildout.cfg': read(root, 'buildout.cfg').replace('text = 1', 'text = 2').replace('parts = a b c', 'parts = b') });
    const run = await install(root, { parts: ['b'] });
    expect(run.summary).toMatchObject({ installed: ['b'], skipped: ['a', 'c'] });
    expect(events(root)).toEqual(['install b']);
    expect(read(root, 'parts/a/out.txt')).toBe('1');
    expect(installedParts(root)).toBe('b a c');
  });

  it('refuses to install a part that is not a section', async () => {
    const root = buildout('[buildout]\nparts =\n');
    const run = await install(root, { parts: ['ghost'] });
    expect(run.error).toMatchObject({ code: 'PART_NOT_FOUND', part: 'ghost' });
  });

  it('runs recipes with the buildout directory as working directory', async () => {
    const root = buildout(
      `
[buildout]
parts = here
[here]
recipe = ./recipes/cwd.mjs
`,
      {
        'recipes/cwd.mjs': `import { writeFileSync } from 'node:fs';\nexport default { install() { writeFileSync('cwd.txt', process.cwd()); return ['cwd.txt']; } };`,
      },
    );
    await install(root);
    expect(read(root, 'cwd.txt')).toBe(root);
    // As in zc.buildout, bin and parts exist for recipes to write into.
    expect(exists(root, 'bin')).toBe(true);
    expect(exists(root, 'parts')).toBe(true);
  });
});

describe('failures', () => {
  it('removes what a failing install registered, keeps finished parts recorded and leaves later parts alone', async () => {
    const root = buildout(`
[buildout]
parts = a bad c
[a]
recipe = ./recipes/trace.mjs
[bad]
recipe = ./recipes/trace.mjs
fail = install
[c]
recipe = ./recipes/trace.mjs
`);
    const run = await install(root);
    expect(run.error).toMatchObject({ code: 'RECIPE_FAILED', part: 'bad', message: 'install failed: bad broke' });
    expect(run.error!.hint).toContain('trace.mjs');
    expect(exists(root, 'parts/bad')).toBe(false);
    expect(exists(root, 'parts/c')).toBe(false);
    expect(installedParts(root)).toBe('a');
    expect(events(root)).toEqual(['install a']);
  });

  it('drops a part whose update fails, with its files', async () => {
    const root = buildout(`
[buildout]
parts = a
[a]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    expect(exists(root, 'parts/a/out.txt')).toBe(true);
    const run = await install(root, { plugins: [failUpdates] });
    expect(run.error).toMatchObject({ part: 'a', message: 'update failed: update refused by test plugin' });
    expect(exists(root, 'parts/a')).toBe(false);
    expect(exists(root, '.installed.cfg')).toBe(false);
  });

  it('drops a part whose recipe update throws', async () => {
    const root = buildout(
      `
[buildout]
parts = a b
[a]
recipe = ./recipes/trace.mjs
[b]
recipe = ./recipes/trace.mjs
`,
      { 'recipes/trace.mjs': TRACE_RECIPE.replace("part.options.fail === 'update'", 'process.env.FAIL_UPDATE === part.name') },
    );
    // (Setting an option to make b fail would change its options, and so reinstall it instead of updating it.)
    await install(root);
    events(root);
    process.env.FAIL_UPDATE = 'b';
    try {
      const run = await install(root);
      expect(run.error).toMatchObject({ part: 'b', message: 'update failed: update broke' });
    } finally {
      delete process.env.FAIL_UPDATE;
    }
    expect(events(root)).toEqual(['update a', 'update b']);
    expect(exists(root, 'parts/b')).toBe(false);
    expect(installedParts(root)).toBe('a');
  });

  it("passes on a recipe's own error shaped like a BuildoutError (code, hint), naming the part", async () => {
    const root = buildout(
      `
[buildout]
parts = picky
[picky]
recipe = ./recipes/picky.mjs
`,
      {
        'recipes/picky.mjs': `
class BuildoutError extends Error {
  name = 'BuildoutError';
  constructor(code, message, options) { super(message); this.code = code; this.hint = options.hint; }
}
export default { install() { throw new BuildoutError('PICKY_NO_COLOUR', 'option colour is missing', { hint: 'set colour = red' }); } };`,
      },
    );
    const run = await install(root);
    expect(run.error).toMatchObject({
      code: 'PICKY_NO_COLOUR',
      message: 'option colour is missing',
      hint: 'set colour = red',
      part: 'picky',
    });
  });

  it('keeps a part recorded when its uninstall hook fails, and installs nothing', async () => {
    const root = buildout(
      `
[buildout]
parts = stubborn
[stubborn]
recipe = ./recipes/stubborn.mjs
`,
      { 'recipes/stubborn.mjs': `export default { install() { return []; }, uninstall() { throw new Error('will not go'); } };` },
    );
    await install(root);
    write(root, { 'buildout.cfg': '[buildout]\nparts =\n' });
    const run = await install(root);
    expect(run.error).toMatchObject({ part: 'stubborn', message: 'uninstall failed: will not go' });
    expect(installedParts(root)).toBe('stubborn');
  });

  it('names the part whose recipe is unknown, listing what is installed', async () => {
    // Offline: a recipe found nowhere would be fetched from the registry (test/eggs covers that).
    const root = buildout(`
[buildout]
parts = x
offline = true
[x]
recipe = no.such.recipe
`);
    const run = await install(root);
    expect(run.error).toMatchObject({ code: 'RECIPE_NOT_FOUND', part: 'x' });
    expect(run.error!.message).toContain("unknown recipe 'no.such.recipe'; installed recipes: none");
    expect(run.error!.location).toMatchObject({ file: join(root, 'buildout.cfg'), line: 6 });
  });

  it('names the part whose init failed, before anything is installed', async () => {
    const root = buildout(`
[buildout]
parts = a b
[a]
recipe = ./recipes/trace.mjs
[b]
recipe = ./recipes/trace.mjs
fail = init
`);
    const run = await install(root);
    expect(run.error).toMatchObject({ part: 'b', message: 'init failed: init broke' });
    expect(events(root)).toEqual([]);
  });
});

const failUpdates: EnginePlugin = (engine) => {
  engine.hooks.runPart.for('update').tapPromise({ name: 'fail-updates', before: RECIPE_RUNNER }, async () => {
    throw new Error('update refused by test plugin');
  });
};

describe('-j', () => {
  it('runs independent parts at once and dependent parts after their dependencies', async () => {
    const root = buildout(`
[buildout]
parts = slow1 slow2 after
[slow1]
recipe = ./recipes/trace.mjs
sleep = 300
[slow2]
recipe = ./recipes/trace.mjs
sleep = 300
[after]
recipe = ./recipes/trace.mjs
text = \${slow1:sleep} \${slow2:sleep}
`);
    const run = await install(root, { jobs: 2 });
    expect(run.error).toBeUndefined();
    const times = new Map(
      read(root, 'times.log')
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .map(([event, part, time]) => [`${event} ${part}`, Number(time)]),
    );
    const at = (key: string) => times.get(key)!;
    // Both slow parts started before either ended, and `after` started once both had ended.
    expect(Math.max(at('start slow1'), at('start slow2'))).toBeLessThan(Math.min(at('end slow1'), at('end slow2')));
    expect(at('start after')).toBeGreaterThanOrEqual(Math.max(at('end slow1'), at('end slow2')));
    expect(installedParts(root)).toBe('slow1 slow2 after');
  });

  it('lets running parts finish when one fails, and starts no new ones', async () => {
    const root = buildout(`
[buildout]
parts = slow bad later
[slow]
recipe = ./recipes/trace.mjs
sleep = 200
[bad]
recipe = ./recipes/trace.mjs
fail = install
[later]
recipe = ./recipes/trace.mjs
`);
    const run = await install(root, { jobs: 2 });
    expect(run.error).toMatchObject({ part: 'bad' });
    expect(run.summary).toBeUndefined();
    expect(events(root)).toEqual(['install slow']);
    expect(installedParts(root)).toBe('slow');
  });

  it('runs one part after the other without -j', async () => {
    const root = buildout(`
[buildout]
parts = one two
[one]
recipe = ./recipes/trace.mjs
sleep = 50
[two]
recipe = ./recipes/trace.mjs
`);
    await install(root);
    const lines = read(root, 'times.log')
      .trim()
      .split('\n')
      .map((line) => line.split(' ').slice(0, 2).join(' '));
    expect(lines).toEqual(['start one', 'end one', 'start two', 'end two']);
  });
});

describe('hooks and extensions', () => {
  it('loads [buildout] extensions, which tap every hook, and recipes dispatch through runPart', async () => {
    const root = buildout(
      `
[buildout]
parts = a
extensions = ./extension.mjs
[a]
recipe = ./recipes/trace.mjs
`,
      {
        'extension.mjs': `
import { appendFileSync } from 'node:fs';
const note = (text) => appendFileSync('hooks.log', text + '\\n');
export default {
  apply(engine) {
    engine.hooks.configLoaded.tap('ext', (buildout) => note('config ' + buildout.get('buildout', 'parts')));
    engine.hooks.planMade.tap('ext', (plan) => note('plan ' + plan.steps.map((s) => s.action + ':' + s.part).join(',')));
    for (const action of ['init', 'install', 'update', 'uninstall']) {
      engine.hooks.beforePart.for(action).tap('ext', (run) => note('before ' + action + ' ' + run.name));
      engine.hooks.afterPart.for(action).tap('ext', (run, finished) => note('after ' + action + ' ' + run.name + ' ' + finished.outcome.paths.join(',')));
    }
    engine.hooks.runDone.tap('ext', (summary) => note('done ' + summary.installed.join(',')));
  },
};`,
      },
    );
    await install(root);
    expect(read(root, 'hooks.log').trim().split('\n')).toEqual([
      'config a',
      'before init a',
      'after init a ',
      'plan install:a',
      'before install a',
      'after install a parts/a',
      'done a',
    ]);
  });

  it('lets a plugin replace the recipe runner for a part by answering runPart first', async () => {
    const root = buildout(`
[buildout]
parts = a
[a]
recipe = ./recipes/trace.mjs
`);
    const replace: EnginePlugin = {
      apply(engine) {
        engine.hooks.runPart.for('install').tapPromise({ name: 'replace', stage: -1 }, async (run) => {
          writeFileSync(join(run.part.directory, 'replaced.txt'), run.name);
          return { paths: ['replaced.txt'] };
        });
      },
    };
    await install(root, { plugins: [replace] });
    expect(events(root)).toEqual([]);
    expect(read(root, '.installed.cfg')).toContain('__buildout_installed__ = replaced.txt');
  });

  it('reports a failing part to the failure hook, and the run summary to runDone', async () => {
    const root = buildout(`
[buildout]
parts = bad
[bad]
recipe = ./recipes/trace.mjs
fail = install
`);
    const seen: string[] = [];
    await install(root, {
      plugins: [
        (engine) => {
          engine.hooks.failure.tap('t', ({ error, run }) => void seen.push(`failure ${run?.name} ${error.message}`));
          engine.hooks.runDone.tap('t', (summary) => void seen.push(`done failed=${summary.failed.join(',')}`));
        },
      ],
    });
    expect(seen).toEqual(['failure bad install failed: bad broke', 'done failed=bad']);
  });

  it('says which extension cannot be loaded, and where it is named', async () => {
    const root = buildout('[buildout]\nparts =\nextensions = ./missing.mjs\n');
    const run = await install(root);
    expect(run.error).toMatchObject({ code: 'EXTENSION_FAILED', location: { line: 3 } });
  });
});

describe('recovery', () => {
  it('replays the journal of a dead run and removes the files of the part it left unfinished', async () => {
    const root = buildout(`
[buildout]
parts = a b
[a]
recipe = ./recipes/trace.mjs
[b]
recipe = ./recipes/trace.mjs
`);
    // What a run killed while installing b leaves: a finished, b half done, no .installed.cfg yet.
    write(root, { 'parts/a/out.txt': '', 'parts/b/half': 'x' });
    const planned = await plan(root);
    const signature = `recipes/trace.mjs@sha256:${contentHash(readFileSync(join(root, 'recipes/trace.mjs')))}`;
    write(root, {
      '.installed.cfg.journal': `${[
        JSON.stringify({ op: 'created', part: 'a', paths: ['parts/a'] }),
        JSON.stringify({
          op: 'record',
          part: 'a',
          state: { options: { recipe: './recipes/trace.mjs' }, installed: ['parts/a'], signature },
        }),
        JSON.stringify({ op: 'created', part: 'b', paths: ['parts/b'] }),
      ].join('\n')}\n`,
    });
    expect(planned.steps.map((step) => step.action)).toEqual(['install', 'install']);
    const run = await install(root);
    expect(run.summary).toMatchObject({ updated: ['a'], installed: ['b'] });
    expect(run.logs.map((log) => log.message)).toContain('removing what it created in an earlier run that was interrupted');
    expect(exists(root, 'parts/b/half')).toBe(false);
    expect(exists(root, '.installed.cfg.journal')).toBe(false);
    expect(installedParts(root)).toBe('a b');
  });
});
