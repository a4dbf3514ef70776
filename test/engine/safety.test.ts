/**
 * Issue 8 end to end (the compiled CLI in a real process): the two deletion
 * reproductions, a part without a recipe, failures that keep what did not
 * run, --keep-going.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './cli.js';

const files = (root: string, ...paths: string[]): Record<string, boolean> =>
  Object.fromEntries(paths.map((path) => [path, existsSync(join(root, path))]));

describe('deletion reproductions', () => {
  it('[site] outputs = * is refused before anything runs; emptying parts then removes nothing of the buildout', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = site\n[site]\nrecipe = command\ncommand = true\noutputs = *\n',
      'src/page.html': '<p>mine</p>',
    });
    const run = await buildout([], root);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('buildout: part site: outputs: * matches buildout.cfg, a configuration file of this buildout');
    expect(existsSync(join(root, '.installed.cfg'))).toBe(false);
    const emptied = await buildout(['buildout:parts='], root);
    expect(emptied.code).toBe(0);
    expect(files(root, 'buildout.cfg', 'src/page.html', 'bin', 'parts')).toEqual({
      'buildout.cfg': true,
      'src/page.html': true,
      bin: true,
      parts: true,
    });
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
  });

  it('a recipe returning ${buildout:directory}/ does not get the buildout directory removed', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = greedy\n[greedy]\nrecipe = ./greedy.mjs\nwhere = ${buildout:directory}/\n',
      'greedy.mjs': 'export default { install(part) { return [part.options.where]; } };\n',
      'src/keep.txt': 'keep',
    });
    expect((await buildout([], root)).code).toBe(0);
    const plan = await buildout(['buildout:parts=', 'plan'], root);
    expect(plan.stdout).toContain(`keeps ${root} (buildout's own)`);
    const emptied = await buildout(['buildout:parts='], root);
    expect(emptied.stderr).toBe('');
    expect(emptied.code).toBe(0);
    expect(emptied.stdout).toContain(`greedy: warning: not removing ${root}: it is the buildout directory`);
    expect(readFileSync(join(root, 'src/keep.txt'), 'utf8')).toBe('keep');
    expect(existsSync(join(root, 'buildout.cfg'))).toBe(true);
  });
});

describe('a listed part without a recipe', () => {
  it('is an error with a did-you-mean, and nothing is uninstalled', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = hello\n[hello]\nrecipe = ./r.mjs\n',
      'r.mjs':
        "import { writeFileSync } from 'node:fs';\nexport default { install() { writeFileSync('hello.txt', 'hi'); return ['hello.txt']; } };\n",
    });
    expect((await buildout([], root)).code).toBe(0);
    const installed = readFileSync(join(root, '.installed.cfg'), 'utf8');
    writeFileSync(join(root, 'buildout.cfg'), '[buildout]\nparts = hello\n[hello]\nrecipie = ./r.mjs\n');
    for (const args of [[], ['plan']]) {
      const run = await buildout(args, root);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('buildout.cfg:4:1: [hello] has no recipe option\n  hint: did you mean recipe instead of recipie?\n');
    }
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(installed);
    expect(readFileSync(join(root, 'hello.txt'), 'utf8')).toBe('hi');
  });
});

/** a (fails when a.src says FAIL), b (depends on a), c (independent): command parts, each making NAME-out/. */
const CHAIN = `
[buildout]
parts = a b c
[a]
recipe = command
command = test "$(cat a.src)" != FAIL && mkdir -p a-out && cp a.src a-out/
inputs = a.src
outputs = a-out
[b]
recipe = command
command = mkdir -p b-out && cat a.src > b-out/copy
after-a = \${a:inputs-hash}
outputs = b-out
[c]
recipe = command
command = mkdir -p c-out && cat c.src > c-out/copy
inputs = c.src
outputs = c-out
`;

describe('failures keep what did not run', () => {
  it('a failing part leaves the parts that did not start installed, with their files; --keep-going builds the independent ones', async () => {
    const root = tree({ 'buildout.cfg': CHAIN, 'a.src': 'v1', 'c.src': 'v1' });
    expect((await buildout([], root)).code).toBe(0);
    writeFileSync(join(root, 'a.src'), 'FAIL');
    writeFileSync(join(root, 'c.src'), 'v2');

    const failed = await buildout(['-j', '1'], root);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Failed to install a');
    // b and c changed too, but never started: their outputs and records are as they were.
    expect(readFileSync(join(root, 'b-out/copy'), 'utf8')).toBe('v1');
    expect(readFileSync(join(root, 'c-out/copy'), 'utf8')).toBe('v1');
    const state = readFileSync(join(root, '.installed.cfg'), 'utf8');
    expect(/^parts = (.*)$/m.exec(state)![1]!.split(' ').sort()).toEqual(['b', 'c']);

    const kept = await buildout(['-j', '1', 'install', '--keep-going'], root);
    expect(kept.code).toBe(1);
    expect(readFileSync(join(root, 'c-out/copy'), 'utf8')).toBe('v2');
    expect(readFileSync(join(root, 'b-out/copy'), 'utf8')).toBe('v1');
    expect(kept.stdout).toMatch(/Failed in .*: 1 failed \(a\); 1 built/);
  });
});
