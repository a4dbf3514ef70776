/**
 * The output cache of `command` parts: local folder first, then the remote.
 * A build's key covers everything that defines it: the recipe's identity and
 * every option of the part (among them `inputs-hash`, which covers the input
 * files, the declared environment and the dependencies' hashes), with the
 * buildout directory written as `${buildout:directory}` so that clones in
 * other folders share keys.
 */
import { BuildoutError, type CacheSource, type Part } from '@buildout/engine';
import { CommandErrorCodes } from '../errors.js';
import { sha256 } from '../hash-cache.js';
import { type ArtifactFile, ArtifactError, type Manifest, type OutputFilter, packArtifact, readArtifact } from './artifact.js';
import { KEY_LENGTH, type LocalEntry, LocalCache } from './local-cache.js';
import { compareOutputs, LinkOnTheWayError, type OutputComparison, stillToWrite, writeOutputs } from './restore.js';
import { RemoteCache } from './remote-cache.js';
import type { CacheSettings } from './settings.js';

/** Changes whenever what a cached build means changes (the artifact layout, how keys are made). */
const RECIPE_IDENTITY = '@buildout/recipe-command:command cache 1';

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

/** Where a part's outputs are: the only paths an artifact may write, and the folder the outputs patterns are relative to. */
export interface PartOutputs {
  readonly isOutput: OutputFilter;
  /** Absolute; a restore never writes through a symbolic link below it. */
  readonly cwd: string;
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

  /**
   * Before a reinstall: whether the local cache has a usable build of `key`,
   * and how the outputs on disk compare with it. The artifact is read (and
   * checked) only when some file must be written. Undefined when there is no
   * usable local entry (a damaged one is discarded). `outputs`: where the
   * part's outputs are, the only files an artifact may write.
   */
  prepareRestore(key: string, part: Part, outputs: PartOutputs): PreparedRestore | undefined {
    const entry = this.local.entry(key);
    if (!entry) return undefined;
    const comparison = compareOutputs(part.directory, entry.manifest.files);
    const prepared: PreparedRestore = { key, manifest: entry.manifest, comparison, contents: undefined, outputs };
    if (comparison.differ.length === 0) return prepared;
    const contents = this.localContents(entry, part, outputs);
    return contents && { ...prepared, contents };
  }

  /**
   * Finishes a prepared restore: writes the files that differed, and those
   * changed since they were found right. Throws when the artifact is needed
   * and turns out damaged (kept outputs must not be left half right).
   * Undefined (nothing written, with a warning) when a file would be written
   * through a symbolic link: the part is built instead.
   */
  finishRestore(prepared: PreparedRestore, part: Part): Restored | undefined {
    const { key, manifest } = prepared;
    const files = stillToWrite(part.directory, manifest.files, prepared.comparison);
    if (files.length > 0) {
      const entry = prepared.contents ? undefined : this.local.entry(key);
      const contents = prepared.contents ?? (entry && this.localContents(entry, part, prepared.outputs));
      if (!contents) {
        throw new BuildoutError(
          CommandErrorCodes.COMMAND_CACHE_DAMAGED,
          `the cache entry ${key} went missing or was damaged while restoring`,
          {
            part: part.name,
            hint: 'run buildout again: the part is built (or restored) afresh',
          },
        );
      }
      if (!this.write(part, key, files, contents, prepared.outputs)) return undefined;
    }
    return { source: 'local', manifest };
  }

  /** Writes the output files of a cached build of `key` that are not already right (local, else remote); undefined when neither has a usable one. */
  async restore(key: string, part: Part, outputs: PartOutputs): Promise<Restored | undefined> {
    const local = this.local.entry(key);
    const contents = local && this.localContents(local, part, outputs);
    if (local && contents) {
      const written = this.write(part, key, compareOutputs(part.directory, local.manifest.files).differ, contents, outputs);
      return written ? { source: 'local', manifest: local.manifest } : undefined;
    }
    if (!this.remote) return undefined;
    const fetched = await this.remote.fetch(key, (message) => part.log.warn(message));
    if (!fetched.found) {
      if (fetched.why) part.log.warn(`not using the remote cache's artifact ${key}: ${fetched.why}`);
      return undefined;
    }
    const restored = this.unpack(key, fetched.data, part, 'remote', outputs);
    // Kept locally too, so the next restore needs no network.
    if (restored) await this.keepLocally(key, fetched.data, restored.manifest, part);
    return restored;
  }

  /** Puts back the output files that are missing or whose content changed since they were built; returns how many. */
  repair(key: string, part: Part, outputs: PartOutputs): number {
    const local = this.local.entry(key);
    if (!local) return 0;
    const { differ } = compareOutputs(part.directory, local.manifest.files);
    if (differ.length === 0) return 0;
    const contents = this.localContents(local, part, outputs);
    if (!contents || !this.write(part, key, differ, contents, outputs, 'the outputs are left as they are')) return 0;
    return differ.length;
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

  private unpack(key: string, data: Buffer, part: Part, source: CacheSource, outputs: PartOutputs): Restored | undefined {
    let artifact: ReturnType<typeof readArtifact>;
    try {
      artifact = readArtifact(data, key, outputs);
    } catch (error) {
      if (!(error instanceof ArtifactError)) throw error;
      part.log.warn(`the ${source} cache's artifact ${key} is damaged (${error.message}); building instead`);
      return undefined;
    }
    const { manifest, contents } = artifact;
    if (!this.write(part, key, compareOutputs(part.directory, manifest.files).differ, contents, outputs)) return undefined;
    return { source, manifest };
  }

  /** Writes files of a checked artifact; false (nothing written, with a warning) when one would be written through a symbolic link. */
  private write(
    part: Part,
    key: string,
    files: readonly ArtifactFile[],
    contents: ReadonlyMap<string, Buffer>,
    outputs: PartOutputs,
    instead = 'building instead',
  ): boolean {
    try {
      writeOutputs(part.directory, files, contents, outputs.cwd);
      return true;
    } catch (error) {
      if (!(error instanceof LinkOnTheWayError)) throw error;
      part.log.warn(`not restoring ${key} from the cache: ${error.message}, and a restore writes nothing through a link; ${instead}`);
      return false;
    }
  }

  /** The checked file contents of a local entry whose files match its description; undefined (the entry discarded, with a warning) otherwise. */
  private localContents(entry: LocalEntry, part: Part, outputs: PartOutputs): ReadonlyMap<string, Buffer> | undefined {
    const data = this.local.artifact(entry);
    let contents: ReadonlyMap<string, Buffer> | undefined;
    let why = 'its hash does not match';
    if (data) {
      try {
        // The tarball matched the hash its description keeps: its files need no hashing one by one.
        const artifact = readArtifact(data, entry.key, { checkedWhole: true, isOutput: outputs.isOutput });
        // What is written follows the description (its modes too): it must say what the checked artifact says.
        const records = new Map(artifact.manifest.files.map((file) => [file.path, file]));
        if (entry.manifest.files.every((file) => sameRecord(records.get(file.path), file))) contents = artifact.contents;
        else why = 'its description does not match its artifact';
      } catch (error) {
        if (!(error instanceof ArtifactError)) throw error;
        why = error.message;
      }
    }
    if (!contents) {
      this.local.discard(entry.key);
      part.log.warn(`the cache entry ${entry.key} was damaged (${why}); discarded`);
    }
    return contents;
  }
}

/** A restore prepared by `prepareRestore`, finished by `finishRestore`. */
export interface PreparedRestore {
  readonly key: string;
  readonly manifest: Manifest;
  readonly comparison: OutputComparison;
  /** Loaded only when some file differed. */
  readonly contents: ReadonlyMap<string, Buffer> | undefined;
  readonly outputs: PartOutputs;
}

function sameRecord(a: ArtifactFile | undefined, b: ArtifactFile): boolean {
  return a !== undefined && a.path === b.path && a.sha256 === b.sha256 && a.size === b.size && a.mode === b.mode;
}
