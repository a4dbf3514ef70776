/**
 * Issue 8, point 1: the removal guard, through real uninstalls. Each test
 * builds `ROOT/x/bo` (the buildout) next to `ROOT/x/victim.txt`, records
 * crafted paths in `.installed.cfg` and empties `parts`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exists, install, plan, read, tree, write } from './__fixtures__/support.js';
import { RemovalGuard } from './removal.js';
import { formatInstalledCfg, type InstalledPart } from './state.js';

const RECIPE = 'export default { install() { return []; } };\n';

/** ROOT/x/bo with a buildout of no parts whose `.installed.cfg` says part `p` installed `paths`. */
function buildoutWith(paths: (bo: string, root: string) => string[]): { root: string; bo: string; parts: string[] } {
  const root = tree({ 'x/victim.txt': 'keep me', 'x/bo/buildout.cfg': '[buildout]\nparts =\n', 'x/bo/r.mjs': RECIPE });
  const bo = join(root, 'x', 'bo');
  symlinkSync(bo, join(root, 'x', 'alias'));
  const recorded = paths(bo, root);
  const part: InstalledPart = { options: { recipe: './r.mjs' }, installed: recorded, signature: 'r' };
  writeFileSync(join(bo, '.installed.cfg'), formatInstalledCfg({ parts: new Map([['p', part]]) }));
  return { root, bo, parts: recorded };
}

function intact(root: string, bo: string): void {
  expect(readFileSync(join(bo, 'buildout.cfg'), 'utf8')).toBe('[buildout]\nparts =\n');
  expect(readFileSync(join(root, 'x', 'victim.txt'), 'utf8')).toBe('keep me');
  expect(statSync(bo).isDirectory()).toBe(true);
}

describe('the removal guard', () => {
  it('never removes the buildout directory however its path is spelt, nor anything above it', async () => {
    const { root, bo } = buildoutWith((bo, root) => [
      `${bo}/`,
      `${root}/x//bo`,
      `${bo}/../bo`,
      `${root}/x/alias/`,
      `${root}/x/alias/.`,
      `${bo}/./..`,
      `${bo}/parts/../..`,
      '.',
      './',
      '..',
      `${root}/x`,
      root,
    ]);
    const run = await install(bo);
    expect(run.error).toBeUndefined();
    intact(root, bo);
    const warnings = run.logs.filter((log) => log.level === 'warn' && log.part === 'p').map((log) => log.message);
    expect(warnings).toContain(`not removing ${bo}: it is the buildout directory`);
    expect(warnings.some((message) => message.startsWith(`not removing ${join(root, 'x')}: it holds the buildout directory`))).toBe(true);
    expect(warnings.filter((message) => message.includes('names a folder by another name')).length).toBe(6);
    // The alias is a symbolic link the part recorded: the link goes, never what it points to.
    expect(existsSync(join(root, 'x', 'alias'))).toBe(false);
    expect(exists(bo, '.installed.cfg')).toBe(false);
  });

  it("never removes buildout's own files and folders, also reached through a symbolic link", async () => {
    const { root, bo } = buildoutWith((bo, root) => [
      'buildout.cfg',
      `${root}/x/alias/buildout.cfg`,
      'bin',
      'parts/',
      `${bo}/.installed.cfg`,
      '.installed.cfg.journal',
      '.buildout.lock',
      'eggs',
      'develop-eggs',
      '.buildout-cache',
    ]);
    for (const folder of ['eggs', 'develop-eggs', '.buildout-cache']) mkdirSync(join(bo, folder));
    write(bo, { 'bin/tool': 'x', 'parts/q/file': 'x' });
    const run = await install(bo);
    expect(run.error).toBeUndefined();
    intact(root, bo);
    for (const path of ['bin/tool', 'parts/q/file', 'eggs', 'develop-eggs', '.buildout-cache']) expect(exists(bo, path), path).toBe(true);
    const warnings = run.logs.filter((log) => log.level === 'warn').map((log) => log.message);
    expect(warnings).toContain(`not removing ${join(bo, 'buildout.cfg')}: it is a configuration file of this buildout`);
    expect(warnings).toContain(`not removing ${join(bo, 'bin')}: it is one of buildout's folders`);
  });

  it("never removes the user's home directory nor a folder holding it, wherever the buildout is", async () => {
    const { root, bo } = buildoutWith((_bo, root) => [`${root}/home/user`, `${root}/home/user/`, `${root}/home`, `${root}/home/user/made`]);
    write(root, { 'home/user/notes.txt': 'mine', 'home/user/made/file': 'x' });
    const home = process.env.HOME;
    process.env.HOME = join(root, 'home', 'user');
    try {
      const run = await install(bo);
      expect(run.error).toBeUndefined();
      const warnings = run.logs.filter((log) => log.level === 'warn').map((log) => log.message);
      expect(warnings).toContain(`not removing ${join(root, 'home', 'user')}: it is your home directory`);
      expect(warnings).toContain(`not removing ${join(root, 'home')}: it holds your home directory (${join(root, 'home', 'user')})`);
    } finally {
      if (home === undefined) delete process.env.HOME;
      else process.env.HOME = home;
    }
    expect(readFileSync(join(root, 'home', 'user', 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(root, 'home', 'user', 'made'))).toBe(false); // inside it, a part's own output still goes
    intact(root, bo);
  });

  it('removes what a part recorded through a symbolic link, never what the link points to', async () => {
    const { root, bo } = buildoutWith((_bo, root) => ['parts/out-link/', 'victim-link', `${root}/x/alias/src/made.txt`]);
    mkdirSync(join(root, 'x', 'elsewhere'));
    writeFileSync(join(root, 'x', 'elsewhere', 'data.txt'), 'data');
    mkdirSync(join(bo, 'parts'));
    symlinkSync(join(root, 'x', 'elsewhere'), join(bo, 'parts', 'out-link'));
    symlinkSync(join(root, 'x', 'victim.txt'), join(bo, 'victim-link'));
    write(bo, { 'src/made.txt': 'made', 'src/kept.txt': 'kept' });
    expect((await install(bo)).error).toBeUndefined();
    intact(root, bo);
    expect(readFileSync(join(root, 'x', 'elsewhere', 'data.txt'), 'utf8')).toBe('data');
    expect(existsSync(join(bo, 'parts', 'out-link')) || existsSync(join(bo, 'victim-link'))).toBe(false);
    expect(exists(bo, 'src/made.txt')).toBe(false);
    expect(exists(bo, 'src/kept.txt')).toBe(true);
  });

  it('removes recorded paths outside the buildout directory, and plan lists them per part', async () => {
    const { root, bo } = buildoutWith((_bo, root) => [`${root}/x/installed-elsewhere`, 'buildout.cfg']);
    write(root, { 'x/installed-elsewhere/file': 'x' });
    const planned = await plan(bo);
    expect(planned.uninstall).toEqual([
      {
        part: 'p',
        action: 'uninstall',
        reason: { kind: 'not-wanted' },
        outside: [join(root, 'x', 'installed-elsewhere')],
        kept: [join(bo, 'buildout.cfg')],
      },
    ]);
    expect((await install(bo)).error).toBeUndefined();
    expect(existsSync(join(root, 'x', 'installed-elsewhere'))).toBe(false);
    intact(root, bo);
  });

  // Judged, never removed: were the guard wrong, this test must not cost the machine its programs.
  it("never removes the system's folders, however they are reached", async () => {
    let recorded: string[] = [];
    const { root, bo } = buildoutWith((_bo, root) => {
      symlinkSync('/', join(root, 'to-root'));
      const upToRoot = '/..'.repeat(root.split('/').length - 1);
      recorded = [
        '/bin',
        '/usr/bin/',
        '/usr//lib',
        '/var/lib',
        '/usr/local/lib',
        '/etc',
        '/tmp',
        `${root}/to-root/usr`,
        `${root}${upToRoot}/usr/bin`,
      ];
      return recorded;
    });
    const guard = new RemovalGuard(bo, []);
    const system = ['/bin', '/usr/bin', '/usr/lib', '/var/lib', '/usr/local/lib', '/etc', '/tmp', '/usr', '/usr/bin'];
    expect(recorded.map((path) => guard.judge(path))).toEqual(
      system.map((target) => ({ kind: 'protected', target, reason: expect.stringMatching(/^it is a system folder/) })),
    );
    const planned = await plan(bo);
    expect(planned.uninstall[0]?.kept).toEqual(system);
    // Deeper down, a recorded path is the recipe's as before.
    write(root, { 'x/made/file': 'x' });
    expect(guard.judge(`${root}/x/made`)).toEqual({ kind: 'remove', target: join(root, 'x', 'made'), outside: true });
    expect(guard.judge('/usr/bin/no-such-program-here')).toEqual({ kind: 'absent' });
    expect(guard.judge('/')).toMatchObject({ kind: 'protected', target: '/' });
  });

  it('reports a path it cannot remove as its own error, not the recipe’s', async () => {
    const { root, bo } = buildoutWith((_bo, root) => [`${root}/x/stuck.txt`]);
    const stuck = join(root, 'x', 'stuck.txt');
    writeFileSync(stuck, 'x');
    try {
      execFileSync('chattr', ['+i', stuck]);
    } catch {
      return; // no immutable files here (not ext4, or not root): nothing can refuse root a removal
    }
    try {
      const run = await install(bo);
      expect(run.error?.code).toBe('REMOVE_FAILED');
      expect(run.error?.message).toBe(`cannot remove ${stuck} (recorded by part p): permission denied`);
      expect(run.error?.hint).not.toContain('recipe');
      // The part stays recorded, so the next run tries again.
      expect(readFileSync(join(bo, '.installed.cfg'), 'utf8')).toContain('[p]');
    } finally {
      execFileSync('chattr', ['-i', stuck]);
    }
  });
});

// A recorded path names the entry the recipe made when it was recorded, not what its text names later.
describe('recording the entry made', () => {
  const RECORDING = `import { mkdirSync, writeFileSync } from 'node:fs';
export default {
  install(part) {
    const path = part.options.path;
    if (part.options.folder) mkdirSync(path, { recursive: true }); else writeFileSync(path, 'made by the recipe');
    return [path];
  },
  update() {},
};
`;
  const config = (parts: string, path = '', folder = false): string =>
    `[buildout]\nparts = ${parts}\n[p]\nrecipe = ./r.mjs\npath = ${path}\n${folder ? 'folder = yes\n' : ''}`;

  it('a path through a link and .. is the entry the system made (link/../x beside the target), not the x a text normalization names', async () => {
    const root = tree({
      'bo/buildout.cfg': config('p', 'link/../x'),
      'bo/r.mjs': RECORDING,
      'bo/x': 'USER DATA',
      'elsewhere/sub/.keep': '',
    });
    const bo = join(root, 'bo');
    symlinkSync(join(root, 'elsewhere', 'sub'), join(bo, 'link'));
    expect((await install(bo)).error).toBeUndefined();
    expect(readFileSync(join(root, 'elsewhere', 'x'), 'utf8')).toBe('made by the recipe');
    expect(read(bo, '.installed.cfg')).toContain(`__buildout_installed__ = ${join(root, 'elsewhere', 'x')}\n`);
    write(bo, { 'buildout.cfg': config('') });
    expect((await install(bo)).error).toBeUndefined();
    expect(readFileSync(join(bo, 'x'), 'utf8')).toBe('USER DATA');
    expect(existsSync(join(root, 'elsewhere', 'x'))).toBe(false);
  });

  it('a link on the way pointed elsewhere later: uninstalling removes what was made, not what the link names now', async () => {
    const root = tree({
      'bo/buildout.cfg': config('p', 'work/dist', true),
      'bo/r.mjs': RECORDING,
      'projA/.keep': '',
      'projB/dist/app.js': 'theirs',
    });
    const bo = join(root, 'bo');
    symlinkSync(join(root, 'projA'), join(bo, 'work'));
    expect((await install(bo)).error).toBeUndefined();
    expect(statSync(join(root, 'projA', 'dist')).isDirectory()).toBe(true);
    rmSync(join(bo, 'work'));
    symlinkSync(join(root, 'projB'), join(bo, 'work'));
    write(bo, { 'buildout.cfg': config('') });
    expect((await install(bo)).error).toBeUndefined();
    expect(readFileSync(join(root, 'projB', 'dist', 'app.js'), 'utf8')).toBe('theirs');
    expect(existsSync(join(root, 'projA', 'dist'))).toBe(false);
  });

  it('paths without links are recorded as before: relative, normalized', async () => {
    const root = tree({ 'buildout.cfg': config('p', './parts//made.txt'), 'r.mjs': RECORDING, 'parts/.keep': '' });
    expect((await install(root)).error).toBeUndefined();
    expect(read(root, '.installed.cfg')).toContain('__buildout_installed__ = parts/made.txt\n');
  });
});

describe("a part's removal and what other parts recorded", () => {
  const SHARED = `import { mkdirSync, writeFileSync } from 'node:fs';
export default {
  install(part) {
    mkdirSync('shared', { recursive: true });
    writeFileSync(part.options.file, part.name);
    return [part.options.record];
  },
  update() {},
};
`;
  const config = (parts: string, version: string): string =>
    `[buildout]\nparts = ${parts}\n[a]\nrecipe = ./r.mjs\nfile = shared/a.txt\nrecord = shared\nv = ${version}\n` +
    `[b]\nrecipe = ./r.mjs\nfile = shared/b.txt\nrecord = shared/b.txt\n[c]\nrecipe = ./r.mjs\nfile = shared/b.txt\nrecord = shared/b.txt\n`;

  it('reinstalling a part that recorded a folder keeps what another part recorded in it', async () => {
    const root = tree({ 'buildout.cfg': config('a b', '1'), 'r.mjs': SHARED });
    expect((await install(root)).error).toBeUndefined();
    write(root, { 'buildout.cfg': config('a b', '2') });
    const planned = await plan(root);
    expect(planned.steps.find((step) => step.part === 'a')?.action).toBe('install');
    const run = await install(root);
    expect(run.error).toBeUndefined();
    expect(read(root, 'shared/b.txt')).toBe('b');
    expect(read(root, 'shared/a.txt')).toBe('a');
    const warnings = run.logs.filter((log) => log.level === 'warn' && log.part === 'a').map((log) => log.message);
    expect(warnings).toEqual([`not removing ${join(root, 'shared')}: it holds ${join(root, 'shared', 'b.txt')}, which part b recorded`]);
  });

  it('a path two parts recorded stays while one of them still records it, and plan says so', async () => {
    const root = tree({ 'buildout.cfg': config('b c', '1'), 'r.mjs': SHARED });
    expect((await install(root)).error).toBeUndefined();
    write(root, { 'buildout.cfg': config('c', '1') });
    expect((await plan(root)).uninstall).toEqual([
      { part: 'b', action: 'uninstall', reason: { kind: 'not-wanted' }, kept: [join(root, 'shared', 'b.txt')] },
    ]);
    expect((await install(root)).error).toBeUndefined();
    expect(exists(root, 'shared/b.txt')).toBe(true);
    write(root, { 'buildout.cfg': config('', '1') });
    expect((await install(root)).error).toBeUndefined();
    expect(exists(root, 'shared/b.txt')).toBe(false);
  });
});

describe('file modes', () => {
  it('writes .installed.cfg and its journal readable by their owner only', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = a\n[a]\nrecipe = ./r.mjs\npassword = s3cret\n',
      'r.mjs': `import { statSync, writeFileSync } from 'node:fs';
export default { install(part) { part.created('made.txt'); writeFileSync('made.txt', ''); writeFileSync('journal-mode', String(statSync('.installed.cfg.journal').mode & 0o777)); return []; } };
`,
    });
    // A journal left readable by all by a dead run is closed to others as soon as it is written to.
    writeFileSync(join(root, '.installed.cfg.journal'), '', { mode: 0o644 });
    expect((await install(root)).error).toBeUndefined();
    expect(lstatSync(join(root, '.installed.cfg')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, 'journal-mode'), 'utf8')).toBe(String(0o600));
  });
});
