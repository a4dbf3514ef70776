import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import { findFiles, findFolders, findPaths, folderAwareMatcher, normalizePattern, walkBases } from './glob.js';
import { tree } from '@buildout/testing';

/** The node file system, recording every folder listed. */
function listingSpy(): { fs: FileSystem; listed: string[] } {
  const listed: string[] = [];
  return {
    listed,
    fs: {
      ...nodeFileSystem,
      readdir: (path) => {
        listed.push(path);
        return nodeFileSystem.readdir(path);
      },
    },
  };
}

describe('findFiles', () => {
  const files = {
    'package.json': '{}',
    'src/index.ts': '',
    'src/deep/util.ts': '',
    'src/deep/util.test.ts': '',
    'src/.hidden': '',
    'README.md': '',
    'dist/index.js': '',
    'node_modules/dep/index.js': '',
    'src/node_modules/x.js': '',
  };

  test('** matches every file, dotfiles too, sorted', () => {
    const root = tree(files);
    expect(findFiles(root, ['**'], { exclude: ['**/node_modules'] })).toEqual([
      'README.md',
      'dist/index.js',
      'package.json',
      'src/.hidden',
      'src/deep/util.test.ts',
      'src/deep/util.ts',
      'src/index.ts',
    ]);
  });

  test('a pattern naming a folder stands for everything in it; ./ and trailing / are ignored', () => {
    const root = tree(files);
    expect(findFiles(root, ['./src/deep/', 'package.json'])).toEqual(['package.json', 'src/deep/util.test.ts', 'src/deep/util.ts']);
  });

  test('!patterns and excluded patterns leave files out', () => {
    const root = tree(files);
    expect(findFiles(root, ['src/**/*.ts', '!**/*.test.ts'])).toEqual(['src/deep/util.ts', 'src/index.ts']);
    expect(findFiles(root, ['**'], { exclude: ['**/node_modules', 'dist', 'src/deep'] })).toEqual([
      'README.md',
      'package.json',
      'src/.hidden',
      'src/index.ts',
    ]);
  });

  test('excluded folders are not even listed', () => {
    const root = tree(files);
    const { fs, listed } = listingSpy();
    findFiles(root, ['**'], { exclude: ['**/node_modules', 'dist'], fs });
    expect(listed.sort()).toEqual([root, join(root, 'src'), join(root, 'src/deep')]);
  });

  test('walks only from the static part of the patterns', () => {
    const root = tree(files);
    const { fs, listed } = listingSpy();
    expect(findFiles(root, ['src/deep/*.ts'], { fs })).toEqual(['src/deep/util.test.ts', 'src/deep/util.ts']);
    expect(listed).toEqual([join(root, 'src/deep')]);
  });

  test('patterns may reach outside the folder', () => {
    const root = tree({ 'shared/a.ts': '', 'shared/b.md': '', 'pkg/index.ts': '' });
    expect(findFiles(join(root, 'pkg'), ['**', '../shared/*.ts'])).toEqual(['../shared/a.ts', 'index.ts']);
  });

  test('absolute patterns become relative to the folder', () => {
    const root = tree(files);
    expect(findFiles(root, [join(root, 'src/deep')])).toEqual(['src/deep/util.test.ts', 'src/deep/util.ts']);
  });

  test('a missing folder or file matches nothing', () => {
    const root = tree(files);
    expect(findFiles(root, ['nope/**', 'missing.txt'])).toEqual([]);
  });
});

describe('findPaths (outputs)', () => {
  test('a folder is one path; globs match files and folders; missing ones are left out', () => {
    const root = tree({ 'dist/a.js': '', 'dist/sub/b.js': '', 'types/a.d.ts': '', 'types/b.d.ts': '', 'x.tsbuildinfo': '' });
    expect(findPaths(root, ['dist', 'types/*.d.ts', '*.tsbuildinfo', 'coverage'])).toEqual([
      'dist',
      'types/a.d.ts',
      'types/b.d.ts',
      'x.tsbuildinfo',
    ]);
  });
});

describe('findFolders (workspace packages)', () => {
  const has = (file: string) => (folder: string) => nodeFileSystem.stat(join(folder, file)) !== undefined;

  test('matches folders, nested with **, minus !globs, and . for the root', () => {
    const root = tree({
      'package.json': '',
      'packages/a/package.json': '',
      'packages/b/package.json': '',
      'packages/b/node_modules/c/package.json': '',
      'packages/notapkg/readme': '',
      'apps/web/package.json': '',
      'apps/web/e2e/package.json': '',
      'apps/legacy/package.json': '',
    });
    expect(findFolders(root, ['packages/*'], has('package.json'), { exclude: ['**/node_modules'] })).toEqual(['packages/a', 'packages/b']);
    expect(findFolders(root, ['apps/**', '!apps/legacy'], has('package.json'))).toEqual(['apps/web', 'apps/web/e2e']);
    expect(findFolders(root, ['.', 'packages/a'], has('package.json'))).toEqual(['.', 'packages/a']);
  });

  test('without ** it walks no deeper than the patterns reach', () => {
    const root = tree({ 'packages/a/package.json': '', 'packages/a/src/deep/x.ts': '' });
    const { fs, listed } = listingSpy();
    findFolders(root, ['packages/*'], has('package.json'), { fs });
    expect(listed).toEqual([join(root, 'packages')]);
  });
});

test('normalizePattern and walkBases', () => {
  expect(normalizePattern('./src/', '/x')).toBe('src');
  expect(normalizePattern('./', '/x')).toBe('.');
  expect(normalizePattern('/x/a/b', '/x')).toBe('a/b');
  expect(normalizePattern('/x', '/x')).toBe('.');
  expect(walkBases(['src/**/*.ts', 'src/deep/*.ts', 'package.json', '../shared/**'])).toEqual(['../shared', 'package.json', 'src']);
  expect(walkBases(['**/*.ts', 'src/*.ts', '.'])).toEqual(['']);
});

test('folderAwareMatcher: **/name matches that name at any depth, as a folder too; other patterns as picomatch has them', () => {
  const match = folderAwareMatcher(['**/node_modules', 'ab/node_modules', 'dist']);
  expect(['node_modules', 'a/node_modules', 'a/node_modules/x/y.js', 'ab/node_modules/z', 'dist/a.js'].filter(match)).toHaveLength(5);
  expect(['node_modules_x', 'a/my-node_modules', 'distance', 'src/dist.ts'].filter(match)).toEqual([]);
});
