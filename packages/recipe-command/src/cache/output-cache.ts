/**
 * The output cache of `command` parts: local folder first, then the remote.
 * A build's key covers everything that defines it: the recipe's identity and
 * every option of the part (among them `inputs-hash`, which covers the input
 * files, the declared environment and the dependencies' hashes), with the
 * buildout directory written as `${buildout:directory}` so that clones in
 * other folders share keys.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CacheSource, Part } from '@buildout/engine';
import { sha256 } from '../hash-cache.js';
import { ArtifactError, packArtifact, readArtifact, writeArtifactFiles, type ArtifactFile, type Manifest } from './artifact.js';
import { LocalCache } from './local-cache.js';
import { RemoteCache } from './remote-cache.js';
import type { CacheSettings } from './settings.js';

/** Changes whenever what a cached build means changes (the artifact layout, how keys are made). */
const RECIPE_IDENTITY = '@buildout/recipe-command:command cache 1';
/** Hex digits of a key: 128 bits. */
const KEY_LENGTH = 32;

/** The part's options with the buildout directory made a placeholder (so another clone's key is the same). */
export function relocatableOptions(part: Part, skip: ReadonlySet<string> = new Set()): string {
  const directory = part.directory;
  return Object.keys(part.options)
    .filter((option) => !skip.has(option))
    .sort()
    .map((option) => `${option}=${JSON.stringify(part.options[option]!.split(directory).join('${buildout:directory}'))}\n`)
    .join('');
}

export function cacheKey(part: Part): string {
  return sha256(`${RECIPE_IDENTITY}\n${relocatableOptions(part)}`).slice(0, KEY_LENGTH);
}

export interface Restored {
  readonly source: CacheSource;
  readonly manifest: Manifest;
}

const caches = new Map<string, OutputCache>();

export class OutputCache {
  readonly local: LocalCache;
  readonly remote: RemoteCache | undefined;

  private constructor(settings: CacheSettings) {
    this.local = new LocalCache(settings.directory, settings.maxSize);
    this.remote = settings.remote && new RemoteCache(settings.remote);
  }

  /** One per cache folder and remote for the life of the process (the remote's "down" state is shared by all parts). */
  static of(settings: CacheSettings): OutputCache {
    const id = JSON.stringify(settings);
    let cache = caches.get(id);
    if (!cache) {
      cache = new OutputCache(settings);
      caches.set(id, cache);
    }
    return cache;
  }

  /** Plan time: where an install would restore the part from, if anywhere. */
  async status(key: string, part: Part): Promise<CacheSource | undefined> {
    if (this.local.has(key)) return 'local';
    if (this.remote && (await this.remote.has(key, (message) => part.log.warn(message)))) return 'remote';
    return undefined;
  }

  /** Writes every output file of a cached build of `key` (local, else remote); undefined when neither has a usable one. */
  async restore(key: string, part: Part): Promise<Restored | undefined> {
    const local = this.local.entry(key);
    const localData = local && this.local.artifact(local);
    if (localData) {
      const restored = await this.unpack(key, localData, part, 'local');
      if (restored) return restored;
      this.local.discard(key);
    } else if (local) {
      part.log.warn(`the cache entry ${key} was damaged (its hash does not match); discarded`);
    }
    if (!this.remote) return undefined;
    const fetched = await this.remote.fetch(key, (message) => part.log.warn(message));
    if (!fetched.found) {
      if (fetched.why) part.log.warn(`not using the remote cache's artifact ${key}: ${fetched.why}`);
      return undefined;
    }
    const restored = await this.unpack(key, fetched.data, part, 'remote');
    // Kept locally too, so the next restore needs no network.
    if (restored) await this.keepLocally(key, fetched.data, restored.manifest, part);
    return restored;
  }

  /** Puts back the output files that are missing or whose content changed since they were built; returns how many. */
  async repair(key: string, part: Part): Promise<number> {
    const local = this.local.entry(key);
    if (!local) return 0;
    const changed = local.manifest.files.filter((file) => !intact(join(part.directory, file.path), file));
    if (changed.length === 0) return 0;
    const data = this.local.artifact(local);
    if (!data) return 0;
    const { contents } = readArtifact(data, key);
    await writeArtifactFiles(part.directory, changed, contents);
    return changed.length;
  }

  /** Stores a build's output files (relative to the buildout directory) and output lines, locally and (unless read-only) remotely. */
  async save(key: string, part: Part, files: readonly string[], log: readonly string[], durationMs: number): Promise<void> {
    const { data, manifest } = packArtifact(part.directory, key, files, log);
    await this.keepLocally(key, data, manifest, part);
    await this.remote?.store(key, data, durationMs, (message) => part.log.warn(message));
  }

  private async keepLocally(key: string, data: Buffer, manifest: Manifest, part: Part): Promise<void> {
    try {
      await this.local.store(key, data, manifest);
    } catch (error) {
      // Only speed is lost.
      part.log.warn(`cannot write to the cache folder ${this.local.directory}: ${(error as Error).message}`);
    }
  }

  private async unpack(key: string, data: Buffer, part: Part, source: CacheSource): Promise<Restored | undefined> {
    try {
      const { manifest, contents } = readArtifact(data, key);
      await writeArtifactFiles(part.directory, manifest.files, contents);
      return { source, manifest };
    } catch (error) {
      if (!(error instanceof ArtifactError)) throw error;
      part.log.warn(`the ${source} cache's artifact ${key} is damaged (${error.message}); building instead`);
      return undefined;
    }
  }
}

/**
 * The file is there with the content it was built with. Outputs are read
 * every time (their stamps are not kept in the input hash cache: remembering
 * them would rewrite that file once per part).
 */
function intact(absolute: string, file: ArtifactFile): boolean {
  const stat = statSync(absolute, { throwIfNoEntry: false });
  return stat?.isFile() === true && stat.size === file.size && sha256(readFileSync(absolute)) === file.sha256;
}
