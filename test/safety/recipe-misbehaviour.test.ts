// Issue 8 point 10: what an `await` cannot catch is still the part's failure, reported in one
// line; the run ends normally: the journal keeps what finished, the lock is released.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildout, tree, type Result } from '../engine/cli.js';

const RECIPES: Record<string, string> = {
  'recipes/ok.mjs': `import { writeFileSync } from 'node:fs';
export default { install(part) { writeFileSync(part.name + '.txt', 'x'); return [part.name + '.txt']; } };
`,
  'recipes/unawaited.mjs': `export default {
  install() {
    Promise.reject(new Error('nobody awaited me'));
    return new Promise((resolve) => setTimeout(() => resolve([]), 50));
  },
};
`,
  'recipes/timer.mjs': `export default {
  install() {
    setTimeout(() => { throw new Error('thrown from a timer'); }, 5);
    return new Promise((resolve) => setTimeout(() => resolve([]), 200));
  },
};
`,
  'recipes/update-timer.mjs': `export default {
  install() { return []; },
  update() {
    setTimeout(() => { throw new Error('thrown from an update timer'); }, 5);
    return new Promise((resolve) => setTimeout(() => resolve([]), 200));
  },
};
`,
  'recipes/init-timer.mjs': `export default {
  init() {
    setTimeout(() => { throw new Error('thrown from an init timer'); }, 5);
    return new Promise((resolve) => setTimeout(resolve, 200));
  },
  install() { return []; },
};
`,
  'recipes/never.mjs': `export default { install() { return new Promise(() => {}); } };
`,
  'recipes/never-init.mjs': `export default { init() { return new Promise(() => {}); }, install() { return []; } };
`,
  'recipes/late.mjs': `export default {
  install(part) { setTimeout(() => { throw new Error('thrown after install with ' + part.options.password); }, 30); return []; },
};
`,
};

/** parts first, middle, last: `middle` uses the recipe under test. */
function project(recipe: string): string {
  return tree({
    ...RECIPES,
    'buildout.cfg': `[buildout]
parts = first middle last

[first]
recipe = ./recipes/ok.mjs

[middle]
recipe = ./recipes/${recipe}.mjs
password = s3cret-value

[last]
recipe = ./recipes/ok.mjs
`,
  });
}

function recordedParts(root: string): string {
  return /^parts = (.*)$/m.exec(readFileSync(join(root, '.installed.cfg'), 'utf8'))?.[1] ?? '';
}

function expectOneLine(result: Result, message: string): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |Warning: Detected unsettled/);
}

function expectReleased(root: string): void {
  expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
  expect(existsSync(join(root, '.installed.cfg.journal'))).toBe(false);
}

describe('recipe misbehaviour', () => {
  test("a rejected promise left unawaited is that part's failure", async () => {
    const root = project('unawaited');
    // One part at a time: last does not start once middle failed.
    const result = await buildout(['-j', '1'], root);
    expectOneLine(result, 'buildout: part middle: install failed: nobody awaited me (thrown in a timer or a promise nobody awaited)');
    expect(result.stdout).toContain('Failed to install middle');
    expect(recordedParts(root)).toBe('first');
    expectReleased(root);
  });

  test("an error thrown from a timer is that part's failure", async () => {
    const root = project('timer');
    // One part at a time: last does not start once middle failed.
    const result = await buildout(['-j', '1'], root);
    expectOneLine(result, 'buildout: part middle: install failed: thrown from a timer (thrown in a timer or a promise nobody awaited)');
    expect(recordedParts(root)).toBe('first');
    expectReleased(root);
  });

  test("an error thrown from a timer of an update or an init (the one call running) is that part's failure", async () => {
    const root = project('update-timer');
    expect((await buildout([], root)).code).toBe(0);
    const result = await buildout(['-j', '1'], root);
    expectOneLine(
      result,
      'buildout: part middle: update failed: thrown from an update timer (thrown in a timer or a promise nobody awaited)',
    );
    // A failed update drops the part; the others stay recorded.
    expect(recordedParts(root)).toBe('first last');
    expectReleased(root);

    const init = project('init-timer');
    expectOneLine(
      await buildout([], init),
      'buildout: part middle: init failed: thrown from an init timer (thrown in a timer or a promise nobody awaited)',
    );
    expect(existsSync(join(init, '.buildout.lock'))).toBe(false);
  });

  test('a promise that never settles: `part middle: install never finished`, not a silent exit 13', async () => {
    const root = project('never');
    // One part at a time: last does not start once middle failed.
    const result = await buildout(['-j', '1'], root);
    expectOneLine(result, 'buildout: part middle: install never finished');
    expect(recordedParts(root)).toBe('first');
    expectReleased(root);
  });

  test('in parallel (-j 3) the stuck part fails and the others finish and are recorded', async () => {
    const root = project('never');
    const result = await buildout(['-j', '3'], root);
    expectOneLine(result, 'buildout: part middle: install never finished');
    expect(recordedParts(root).split(' ').sort()).toEqual(['first', 'last']);
    expectReleased(root);
  });

  test('an init that never settles, under plan and install', async () => {
    for (const command of ['plan', 'install']) {
      const root = project('never-init');
      expectOneLine(await buildout([command], root), 'buildout: part middle: init never finished');
      expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
    }
  });

  test('an error thrown after the part finished fails the run, naming the part', async () => {
    const root = project('late');
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe('buildout: part middle threw after its install had finished: thrown after install with ***');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(recordedParts(root)).toBe('first middle last');
    expectReleased(root);
  });

  test('an extension that never settles: the command says so instead of exiting 13 without a word', async () => {
    const root = tree({
      'ext.mjs': 'export default { apply() { return new Promise(() => {}); } };\n',
      'buildout.cfg': '[buildout]\nparts =\nextensions = ./ext.mjs\n',
    });
    const result = await buildout([], root);
    expectOneLine(result, 'buildout: the command never finished: something it waited for can no longer happen');
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
  });
});
