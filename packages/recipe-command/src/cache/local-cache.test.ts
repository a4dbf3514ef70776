import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tree } from '@buildout/testing';
import { packArtifact } from './artifact.js';
import { LocalCache } from './local-cache.js';

/** A key of the shape cacheKey makes (32 hex digits), from one hex digit. */
const key = (digit: string): string => digit.repeat(32);

function artifact(key: string, size = 100) {
  const root = tree({ 'out.bin': 'x'.repeat(size) });
  return packArtifact(root, key, ['out.bin'], []);
}

describe('the local cache folder', () => {
  test('an entry stored is found with its manifest, and its artifact checks out', async () => {
    const cache = new LocalCache(tree({}), 10 ** 9);
    const { data, manifest } = artifact(key('1'));
    await cache.store(key('1'), data, manifest);
    expect(cache.has(key('1'))).toBe(true);
    const entry = cache.entry(key('1'))!;
    expect(entry.manifest).toEqual(manifest);
    expect(cache.artifact(entry)).toEqual(data);
    expect(cache.entry(key('2'))).toBeUndefined();
    // No temporary file is left behind.
    expect(readdirSync(cache.directory).sort()).toEqual([`${key('1')}.json`, `${key('1')}.tar.gz`]);
  });

  test('a damaged artifact or description is discarded', async () => {
    const cache = new LocalCache(tree({}), 10 ** 9);
    const first = artifact(key('1'));
    await cache.store(key('1'), first.data, first.manifest);
    const damaged = Buffer.from(first.data);
    damaged[10]! ^= 1;
    writeFileSync(cache.artifactFile(key('1')), damaged);
    expect(cache.artifact(cache.entry(key('1'))!)).toBeUndefined();
    expect(cache.has(key('1'))).toBe(false);

    const second = artifact(key('2'));
    await cache.store(key('2'), second.data, second.manifest);
    writeFileSync(join(cache.directory, `${key('2')}.json`), '{ not json');
    expect(cache.entry(key('2'))).toBeUndefined();
    expect(readdirSync(cache.directory)).toEqual([]);
  });

  test('past the size limit the least recently used entries go; a lookup counts as a use', async () => {
    const directory = tree({});
    const entries = ['a', 'b', 'c'].map((digit) => ({ key: key(digit), ...artifact(key(digit), 2000) }));
    const writer = new LocalCache(directory, 10 ** 9);
    for (const { key, data, manifest } of entries) await writer.store(key, data, manifest);
    const size = readdirSync(directory).reduce((total, name) => total + readFileSync(join(directory, name)).length, 0);
    // a is oldest, then b, then c; a is looked up (used) last.
    const past = (seconds: number) => new Date(Date.now() - seconds * 1000);
    utimesSync(join(directory, `${key('a')}.json`), past(30), past(30));
    utimesSync(join(directory, `${key('b')}.json`), past(20), past(20));
    utimesSync(join(directory, `${key('c')}.json`), past(10), past(10));
    // A little room over the three: d's files may be a few bytes larger than b's, which its store evicts.
    const cache = new LocalCache(directory, size + 50);
    expect(cache.entry(key('a'))).toBeDefined();
    const d = artifact(key('d'), 2000);
    await cache.store(key('d'), d.data, d.manifest);
    expect(['a', 'b', 'c', 'd'].filter((digit) => cache.has(key(digit)))).toEqual(['a', 'c', 'd']);
  });

  // cache-directory = . (or a folder of the user's): the cache removes only its own files there.
  test('in a folder shared with other files, only entries and their leftover temporaries are ever removed', async () => {
    const hours = (count: number) => new Date(Date.now() - count * 3600 * 1000);
    const theirs = { 'package.json': 'x'.repeat(5000), 'notes.tmp': 'mine', 'data.tar.gz': 'y'.repeat(5000), 'ab.json': '{}' };
    const directory = tree(theirs);
    const leftover = `${key('e')}.tar.gz.123-4-mx5se6caj67c4s.tmp`;
    writeFileSync(join(directory, leftover), 'half written');
    for (const name of [...Object.keys(theirs), leftover]) utimesSync(join(directory, name), hours(3), hours(3));
    const cache = new LocalCache(directory, 1); // room for no entry: each store evicts every other one
    for (const digit of ['a', 'b']) {
      const { data, manifest } = artifact(key(digit), 1000);
      await cache.store(key(digit), data, manifest);
    }
    expect(cache.has(key('a'))).toBe(false);
    expect(cache.has(key('b'))).toBe(true);
    expect(readdirSync(directory).sort()).toEqual([...Object.keys(theirs), `${key('b')}.json`, `${key('b')}.tar.gz`].sort());
    for (const [name, text] of Object.entries(theirs)) expect(readFileSync(join(directory, name), 'utf8')).toBe(text);
  });
});
