// The transpiled-TypeScript cache in the shared temporary folder: only a folder of the user's own that nobody
// else can write to is used. Another user could make /tmp/buildout-<uid> first and plant the code of a
// recipe, whose cache key is the hash of its (published) source.
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { buildout, tree } from '../engine/cli.js';

const RECIPE = 'export default { install(part: { name: string }): string[] { return []; } };\n';
// As the loader keys a transpiled file (packages/engine/loader/typescript-hooks.mjs).
const KEY = createHash('sha256').update('sucrase-3-typescript-1').update('\0').update(RECIPE).digest('hex');
const PLANTED =
  "import { writeFileSync } from 'node:fs';\nwriteFileSync('INJECTED.txt', 'planted');\nexport default { install() { return []; } };\n";

const temporaries: string[] = [];
afterEach(() => {
  for (const folder of temporaries.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A temporary folder standing in for /tmp, with buildout's cache folder made beforehand as `prepare` says. */
function sharedTmp(prepare?: (base: string) => void): { tmp: string; base: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'buildout-shared-tmp-'));
  temporaries.push(tmp);
  const base = join(tmp, `buildout-${process.getuid!()}`);
  if (prepare) {
    mkdirSync(join(base, 'buildout', 'typescript'), { recursive: true });
    writeFileSync(join(base, 'buildout', 'typescript', `${KEY}.js`), PLANTED);
    prepare(base);
  }
  return { tmp, base };
}

async function installWith(tmp: string): Promise<string> {
  const root = tree({ 'buildout.cfg': '[buildout]\nparts = ts\n[ts]\nrecipe = ./recipe.ts\n', 'recipe.ts': RECIPE });
  const result = await buildout([], root, { TMPDIR: tmp });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return root;
}

describe.skipIf(process.getuid === undefined)('the TypeScript cache in the temporary folder', () => {
  test('a cache folder others can write to is not used: what was planted there does not run', async () => {
    const { tmp } = sharedTmp((base) => chmodSync(base, 0o777));
    expect(existsSync(join(await installWith(tmp), 'INJECTED.txt'))).toBe(false);
  });

  test.runIf(process.getuid?.() === 0)('nor one another user owns', async () => {
    const { tmp } = sharedTmp((base) => {
      chmodSync(base, 0o700);
      chownSync(base, 1, 1);
    });
    expect(existsSync(join(await installWith(tmp), 'INJECTED.txt'))).toBe(false);
  });

  test('no folder yet: made private, and the transpiled recipe kept there', async () => {
    const { tmp, base } = sharedTmp();
    await installWith(tmp);
    expect(statSync(base).mode & 0o777).toBe(0o700);
    expect(existsSync(join(base, 'buildout', 'typescript', `${KEY}.js`))).toBe(true);
  });
});
