import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import { HashCache, RACY_WINDOW_MS } from './hash-cache.js';
import { hashInputs } from './inputs.js';
import { age, tree, write } from '@buildout/testing';

/** The node file system, counting the files read. */
function readCounter(): { fs: FileSystem; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    fs: {
      ...nodeFileSystem,
      readFile: (path) => {
        reads.push(path);
        return nodeFileSystem.readFile(path);
      },
    },
  };
}

const FILES = { 'package.json': '{"name":"a"}', 'src/index.ts': 'export const a = 1;\n', 'src/util.ts': 'export {};\n' };
const ALL = Object.keys(FILES);

function hash(root: string, options: { patterns?: string[]; exclude?: string[]; cache?: HashCache; fs?: FileSystem } = {}) {
  return hashInputs({
    cwd: root,
    patterns: options.patterns ?? ['**'],
    // parts/ holds the cache file itself
    exclude: options.exclude ?? ['**/node_modules', 'parts'],
    cache: options.cache ?? HashCache.empty(join(root, 'parts/cache.json')),
    fs: options.fs,
  });
}

describe('hashInputs', () => {
  test('the same files give the same digest, in any folder', () => {
    const one = hash(tree(FILES));
    const two = hash(tree(FILES));
    expect(one.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(two.digest).toBe(one.digest);
    expect(one.files).toEqual(['package.json', 'src/index.ts', 'src/util.ts']);
  });

  test('content, paths, added and removed files all change the digest', () => {
    const root = tree(FILES);
    const digests = new Set([hash(root).digest]);
    write(root, { 'src/index.ts': 'export const a = 2;\n' });
    digests.add(hash(root).digest);
    renameSync(join(root, 'src/util.ts'), join(root, 'src/utils.ts'));
    digests.add(hash(root).digest);
    write(root, { 'src/new.ts': '' });
    digests.add(hash(root).digest);
    expect(digests.size).toBe(4);
  });

  test('excluded paths (node_modules, outputs) do not count', () => {
    const root = tree(FILES);
    const before = hash(root, { exclude: ['**/node_modules', 'parts', 'dist'] }).digest;
    write(root, { 'node_modules/x/index.js': '1', 'dist/index.js': '1', 'src/node_modules/y.js': '' });
    expect(hash(root, { exclude: ['**/node_modules', 'parts', 'dist'] }).digest).toBe(before);
  });

  test('files whose size and times did not change are not read again, also after the cache was saved and loaded', async () => {
    const root = tree(FILES);
    age(root, ...ALL);
    const cacheFile = join(root, 'parts/cache.json');
    const first = readCounter();
    const cache = HashCache.load(cacheFile);
    const before = hash(root, { cache, fs: first.fs });
    expect(before.read).toBe(3);
    expect(first.reads).toHaveLength(3);

    const again = readCounter();
    expect(hash(root, { cache, fs: again.fs }).digest).toBe(before.digest);
    expect(again.reads).toEqual([]);

    await cache.save();
    const reloaded = readCounter();
    const result = hash(root, { cache: HashCache.load(cacheFile), fs: reloaded.fs });
    expect(result.digest).toBe(before.digest);
    expect(result.read).toBe(0);
    expect(reloaded.reads).toEqual([]);
  });

  test('a file whose size or mtime changed is read again, and only that one', () => {
    const root = tree(FILES);
    age(root, ...ALL);
    const cache = HashCache.empty(join(root, 'parts/cache.json'));
    const before = hash(root, { cache }).digest;
    write(root, { 'src/util.ts': 'export {}; \n' });
    const counter = readCounter();
    const after = hash(root, { cache, fs: counter.fs });
    expect(counter.reads).toEqual([join(root, 'src/util.ts')]);
    expect(after.digest).not.toBe(before);
  });

  test('an edit keeping size and mtime is still seen when the file had changed just before it was hashed (racy files are not cached)', () => {
    const root = tree(FILES);
    const cache = HashCache.empty(join(root, 'parts/cache.json'));
    // src/index.ts was written just now: within the racy window, so it is not cached.
    age(root, 'package.json', 'src/util.ts');
    hash(root, { cache });
    const counter = readCounter();
    hash(root, { cache, fs: counter.fs });
    expect(counter.reads).toEqual([join(root, 'src/index.ts')]);
    expect(RACY_WINDOW_MS).toBeGreaterThanOrEqual(1000);
  });
});

describe('HashCache', () => {
  test('saves atomically only when something changed, keeping only the entries used', async () => {
    const root = tree(FILES);
    age(root, ...ALL);
    const cacheFile = join(root, 'parts/cache.json');
    const cache = HashCache.load(cacheFile);
    hash(root, { cache });
    expect(cache.dirty).toBe(true);
    await cache.save();
    const saved = JSON.parse(readFileSync(cacheFile, 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(saved.files)).toEqual(ALL.map((path) => join(root, path)).sort());

    const reloaded = HashCache.load(cacheFile);
    hash(root, { cache: reloaded });
    expect(reloaded.dirty).toBe(false);

    // Fewer inputs: the unused entries are dropped at the next save.
    const smaller = HashCache.load(cacheFile);
    hash(root, { cache: smaller, patterns: ['src'] });
    expect(smaller.dirty).toBe(true);
    await smaller.save();
    const kept = JSON.parse(readFileSync(cacheFile, 'utf8')) as { files: Record<string, unknown> };
    expect(Object.keys(kept.files)).toEqual([join(root, 'src/index.ts'), join(root, 'src/util.ts')]);
  });

  test('a corrupt or foreign cache file is an empty cache', () => {
    const root = tree(FILES);
    age(root, ...ALL);
    for (const content of ['{not json', '{"format":99,"files":{}}', 'null']) {
      const cacheFile = join(root, 'cache.json');
      writeFileSync(cacheFile, content);
      const counter = readCounter();
      hash(root, { cache: HashCache.load(cacheFile), fs: counter.fs, exclude: ['cache.json'] });
      expect(counter.reads).toHaveLength(3);
    }
  });
});
