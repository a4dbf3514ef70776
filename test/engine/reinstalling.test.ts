/**
 * `part.reinstalling` in uninstall (the compiled CLI in a real process): true
 * when the part is installed again right after, whether it is listed in
 * `parts` or installed because another part refers to it; false when it
 * leaves the buildout.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './cli.js';

const RECORDER = `
import { appendFileSync } from 'node:fs';
export default {
  install() { return []; },
  update() {},
  uninstall(part) { appendFileSync('uninstalls.log', part.name + ' reinstalling=' + part.reinstalling + '\\n'); },
};
`;

async function run(root: string, config: string): Promise<string[]> {
  writeFileSync(join(root, 'buildout.cfg'), config);
  writeFileSync(join(root, 'uninstalls.log'), '');
  const result = await buildout([], root);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readFileSync(join(root, 'uninstalls.log'), 'utf8').split('\n').filter(Boolean);
}

describe('part.reinstalling', () => {
  it('is true before a reinstall (listed or referenced) and false when the part leaves', async () => {
    const root = tree({ 'recorder.mjs': RECORDER });
    const listed = (version: number): string => `[buildout]\nparts = p\n[p]\nrecipe = ./recorder.mjs\nversion = ${version}\n`;
    expect(await run(root, listed(1))).toEqual([]);
    expect(await run(root, listed(2))).toEqual(['p reinstalling=true']);

    // q is a part because p refers to it; q changes.
    const referenced = (version: number): string =>
      `[buildout]\nparts = p\n[p]\nrecipe = ./recorder.mjs\nversion = 2\nuses = \${q:version}\n[q]\nrecipe = ./recorder.mjs\nversion = ${version}\n`;
    expect(await run(root, referenced(1))).toEqual(['p reinstalling=true']);
    // p changes with q; its uninstall (a recipe's own) runs first, before q is rebuilt under it.
    expect(await run(root, referenced(2))).toEqual(['p reinstalling=true', 'q reinstalling=true']);

    expect(await run(root, '[buildout]\nparts =\n')).toEqual(['p reinstalling=false', 'q reinstalling=false']);
  });
});
