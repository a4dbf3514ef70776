/**
 * Remembers the content hash of every input file with the file's size,
 * modification and change times and inode, so a later run re-reads only the
 * files whose metadata changed. Kept as JSON in one file per buildout,
 * written atomically; a missing or unreadable cache is an empty one.
 *
 * A file modified within `RACY_WINDOW_MS` of being read is not cached: the
 * file system's timestamps are coarse (a few ms on Linux, up to 2 s on FAT),
 * so an edit landing in the same tick would keep the old mtime (git's "racy
 * clean" problem). Such a file is read again next time, then cached.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@buildout/engine';
import type { FileStat } from './file-system.js';

export const RACY_WINDOW_MS = 2000;
const FORMAT = 1;

interface CacheEntry {
  /** size:mtimeMs:ctimeMs:ino */
  readonly stamp: string;
  readonly hash: string;
}

interface CacheFile {
  readonly format: number;
  readonly files: Record<string, CacheEntry>;
}

export class HashCache {
  private readonly known: Map<string, CacheEntry>;
  /** Entries looked up or added since loading: the ones saved (files no input names any more drop out). */
  private readonly used = new Map<string, CacheEntry>();
  private changed = false;
  private saving: Promise<void> | undefined;

  private constructor(
    readonly file: string,
    entries: Map<string, CacheEntry>,
  ) {
    this.known = entries;
  }

  static empty(file: string): HashCache {
    return new HashCache(file, new Map());
  }

  /** The cache in `file`; empty if the file is missing or not a cache of this format. */
  static load(file: string): HashCache {
    let parsed: Partial<CacheFile> | undefined;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
    } catch {
      parsed = undefined;
    }
    const entries = new Map<string, CacheEntry>();
    if (parsed?.format === FORMAT && parsed.files && typeof parsed.files === 'object') {
      for (const [path, entry] of Object.entries(parsed.files)) {
        if (typeof entry?.stamp === 'string' && typeof entry.hash === 'string') entries.set(path, entry);
      }
    }
    return new HashCache(file, entries);
  }

  /** The remembered hash of `path` if its metadata is what it was when it was hashed. */
  lookup(path: string, stat: FileStat): string | undefined {
    const entry = this.known.get(path);
    if (!entry || entry.stamp !== stampOf(stat)) return undefined;
    this.used.set(path, entry);
    return entry.hash;
  }

  /** Remembers a hash just computed from the file's content, unless the file changed too recently to trust its times. */
  remember(path: string, stat: FileStat, hash: string, readAtMs: number): void {
    if (stat.mtimeMs > readAtMs - RACY_WINDOW_MS) {
      // Not cached; a stale entry must not survive either.
      this.changed ||= this.known.has(path);
      this.known.delete(path);
      this.used.delete(path);
      return;
    }
    const entry: CacheEntry = { stamp: stampOf(stat), hash };
    const previous = this.known.get(path);
    if (previous?.stamp !== entry.stamp || previous.hash !== hash) this.changed = true;
    this.known.set(path, entry);
    this.used.set(path, entry);
  }

  /** Whether `save` would write anything: entries added or changed, or entries no longer used (`used` holds a subset of `known`'s paths). */
  get dirty(): boolean {
    return this.changed || this.used.size !== this.known.size;
  }

  /** Writes the entries used since loading (atomically), if anything changed. Concurrent calls share one write. */
  save(): Promise<void> {
    if (this.saving) return this.saving;
    if (!this.dirty) return Promise.resolve();
    const files: Record<string, CacheEntry> = {};
    for (const path of [...this.used.keys()].sort()) files[path] = this.used.get(path)!;
    const content = `${JSON.stringify({ format: FORMAT, files } satisfies CacheFile)}\n`;
    this.changed = false;
    this.known.clear();
    for (const [path, entry] of Object.entries(files)) this.known.set(path, entry);
    this.saving = (async () => {
      try {
        await mkdir(dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, content);
      } finally {
        this.saving = undefined;
      }
    })();
    return this.saving;
  }
}

function stampOf(stat: FileStat): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}`;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
