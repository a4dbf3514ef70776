/**
 * The content hash of a command's inputs: every matched file's path and
 * content hash, in sorted order. File contents come from the hash cache when
 * a file's size and times did not change.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import { findFiles } from './glob.js';
import { sha256, type HashCache } from './hash-cache.js';

export interface HashInputsOptions {
  /** Patterns are relative to this folder. */
  readonly cwd: string;
  /** Pattern lines (`!` excludes). */
  readonly patterns: readonly string[];
  /** Paths never hashed (node_modules, outputs, buildout's own files). */
  readonly exclude: readonly string[];
  readonly cache: HashCache;
  readonly fs?: FileSystem;
  /** Milliseconds since the epoch (for the cache's racy-file rule). */
  readonly now?: () => number;
}

export interface HashedInputs {
  /** Hex sha256 over the sorted files' paths and contents. */
  readonly digest: string;
  /** Relative to `cwd`, sorted. */
  readonly files: readonly string[];
  /** How many files had to be read (the others came from the cache). */
  readonly read: number;
}

export function hashInputs(options: HashInputsOptions): HashedInputs {
  const fs = options.fs ?? nodeFileSystem;
  const now = options.now ?? Date.now;
  const listed = findFiles(options.cwd, options.patterns, { exclude: options.exclude, fs });
  const digest = createHash('sha256');
  const files: string[] = [];
  let read = 0;
  for (const file of listed) {
    const absolute = join(options.cwd, file);
    const stat = fs.stat(absolute);
    // Gone between listing and hashing: it is not an input of this run.
    if (!stat?.isFile()) continue;
    let contentHash = options.cache.lookup(absolute, stat);
    if (contentHash === undefined) {
      const readAt = now();
      contentHash = sha256(fs.readFile(absolute));
      options.cache.remember(absolute, stat, contentHash, readAt);
      read += 1;
    }
    digest.update(`${file}\0${contentHash}\n`);
    files.push(file);
  }
  return { digest: digest.digest('hex'), files, read };
}
