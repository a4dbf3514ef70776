import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tree } from '@buildout/testing';
import { sha256 } from '../hash-cache.js';
import type { ArtifactFile } from './artifact.js';
import { compareOutputs, LinkOnTheWayError, pathsRestoreMakes, stillToWrite, writeOutputs } from './restore.js';

const file = (path: string, content: string, mode = 0o644): ArtifactFile => ({ path, sha256: sha256(content), size: content.length, mode });

describe('compareOutputs', () => {
  test('a file is the same only with the same size, content and mode; missing, tampered, re-moded and linked ones differ', () => {
    const root = tree({ 'd/same': 'one', 'd/tampered': 'abc', 'd/longer': 'four', 'd/moded': 'x', 'd/target': 'link' });
    chmodSync(join(root, 'd/same'), 0o644);
    chmodSync(join(root, 'd/tampered'), 0o644);
    chmodSync(join(root, 'd/moded'), 0o600);
    symlinkSync('target', join(root, 'd/link'));
    const files = [
      file('d/same', 'one'),
      file('d/tampered', 'xyz'),
      file('d/longer', 'fou'),
      file('d/moded', 'x'),
      file('d/link', 'link'),
      file('d/missing', 'm'),
    ];
    const { same, differ } = compareOutputs(root, files);
    expect([...same.keys()]).toEqual(['d/same']);
    expect(differ.map((each) => each.path)).toEqual(['d/tampered', 'd/longer', 'd/moded', 'd/link', 'd/missing']);
  });
});

describe('stillToWrite', () => {
  test('what differed, and what was the same but changed since (rewritten, removed); not what stayed', () => {
    const root = tree({ 'd/kept': 'k', 'd/rewritten': 'r', 'd/removed': 'g' });
    for (const name of ['kept', 'rewritten', 'removed']) chmodSync(join(root, 'd', name), 0o644);
    const files = [file('d/kept', 'k'), file('d/rewritten', 'r'), file('d/removed', 'g'), file('d/new', 'n')];
    const earlier = compareOutputs(root, files);
    expect(earlier.differ.map((each) => each.path)).toEqual(['d/new']);
    // The same bytes through a new file: another inode.
    rmSync(join(root, 'd/rewritten'));
    writeFileSync(join(root, 'd/rewritten'), 'r');
    rmSync(join(root, 'd/removed'));
    expect(stillToWrite(root, files, earlier).map((each) => each.path)).toEqual(['d/rewritten', 'd/removed', 'd/new']);
  });
});

describe('writeOutputs', () => {
  test('writes each file with its mode, making folders, over what was there (a link is replaced, not followed)', () => {
    const root = tree({ 'elsewhere.txt': 'keep me' });
    mkdirSync(join(root, 'd'));
    symlinkSync('../elsewhere.txt', join(root, 'd/linked'));
    const files = [file('d/sub/new.sh', '#!/bin/sh\n', 0o755), file('d/linked', 'mine')];
    writeOutputs(
      root,
      files,
      new Map([...files.map((each): [string, Buffer] => [each.path, Buffer.from(each.path === 'd/linked' ? 'mine' : '#!/bin/sh\n')])]),
    );
    expect(statSync(join(root, 'd/sub/new.sh')).mode & 0o777).toBe(0o755);
    expect(compareOutputs(root, files).differ).toEqual([]);
    expect(statSync(join(root, 'elsewhere.txt')).size).toBe('keep me'.length);
  });
});

describe('writeOutputs through symbolic links', () => {
  const contentsOf = (files: readonly ArtifactFile[]): Map<string, Buffer> => new Map(files.map((each) => [each.path, Buffer.from('new')]));

  test('a folder on the way that is a link (the output folder, or one in it): nothing is written anywhere', () => {
    const root = tree({ 'userdata/b.txt': 'mine', 'pkg/dist/a.txt': 'old' });
    symlinkSync('../../userdata', join(root, 'pkg/dist/sub'));
    const files = [file('pkg/dist/a.txt', 'new'), file('pkg/dist/sub/b.txt', 'new'), file('pkg/dist/sub/deeper/c.txt', 'new')];
    expect(() => writeOutputs(root, files, contentsOf(files), join(root, 'pkg'))).toThrow(
      new LinkOnTheWayError('pkg/dist/sub is a symbolic link'),
    );
    expect(readdirSync(join(root, 'userdata'))).toEqual(['b.txt']);
    expect(readFileSync(join(root, 'userdata/b.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(root, 'pkg/dist/a.txt'), 'utf8')).toBe('old');
    const linkedDist = tree({ 'userdata/a.txt': 'mine', 'pkg/.keep': '' });
    symlinkSync('../userdata', join(linkedDist, 'pkg/dist'));
    expect(() => writeOutputs(linkedDist, files.slice(0, 1), contentsOf(files), join(linkedDist, 'pkg'))).toThrow(LinkOnTheWayError);
    expect(readFileSync(join(linkedDist, 'userdata/a.txt'), 'utf8')).toBe('mine');
  });

  test('the working folder (or a folder above it) may be a link: the outputs are where it points', () => {
    const root = tree({ 'real/.keep': '' });
    symlinkSync('real', join(root, 'pkg'));
    const files = [file('pkg/dist/a.txt', 'new')];
    writeOutputs(root, files, contentsOf(files), join(root, 'pkg'));
    expect(readFileSync(join(root, 'real/dist/a.txt'), 'utf8')).toBe('new');
  });
});

describe('writeOutputs in place or atomically', () => {
  test('a missing file is created in place, an existing one replaced by a new file; no temporary file is left', () => {
    const root = tree({ 'd/old.txt': 'before' });
    const before = statSync(join(root, 'd/old.txt')).ino;
    const files = [file('d/new.txt', 'fresh', 0o600), file('d/old.txt', 'after')];
    writeOutputs(
      root,
      files,
      new Map([
        ['d/new.txt', Buffer.from('fresh')],
        ['d/old.txt', Buffer.from('after')],
      ]),
    );
    expect(readFileSync(join(root, 'd/new.txt'), 'utf8')).toBe('fresh');
    expect(statSync(join(root, 'd/new.txt')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, 'd/old.txt'), 'utf8')).toBe('after');
    // Replaced, not rewritten in place: a reader of the old file never sees it half-written.
    expect(statSync(join(root, 'd/old.txt')).ino).not.toBe(before);
    expect(readdirSync(join(root, 'd')).sort()).toEqual(['new.txt', 'old.txt']);
  });
});

describe('pathsRestoreMakes', () => {
  const restored = [file('pkg/dist/a.js', 'a'), file('pkg/dist/sub/b.js', 'b')];

  test('the restored files and the recorded folders holding only recorded files and folders on the way to restored ones', () => {
    const root = tree({ 'pkg/dist/a.js': 'a', 'pkg/dist/sub/b.js': 'b', 'pkg/dist/stale.js': 's' });
    const recorded = ['pkg/dist', 'pkg/dist/a.js', 'pkg/dist/stale.js', 'pkg/dist/sub/b.js'];
    expect(pathsRestoreMakes(root, recorded, restored)).toEqual(['pkg/dist', 'pkg/dist/a.js', 'pkg/dist/sub/b.js']);
  });

  test('a folder that is not there is kept (the restore makes it); one holding a file nobody recorded is not', () => {
    const root = tree({ 'pkg/dist/a.js': 'a', 'pkg/dist/notes.txt': 'mine' });
    const recorded = ['pkg/dist', 'pkg/dist/a.js', 'pkg/dist/sub/b.js'];
    expect(pathsRestoreMakes(root, recorded, restored)).toEqual(['pkg/dist/a.js', 'pkg/dist/sub/b.js']);
    expect(pathsRestoreMakes(tree({}), recorded, restored)).toEqual(recorded);
  });

  test('not kept: a folder holding a folder on the way to no restored file, a recorded folder the restore does not make, a file where the folder was', () => {
    const root = tree({ 'pkg/dist/a.js': 'a', 'pkg/dist/sub/b.js': 'b', 'pkg/dist/old/x.js': 'x', 'pkg/types/t.d.ts': 't' });
    const recorded = ['pkg/dist', 'pkg/dist/a.js', 'pkg/dist/old/x.js', 'pkg/dist/sub/b.js', 'pkg/types', 'pkg/types/t.d.ts'];
    expect(pathsRestoreMakes(root, recorded, restored)).toEqual(['pkg/dist/a.js', 'pkg/dist/sub/b.js']);
    const replaced = tree({ 'pkg/dist': 'a file now' });
    expect(pathsRestoreMakes(replaced, ['pkg/dist', 'pkg/dist/a.js'], restored)).toEqual(['pkg/dist/a.js']);
  });
});
