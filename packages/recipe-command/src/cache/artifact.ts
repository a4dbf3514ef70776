/**
 * A cache artifact: a gzipped tar (the format Turborepo's caches hold) of a
 * part's output files, paths relative to the buildout directory, led by a
 * manifest entry with every file's sha256 and the command's captured output.
 * An artifact is checked whole (every file against its hash) before any file
 * is written, so a damaged download or entry never reaches the outputs.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Header, PackSync, Pax, ReadEntry } from 'tar';
import { sha256 } from '../hash-cache.js';

export const MANIFEST_PATH = '.buildout-cache/manifest.json';
const FORMAT = 1;

export interface ArtifactFile {
  /** Relative to the buildout directory, `/`-separated. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly mode: number;
}

export interface Manifest {
  readonly format: number;
  /** The cache key the artifact was stored under. */
  readonly key: string;
  readonly files: readonly ArtifactFile[];
  /** The command's output lines, replayed with -v when the artifact is restored. */
  readonly log: readonly string[];
}

/** Packs the files (relative to `directory`) with their manifest. */
export function packArtifact(
  directory: string,
  key: string,
  paths: readonly string[],
  log: readonly string[],
): { data: Buffer; manifest: Manifest } {
  const files: ArtifactFile[] = [];
  const contents: Buffer[] = [];
  for (const path of paths) {
    const absolute = join(directory, path);
    const content = readFileSync(absolute);
    files.push({ path, sha256: sha256(content), size: content.length, mode: statSync(absolute).mode & 0o777 });
    contents.push(content);
  }
  const manifest: Manifest = { format: FORMAT, key, files, log };
  const chunks: Buffer[] = [];
  const pack = new PackSync({ gzip: true, portable: true });
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const add = (path: string, content: Buffer, mode: number): void => {
    const entry = new ReadEntry(new Header({ path, mode, size: content.length, type: 'File', mtime: new Date(0) }));
    pack.add(entry);
    entry.end(content);
  };
  add(MANIFEST_PATH, Buffer.from(JSON.stringify(manifest)), 0o644);
  for (const [index, file] of files.entries()) add(file.path, contents[index]!, file.mode);
  pack.end();
  return { data: Buffer.concat(chunks), manifest };
}

export class ArtifactError extends Error {}

const BLOCK = 512;

/**
 * The regular files of a gzipped tar, by path: the whole archive unzipped at
 * once and its headers decoded by tar's Header (with pax extended headers,
 * which long paths get). tar's streaming Parser does the same with a stream
 * per entry, several times slower for the many small artifacts of a monorepo.
 */
function tarEntries(data: Buffer): Map<string, Buffer> {
  let archive: Buffer;
  try {
    archive = gunzipSync(data);
  } catch (error) {
    throw new ArtifactError(`not a tar.gz archive (${(error as Error).message})`);
  }
  const entries = new Map<string, Buffer>();
  let extended: Pax | undefined;
  let global: Pax | undefined;
  for (let offset = 0; offset + BLOCK <= archive.length; ) {
    const header = new Header(archive, offset, extended, global);
    if (header.nullBlock) break;
    if (!header.cksumValid) throw new ArtifactError(`not a tar.gz archive (a damaged header at byte ${offset})`);
    const start = offset + BLOCK;
    const size = header.size ?? 0;
    if (start + size > archive.length) throw new ArtifactError('not a tar.gz archive (it is cut short)');
    const body = archive.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    if (header.type === 'ExtendedHeader') {
      extended = Pax.parse(body.toString('utf8'), extended, false);
      continue;
    }
    if (header.type === 'GlobalExtendedHeader') {
      global = Pax.parse(body.toString('utf8'), global, true);
      continue;
    }
    // A pax path wins over the header's (which Header prefixes with the ustar prefix field), as in tar's ReadEntry.
    const path = extended?.path ?? header.path;
    // Anything else (folders, links) is no file of an artifact: the manifest check finds what is missing.
    if ((header.type === 'File' || header.type === 'OldFile') && path !== undefined) entries.set(path, body);
    extended = undefined;
  }
  return entries;
}

/** Which paths (relative to the buildout directory, `/`-separated) a part's outputs name: the only files its artifacts may hold. */
export type OutputFilter = (path: string) => boolean;

export interface ReadOptions {
  readonly isOutput: OutputFilter;
  /**
   * The artifact's own bytes were just checked against a hash kept apart (a
   * local entry's description), so each file is only checked for its size.
   */
  readonly checkedWhole?: boolean;
}

/**
 * The manifest and file contents of an artifact, every file checked against
 * its hash; throws ArtifactError when anything is off. An artifact comes from
 * whoever can write to the cache, so it may only put files where the part's
 * outputs are (not over buildout.cfg, a source file or a git hook), with
 * plain permissions (no set-user-ID bit on a file a root build writes).
 */
export function readArtifact(
  data: Buffer,
  key: string,
  { isOutput, checkedWhole = false }: ReadOptions,
): { manifest: Manifest; contents: Map<string, Buffer> } {
  const entries = tarEntries(data);
  const manifestData = entries.get(MANIFEST_PATH);
  if (!manifestData) throw new ArtifactError('it has no manifest');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestData.toString('utf8')) as Manifest;
  } catch {
    throw new ArtifactError('its manifest is not JSON');
  }
  if (manifest.format !== FORMAT || manifest.key !== key || !Array.isArray(manifest.files) || !Array.isArray(manifest.log)) {
    throw new ArtifactError('its manifest is of another format or for another key');
  }
  const contents = new Map<string, Buffer>();
  for (const file of manifest.files) {
    const problem = fileProblem(file, isOutput);
    if (problem) throw new ArtifactError(problem);
    const content = entries.get(file.path);
    const intact = content !== undefined && (checkedWhole ? content.length === file.size : sha256(content) === file.sha256);
    if (!intact) throw new ArtifactError(`${file.path} does not match its hash`);
    contents.set(file.path, content);
  }
  return { manifest, contents };
}

/** What is wrong with a manifest's file record, if anything (its content is checked apart). */
function fileProblem(file: ArtifactFile, isOutput: OutputFilter): string | undefined {
  if (!safePath(file?.path)) return `it names a path outside the buildout directory: ${String(file?.path)}`;
  if (!isOutput(file.path)) return `it names ${file.path}, which is none of the part's outputs`;
  if (!Number.isInteger(file.mode) || file.mode < 0 || file.mode > 0o777) {
    return `it gives ${file.path} the mode ${describeMode(file.mode)}, beyond read, write and execute permissions`;
  }
  if (!Number.isInteger(file.size) || file.size < 0 || typeof file.sha256 !== 'string') return `its record of ${file.path} is malformed`;
  return undefined;
}

function describeMode(mode: unknown): string {
  return typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 ? `0o${mode.toString(8)}` : JSON.stringify(mode);
}

/** A relative path that stays inside the folder it is relative to. */
function safePath(path: unknown): path is string {
  if (typeof path !== 'string' || path === '' || isAbsolute(path) || path.includes('\\') || path.includes('\0')) return false;
  return !normalize(path).split(sep).includes('..');
}
