import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tree } from '@buildout/testing';
import { packArtifact } from './artifact.js';
import { LocalCache } from './local-cache.js';

function artifact(key: string, size = 100) {
  const root = tree({ 'out.bin': 'x'.repeat(size) });
  return packArtifact(root, key, ['out.bin'], []);
}

describe('the local cache folder', () => {
  test('an entry stored is found with its manifest, and its artifact checks out', async () => {
    const cache = new LocalCache(tree({}), 10 ** 9);
    const { data, manifest } = artifact('k1');
    await cache.store('k1', data, manifest);
    expect(cache.has('k1')).toBe(true);
    const entry = cache.entry('k1')!;
    expect(entry.manifest).toEqual(manifest);
    expect(cache.artifact(entry)).toEqual(data);
    expect(cache.entry('k2')).toBeUndefined();
    // No temporary file is left behind.
    expect(readdirSync(cache.directory).sort()).toEqual(['k1.json', 'k1.tar.gz']);
  });

  test('a damaged artifact or description is discarded', async () => {
    const cache = new LocalCache(tree({}), 10 ** 9);
    const first = artifact('k1');
    await cache.store('k1', first.data, first.manifest);
    const damaged = Buffer.from(first.data);
    damaged[10]! ^= 1;
    writeFileSync(cache.artifactFile('k1'), damaged);
    expect(cache.artifact(cache.entry('k1')!)).toBeUndefined();
    expect(cache.has('k1')).toBe(false);

    const second = artifact('k2');
    await cache.store('k2', second.data, second.manifest);
    writeFileSync(join(cache.directory, 'k2.json'), '{ not json');
    expect(cache.entry('k2')).toBeUndefined();
    expect(readdirSync(cache.directory)).toEqual([]);
  });

  test('past the size limit the least recently used entries go; a lookup counts as a use', async () => {
    const directory = tree({});
    const entries = ['a', 'b', 'c'].map((key) => ({ key, ...artifact(key, 2000) }));
    const writer = new LocalCache(directory, 10 ** 9);
    for (const { key, data, manifest } of entries) await writer.store(key, data, manifest);
    const size = readdirSync(directory).reduce((total, name) => total + readFileSync(join(directory, name)).length, 0);
    // a is oldest, then b, then c; a is looked up (used) last.
    const past = (seconds: number) => new Date(Date.now() - seconds * 1000);
    utimesSync(join(directory, 'a.json'), past(30), past(30));
    utimesSync(join(directory, 'b.json'), past(20), past(20));
    utimesSync(join(directory, 'c.json'), past(10), past(10));
    const cache = new LocalCache(directory, size);
    expect(cache.entry('a')).toBeDefined();
    const d = artifact('d', 2000);
    await cache.store('d', d.data, d.manifest);
    expect(['a', 'b', 'c', 'd'].filter((key) => cache.has(key))).toEqual(['a', 'c', 'd']);
  });
});
