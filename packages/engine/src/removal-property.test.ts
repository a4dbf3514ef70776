/**
 * Issue 8, point 1, as a property: configurations whose `.installed.cfg`
 * records random paths (made of `..`, `.`, empty segments (`//`), trailing
 * `/`, names of buildout's own files and of symbolic links) are uninstalled;
 * nothing outside the allowed set is ever removed.
 *
 * The allowed set comes from a resolver of this test's own: it walks the
 * known tree segment by segment, following the known links except at the
 * last segment, as the system does. An entry may vanish only if it is, or is
 * inside, what a recorded path names; the protected entries never vanish.
 *
 * The tree sits below folders of its own, deeper than the generated `..` can
 * climb: the real system, not the model, resolves what is removed, and an
 * earlier version whose tree was right under the temp folder could reach
 * `/tmp/../bin` (it once removed /bin).
 */
import { lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { install, tree } from './__fixtures__/support.js';
import { formatInstalledCfg } from './state.js';

/** The tree, relative to the test root; `bo` is the buildout. Links: name -> target (relative to the root). */
const FILES = [
  'x/bo/buildout.cfg',
  'x/bo/base.cfg',
  'x/bo/r.mjs',
  'x/bo/bin/script',
  'x/bo/parts/p/file',
  'x/bo/src/code.txt',
  'x/keep/secret.txt',
  'x/victim.txt',
  'outside/o.txt',
  'outside/sub/s.txt',
];
const LINKS: Record<string, string> = {
  'x/alias': 'x/bo',
  'x/bo/link-out': 'outside',
  'x/bo/link-in': 'x/bo/src',
  'x/bo/parts/victim': 'x/victim.txt',
};
/** Never removed, whatever is recorded: the buildout, what is above it, its own files, and what no recordable name reaches. */
const PROTECTED = ['', 'x', 'x/bo', 'x/bo/buildout.cfg', 'x/bo/base.cfg', 'x/bo/bin', 'x/bo/parts', 'x/keep', 'x/keep/secret.txt'];
const SEGMENTS = ['x', 'bo', 'alias', '..', '.', '', 'bin', 'parts', 'p', 'src', 'link-out', 'link-in', 'victim', 'victim.txt'];
const SEGMENTS_TOO = ['outside', 'o.txt', 'sub', 'buildout.cfg', 'base.cfg', 'script', 'file', 'code.txt', '.installed.cfg'];

const MAX_SEGMENTS = 6;
/** Folders above the tree: a generated path climbs at most MAX_SEGMENTS levels. */
const FENCE = Array.from({ length: MAX_SEGMENTS }, (_, index) => `fence-${index}`).join('/');

/** The tree, with absolute links, and the folder its fence is in. */
function freshTree(): { root: string; outer: string } {
  const outer = tree({});
  const root = join(outer, FENCE);
  mkdirSync(root, { recursive: true });
  for (const file of FILES) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), file);
  }
  for (const [link, target] of Object.entries(LINKS)) symlinkSync(join(root, target), join(root, link));
  writeFileSync(join(root, 'x/bo/buildout.cfg'), '[buildout]\nextends = base.cfg\nparts =\n');
  writeFileSync(join(root, 'x/bo/base.cfg'), '[buildout]\n');
  writeFileSync(join(root, 'x/bo/r.mjs'), 'export default { install() { return []; } };\n');
  return { root, outer };
}

/** Every entry under root (relative, without following links). */
function entries(root: string, at = ''): string[] {
  const found: string[] = [at];
  const stat = lstatSync(join(root, at));
  if (stat.isDirectory()) for (const name of readdirSync(join(root, at))) found.push(...entries(root, at === '' ? name : `${at}/${name}`));
  return found;
}

/** The entry a recorded path names (relative to root), as the system resolves it; undefined for none. */
function names(recorded: string): string | undefined {
  const absolute = recorded.startsWith('/');
  const segments = (absolute ? recorded.slice(1) : recorded).split('/');
  while (segments.length > 1 && segments.at(-1) === '') segments.pop();
  const last = segments.pop()!;
  // The guard refuses paths ending in . or .. (and the root itself).
  if (last === '.' || last === '..' || last === '') return undefined;
  let current = absolute ? [] : ['x', 'bo'];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      current = current.slice(0, -1);
      continue;
    }
    current = [...current, segment];
    const target = LINKS[current.join('/')];
    if (target !== undefined) current = target.split('/');
  }
  return [...current, last].join('/');
}

it('never removes anything outside what the recorded paths name, nor what is protected', async () => {
  const segment = fc.constantFrom(...SEGMENTS, ...SEGMENTS_TOO);
  const recordedPath = fc.record({
    absolute: fc.boolean(),
    segments: fc.array(segment, { minLength: 1, maxLength: MAX_SEGMENTS }),
    trailingSlash: fc.boolean(),
  });
  await fc.assert(
    fc.asyncProperty(fc.array(recordedPath, { minLength: 1, maxLength: 5 }), async (generated) => {
      const { root, outer } = freshTree();
      const fenced = entries(outer).filter((entry) => !entry.startsWith(`${FENCE}/`));
      const recorded = generated
        .map(({ absolute, segments, trailingSlash }) => (absolute ? '/' : '') + segments.join('/') + (trailingSlash ? '/' : ''))
        .filter((path) => path !== '' && path !== '/');
      if (recorded.length === 0) return;
      // Absolute recorded paths are written against the test root ("/" stands for it).
      const stored = recorded.map((path) => (path.startsWith('/') ? root + path : path));
      const bo = join(root, 'x', 'bo');
      const part = { options: { recipe: './r.mjs' }, installed: stored, signature: 'r' };
      writeFileSync(join(bo, '.installed.cfg'), formatInstalledCfg({ parts: new Map([['p', part]]) }));
      const before = new Set(entries(root));
      const run = await install(bo);
      expect(run.error).toBeUndefined();
      const after = new Set(entries(root));
      const named = recorded.map(names).filter((entry): entry is string => entry !== undefined);
      for (const entry of before) {
        if (after.has(entry) || entry === 'x/bo/.installed.cfg') continue;
        expect(PROTECTED, `${entry} was removed (recorded: ${recorded.join(' ')})`).not.toContain(entry);
        const allowed = named.some((name) => entry === name || entry.startsWith(`${name}/`));
        expect(allowed, `${entry} was removed but no recorded path names it (recorded: ${recorded.join(' ')})`).toBe(true);
      }
      for (const entry of PROTECTED) expect(after.has(entry), entry).toBe(true);
      // Nothing above the tree is the recipe's.
      expect(entries(outer).filter((entry) => !entry.startsWith(`${FENCE}/`))).toEqual(fenced);
    }),
    { numRuns: 150 },
  );
});
