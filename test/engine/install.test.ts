/** `buildout` / `buildout install` and `buildout plan` as a user runs them: the compiled CLI in a real process. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, start, tree, waitFor } from './cli.js';

/**
 * Creates parts/NAME/partial, then (unless the part is named in $BLOCK, where
 * it writes `blocked` and waits forever) parts/NAME/done, and appends NAME to
 * installs.log. `say` lines are logged with a pause between them.
 */
const RECIPE = `
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export default {
  async install(part) {
    const folder = 'parts/' + part.name;
    mkdirSync(folder, { recursive: true });
    part.created(folder);
    writeFileSync(folder + '/partial', '');
    if (process.env.BLOCK === part.name) {
      writeFileSync('blocked', String(process.pid));
      await new Promise(() => setInterval(() => {}, 1000));
    }
    for (const line of (part.options.say ?? '').split('\\n').filter(Boolean)) {
      part.log.info(line);
      await pause(Number(part.options.pause ?? 0));
    }
    if (part.options.fail) throw new Error(part.options.fail);
    writeFileSync(folder + '/done', part.options.text ?? '');
    appendFileSync('installs.log', part.name + '\\n');
    return [];
  },
  update(part) {
    appendFileSync('installs.log', 'update ' + part.name + '\\n');
  },
};
`;

function project(config: string, files: Record<string, string> = {}): string {
  return tree({ 'buildout.cfg': config, 'recipes/step.mjs': RECIPE, ...files });
}

const THREE_PARTS = `
[buildout]
parts = a b c
[a]
recipe = ./recipes/step.mjs
[b]
recipe = ./recipes/step.mjs
text = \${a:recipe}
[c]
recipe = ./recipes/step.mjs
`;

function installs(root: string): string[] {
  const file = join(root, 'installs.log');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

describe('buildout install (end to end)', () => {
  it('prints one line per part with its duration and a summary, without colour when not on a terminal', async () => {
    const root = project(THREE_PARTS);
    const first = await buildout(['-j', '1'], root);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^Installing a\.\.\.\nInstalled a \([\d.]+ m?s\)\nInstalling b\.\.\.\nInstalled b \([\d.]+ m?s\)\nInstalling c\.\.\.\nInstalled c \([\d.]+ m?s\)\nDone in [\d.]+ m?s: 3 built\n$/,
    );
    expect(first.stdout).not.toContain('\u001b[');
    const again = await buildout(['-j', '1', 'install'], root);
    expect(again.stdout).toMatch(
      /^Updating a\.\.\.\nUpdated a .*\nUpdating b\.\.\.\nUpdated b .*\nUpdating c\.\.\.\nUpdated c .*\nDone in [\d.]+ m?s: 3 unchanged\n$/,
    );
    expect(installs(root)).toEqual(['a', 'b', 'c', 'update a', 'update b', 'update c']);
  });

  it('-q prints only warnings, -qq nothing, -v the same lines as the default plus debug messages', async () => {
    const root = project(THREE_PARTS);
    expect((await buildout(['-q'], root)).stdout).toBe('');
    expect((await buildout(['-qq'], root)).stdout).toBe('');
    expect((await buildout(['-v', '-j', '1'], root)).stdout).toMatch(/^Updating a\.\.\.\nUpdated a/);
  });

  it('fails with exit code 1 naming the part and why; finished parts stay installed', async () => {
    const root = project(THREE_PARTS.replace('[c]\n', '[c]\nfail = disk full\n'));
    const result = await buildout(['-j', '1'], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Failed to install c \(\d+ ms\)\nFailed in \d+ ms: 1 failed \(c\); 2 built\n$/);
    expect(result.stderr).toMatch(
      /^buildout: part c: install failed: disk full\n {2}hint: the error came from recipe \.\/recipes\/step\.mjs/,
    );
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^parts = a b$/m);
    expect(existsSync(join(root, 'parts/c'))).toBe(false);
  });

  it('reports a configuration error with file and line', async () => {
    const root = project('[buildout]\nparts = missing\n');
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`buildout.cfg:2:1: part 'missing' is listed in parts, but there is no section [missing]`);
  });

  it('groups the messages of parts running in parallel (-j) under each finished part', async () => {
    const root = project(`
[buildout]
parts = left right
[left]
recipe = ./recipes/step.mjs
say = left one
  left two
pause = 300
[right]
recipe = ./recipes/step.mjs
say = right one
  right two
pause = 50
`);
    const result = await buildout(['-j', '2'], root);
    expect(result.code).toBe(0);
    const all = result.stdout.trim().split('\n');
    expect(all.slice(0, 2).sort()).toEqual(['Installing left...', 'Installing right...']);
    const lines = all.slice(2);
    expect(lines.slice(0, 3)).toEqual(['right: right one', 'right: right two', expect.stringMatching(/^Installed right \(\d+ ms\)$/)]);
    expect(lines.slice(3, 6)).toEqual(['left: left one', 'left: left two', expect.stringMatching(/^Installed left \(\d+ ms\)$/)]);
  });
});

describe('buildout plan and install --dry-run', () => {
  it('says per part what install would do and why, changed options old -> new, and changes nothing', async () => {
    const root = project(THREE_PARTS);
    await buildout(['-j', '1'], root);
    // a stays: b refers to it, which makes it a part even when not listed.
    writeFileSync(join(root, 'buildout.cfg'), THREE_PARTS.replace('parts = a b c', 'parts = b').replace('[a]\n', '[a]\ntext = new\n'));
    const state = readFileSync(join(root, '.installed.cfg'), 'utf8');
    const result = await buildout(['plan'], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'uninstall c  no longer in parts',
        'install   a  reinstall: options changed',
        '             text: added "new"',
        'update    b  unchanged',
        'Plan: 1 to install, 1 to update, 1 to uninstall, 0 to skip',
        '',
      ].join('\n'),
    );
    expect((await buildout(['install', '--dry-run'], root)).stdout).toBe(result.stdout);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(state);
    expect(installs(root)).toEqual(['a', 'b', 'c']);
  });

  it('gives the plan as JSON for tools', async () => {
    const root = project(THREE_PARTS);
    const result = await buildout(['plan', '--json', 'b'], root);
    const plan = JSON.parse(result.stdout);
    expect(plan.order).toEqual(['a', 'b', 'c']);
    expect(plan.partial).toBe(true);
    // b depends on a, so a is brought up to date too.
    expect(plan.steps).toEqual([
      { part: 'a', action: 'install', reason: { kind: 'new' } },
      { part: 'b', action: 'install', reason: { kind: 'new' } },
      { part: 'c', action: 'skip', reason: { kind: 'not-named' } },
    ]);
    expect(plan.dependencies.b).toEqual(['a']);
    expect((await buildout(['install', '--dry-run', '--json', 'b'], root)).stdout).toBe(result.stdout);
  });
});

describe('concurrent and interrupted runs', () => {
  it('refuses a second run while one is going, and recovers from kill -9 in the middle of a part', async () => {
    const root = project(THREE_PARTS);
    const first = start(['-j', '1'], root, { BLOCK: 'b' });
    await waitFor(join(root, 'blocked'));

    const second = await buildout([], root);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `^buildout: another buildout \\(pid ${first.child.pid}, running since \\S+\\) is using ${root}\\n  hint: wait for it to finish`,
      ),
    );

    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // a finished (journal), b was half way (its partial file is there), c never started.
    expect(existsSync(join(root, 'parts/b/partial'))).toBe(true);
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
    expect(existsSync(join(root, '.buildout.lock'))).toBe(true);

    const rerun = await buildout(['-v', '-j', '1'], root);
    expect(rerun.stderr).toBe(`buildout: using ${join(root, 'buildout.cfg')} (buildout.cfg of the current folder)\n`);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`took over the lock of an earlier run (pid ${first.child.pid})`);
    expect(rerun.stdout).toContain('b: removing what it created in an earlier run that was interrupted');
    expect(rerun.stdout).toMatch(/Done in [\d.]+ m?s: 2 built, 1 unchanged\n$/);
    // a was not installed twice; b was cleaned up and installed again; c installed.
    expect(installs(root)).toEqual(['a', 'update a', 'b', 'c']);
    expect(existsSync(join(root, 'parts/b/done'))).toBe(true);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^parts = a b c$/m);
    expect(existsSync(join(root, '.installed.cfg.journal'))).toBe(false);
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
  });
});
