import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Parser } from 'tar';
import { describe, expect, test } from 'vitest';
import { tree } from '@buildout/testing';
import { ArtifactError, MANIFEST_PATH, packArtifact, readArtifact } from './artifact.js';
import { writeOutputs } from './restore.js';
import { archive, archivedFile } from './test-support.js';

/** Reads without limiting where the files go (the tests of that limit say so). */
const ANY = { isOutput: () => true };

function packed() {
  const root = tree({ 'pkg/dist/a.js': 'alpha', 'pkg/dist/sub/b.js': 'beta' });
  return { root, ...packArtifact(root, 'k1', ['pkg/dist/a.js', 'pkg/dist/sub/b.js'], ['line one', 'line two']) };
}

describe('cache artifacts', () => {
  test('long paths (a pax header ahead of the entry) and empty files read back as they were packed', () => {
    const long = `pkg/dist/${'deep/'.repeat(60)}file.js`;
    const root = tree({ [long]: 'far down', 'pkg/dist/empty.js': '' });
    const { data } = packArtifact(root, 'k', [long, 'pkg/dist/empty.js'], []);
    const { contents } = readArtifact(data, 'k', ANY);
    expect(long.length).toBeGreaterThan(255);
    expect(contents.get(long)?.toString()).toBe('far down');
    expect(contents.get('pkg/dist/empty.js')?.length).toBe(0);
  });

  test('a tar.gz of the files (paths relative to the buildout directory) led by a manifest with their hashes and the output lines', () => {
    const { data, manifest } = packed();
    expect(data.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const paths: string[] = [];
    new Parser({
      onReadEntry: (entry) => {
        paths.push(entry.path);
        entry.resume();
      },
    }).end(data);
    expect(paths).toEqual([MANIFEST_PATH, 'pkg/dist/a.js', 'pkg/dist/sub/b.js']);
    expect(manifest).toMatchObject({ key: 'k1', log: ['line one', 'line two'] });
    expect(manifest.files.map((file) => [file.path, file.size])).toEqual([
      ['pkg/dist/a.js', 5],
      ['pkg/dist/sub/b.js', 4],
    ]);
  });

  test('read back and written elsewhere: the same files, modes kept', async () => {
    const { root, data } = packed();
    const { manifest, contents } = readArtifact(data, 'k1', ANY);
    const other = tree({});
    writeOutputs(other, manifest.files, contents);
    expect(readFileSync(join(other, 'pkg/dist/sub/b.js'), 'utf8')).toBe('beta');
    expect(statSync(join(other, 'pkg/dist/a.js')).mode & 0o777).toBe(statSync(join(root, 'pkg/dist/a.js')).mode & 0o777);
  });

  test('refused: another key, a damaged archive, a file that does not match its hash, a path leaving the folder', () => {
    const { data } = packed();
    expect(() => readArtifact(data, 'k2', ANY)).toThrow(ArtifactError);
    expect(() => readArtifact(data.subarray(0, data.length - 20), 'k1', ANY)).toThrow(ArtifactError);
    expect(() => readArtifact(Buffer.from('not an archive'), 'k1', ANY)).toThrow(ArtifactError);
    expect(() => readArtifact(gzipSync(Buffer.alloc(1024, 1)), 'k1', ANY)).toThrow('a damaged header');

    const file = (path: string, content: string, sha256?: string) => archivedFile(path, content, { sha256 });
    const good = file('a.js', 'alpha');
    expect(
      readArtifact(archive('k', [good]), 'k', ANY)
        .contents.get('a.js')!
        .toString(),
    ).toBe('alpha');
    const tampered = file('a.js', 'evil', good.entry.sha256);
    expect(() => readArtifact(archive('k', [tampered]), 'k', ANY)).toThrow('a.js does not match its hash');
    // An artifact whose bytes were checked whole (a local entry): each file is checked for its size only.
    const shorter = { ...file('a.js', 'evil'), entry: good.entry };
    expect(() => readArtifact(archive('k', [shorter]), 'k', { ...ANY, checkedWhole: true })).toThrow('a.js does not match its hash');
    const sameSize = { ...file('a.js', 'omega'), entry: good.entry };
    expect(
      readArtifact(archive('k', [sameSize]), 'k', { ...ANY, checkedWhole: true })
        .contents.get('a.js')!
        .toString(),
    ).toBe('omega');
    const escaping = file('../outside.js', 'x');
    expect(() => readArtifact(archive('k', [escaping]), 'k', ANY)).toThrow('it names a path outside the buildout directory');
  });

  test("refused: a file none of the part's outputs name (buildout.cfg, a git hook), a mode beyond rwx (set-user-ID), a malformed record", () => {
    const file = (path: string, mode = 0o644) => archivedFile(path, 'x', { mode });
    const isOutput = { isOutput: (path: string) => path.startsWith('pkg/dist/') };
    expect(readArtifact(archive('k', [file('pkg/dist/a.js', 0o755)]), 'k', isOutput).manifest.files).toHaveLength(1);
    for (const path of ['buildout.cfg', '.git/hooks/pre-commit', 'pkg/src/index.js']) {
      expect(() => readArtifact(archive('k', [file('pkg/dist/a.js'), file(path)]), 'k', isOutput)).toThrow(
        `it names ${path}, which is none of the part's outputs`,
      );
    }
    expect(() => readArtifact(archive('k', [file('pkg/dist/a.js', 0o4755)]), 'k', isOutput)).toThrow(
      'it gives pkg/dist/a.js the mode 0o4755, beyond read, write and execute permissions',
    );
    expect(() => readArtifact(archive('k', [file('pkg/dist/a.js', -1)]), 'k', isOutput)).toThrow('the mode -1');
    const unsized = { ...file('pkg/dist/a.js'), entry: { ...file('pkg/dist/a.js').entry, size: '1' } };
    expect(() => readArtifact(archive('k', [unsized]), 'k', isOutput)).toThrow('its record of pkg/dist/a.js is malformed');
  });
});
