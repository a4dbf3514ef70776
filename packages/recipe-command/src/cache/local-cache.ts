/**
 * The local cache folder: per key, `<key>.tar.gz` (the artifact, the same
 * bytes a remote cache holds) and `<key>.json` (its sha256 and manifest,
 * written last: an entry without it does not exist). Every file is written
 * to a temporary name and renamed, so two buildouts sharing the folder never
 * see half an entry; a reader checks the artifact's hash and discards an
 * entry that does not match. The `.json` file's modification time is the
 * entry's last use: when the folder grows past its limit, the least recently
 * used entries go first. Only names of that shape are ever removed: the
 * folder may be shared with other files (`cache-directory = .`), and a
 * `package.json` is no entry.
 */
import { readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@buildout/engine';
import { sha256 } from '../hash-cache.js';
import type { Manifest } from './artifact.js';

const FORMAT = 1;
/** Hex digits of a key (cacheKey's): 128 bits. */
export const KEY_LENGTH = 32;
/** An entry's files, and the temporary names they are written to first (temporarySibling's). */
const ENTRY_FILE = new RegExp(`^([0-9a-f]{${KEY_LENGTH}})\\.(json|tar\\.gz)$`);
const ENTRY_TEMPORARY = new RegExp(`^[0-9a-f]{${KEY_LENGTH}}\\.(?:json|tar\\.gz)\\.\\d+-\\d+-[0-9a-z]+\\.tmp$`);
/** Temporary files older than this were left by a run that died. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

export interface LocalEntry {
  readonly format: number;
  readonly key: string;
  /** Of the `.tar.gz` file. */
  readonly sha256: string;
  readonly size: number;
  readonly manifest: Manifest;
}

interface Usage {
  readonly key: string;
  readonly size: number;
  usedAt: number;
}

export class LocalCache {
  /** Entries of the folder, scanned once when the first entry is stored by this process. */
  private usage: Map<string, Usage> | undefined;

  constructor(
    readonly directory: string,
    readonly maxSize: number,
  ) {}

  private metaFile(key: string): string {
    return join(this.directory, `${key}.json`);
  }

  artifactFile(key: string): string {
    return join(this.directory, `${key}.tar.gz`);
  }

  /** The entry's description (not its artifact); undefined when there is none or it cannot be read. Marks it used. */
  entry(key: string): LocalEntry | undefined {
    let entry: LocalEntry;
    try {
      entry = JSON.parse(readFileSync(this.metaFile(key), 'utf8')) as LocalEntry;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.discard(key);
      return undefined;
    }
    if (entry?.format !== FORMAT || entry.key !== key || typeof entry.sha256 !== 'string' || !entry.manifest) {
      this.discard(key);
      return undefined;
    }
    this.touch(key);
    return entry;
  }

  /** Whether an entry exists, without reading or touching it (plan time). */
  has(key: string): boolean {
    try {
      return statSync(this.metaFile(key)).isFile() && statSync(this.artifactFile(key)).isFile();
    } catch {
      return false;
    }
  }

  /** The artifact of an entry, checked against its recorded hash; a damaged entry is discarded (undefined). */
  artifact(entry: LocalEntry): Buffer | undefined {
    let data: Buffer;
    try {
      data = readFileSync(this.artifactFile(entry.key));
    } catch {
      this.discard(entry.key);
      return undefined;
    }
    if (data.length !== entry.size || sha256(data) !== entry.sha256) {
      this.discard(entry.key);
      return undefined;
    }
    return data;
  }

  /** Stores an artifact (atomically), then evicts the least recently used entries beyond the size limit. */
  async store(key: string, data: Buffer, manifest: Manifest): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const entry: LocalEntry = { format: FORMAT, key, sha256: sha256(data), size: data.length, manifest };
    await writeFileAtomic(this.artifactFile(key), data);
    const meta = JSON.stringify(entry);
    await writeFileAtomic(this.metaFile(key), meta);
    const usage = this.scan();
    usage.set(key, { key, size: data.length + meta.length, usedAt: Date.now() });
    await this.evict(usage, key);
  }

  /** Removes an entry (damaged, or evicted). */
  discard(key: string): void {
    rmSync(this.metaFile(key), { force: true });
    rmSync(this.artifactFile(key), { force: true });
    this.usage?.delete(key);
  }

  private touch(key: string): void {
    const now = new Date();
    try {
      utimesSync(this.metaFile(key), now, now);
    } catch {
      // Evicted by another buildout meanwhile: the caller still has what it read.
    }
    const used = this.usage?.get(key);
    if (used) used.usedAt = now.getTime();
  }

  private scan(): Map<string, Usage> {
    if (this.usage) return this.usage;
    const usage = new Map<string, Usage>();
    const now = Date.now();
    for (const name of readdirSync(this.directory)) {
      const file = join(this.directory, name);
      try {
        const stat = statSync(file);
        if (ENTRY_TEMPORARY.test(name)) {
          if (now - stat.mtimeMs > STALE_TEMPORARY_MS) rmSync(file, { force: true });
          continue;
        }
        const [, key, kind] = ENTRY_FILE.exec(name) ?? [];
        if (key === undefined) continue;
        const known = usage.get(key);
        const usedAt = kind === 'json' ? stat.mtimeMs : (known?.usedAt ?? 0);
        usage.set(key, { key, size: (known?.size ?? 0) + stat.size, usedAt });
      } catch {
        // Removed by another buildout while listing.
      }
    }
    this.usage = usage;
    return usage;
  }

  private async evict(usage: Map<string, Usage>, keep: string): Promise<void> {
    let total = 0;
    for (const { size } of usage.values()) total += size;
    if (total <= this.maxSize) return;
    const oldest = [...usage.values()].filter((entry) => entry.key !== keep).sort((a, b) => a.usedAt - b.usedAt);
    for (const entry of oldest) {
      if (total <= this.maxSize) break;
      this.discard(entry.key);
      total -= entry.size;
    }
  }
}
