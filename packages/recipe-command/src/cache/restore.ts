/**
 * Putting a cached build's output files in place: only the files that are
 * missing or differ from the manifest (size, content, mode) are written (one
 * that is there is replaced atomically), so a restore over outputs that are
 * already right writes nothing (no new inodes, no new modification times, no
 * disk churn).
 */
import {
  closeSync,
  type Dirent,
  fchmodSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { relativeIfInside, temporarySibling } from '@buildout/engine';
import { sha256 } from '../hash-cache.js';
import { linkOnTheWay } from '../links.js';
import type { ArtifactFile } from './artifact.js';

/** What a file was like when it was found right: any change since shows in one of these. */
export interface FileStamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

export interface OutputComparison {
  /** Files already as the manifest says, with their stamps when checked. */
  readonly same: ReadonlyMap<string, FileStamp>;
  /** Files missing or different: the ones to write. */
  readonly differ: readonly ArtifactFile[];
}

/** Compares the files on disk (paths relative to `directory`) with what a cached build made. */
export function compareOutputs(directory: string, files: readonly ArtifactFile[]): OutputComparison {
  const same = new Map<string, FileStamp>();
  const differ: ArtifactFile[] = [];
  for (const file of files) {
    const absolute = join(directory, file.path);
    const stat = lstatSync(absolute, { throwIfNoEntry: false });
    if (stat && matches(absolute, stat, file)) same.set(file.path, stampOf(stat));
    else differ.push(file);
  }
  return { same, differ };
}

/** The files among `files` to write now: those not found right before, and those changed since they were (`earlier`). */
export function stillToWrite(directory: string, files: readonly ArtifactFile[], earlier: OutputComparison): ArtifactFile[] {
  return files.filter((file) => {
    const stamp = earlier.same.get(file.path);
    if (!stamp) return true;
    const stat = lstatSync(join(directory, file.path), { throwIfNoEntry: false });
    return !stat?.isFile() || !sameStamp(stampOf(stat), stamp);
  });
}

/** A restore that would write through a symbolic link: refused before anything is written. */
export class LinkOnTheWayError extends Error {}

/**
 * Writes files (relative to `directory`) with their content from a checked
 * artifact, each atomically: a temporary file in the same folder, renamed over
 * it. Synchronous on purpose: outputs are mostly small files, a few system
 * calls each, and a round trip through the thread pool per call cost more
 * than the calls themselves (measured on a 200-part restore: the parts
 * running at once were all waiting on the pool).
 *
 * A file whose folder, or a folder above it up to `cwd` (the folder the
 * part's outputs are relative to), is a symbolic link would land where the
 * link points, outside the outputs: then nothing is written, and
 * LinkOnTheWayError is thrown. (A file that is itself a link is replaced.)
 */
export function writeOutputs(
  directory: string,
  files: readonly ArtifactFile[],
  contents: ReadonlyMap<string, Buffer>,
  cwd: string = directory,
): void {
  const folders = new Set(files.map((file) => dirname(join(directory, file.path))));
  for (const folder of folders) {
    const link = linkOnTheWay(cwd, folder);
    if (link !== undefined) throw new LinkOnTheWayError(`${relativeIfInside(directory, link)} is a symbolic link`);
  }
  const made = new Set<string>();
  for (const file of files) {
    const target = join(directory, file.path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    writeOutput(target, contents.get(file.path)!, file.mode);
  }
}

/**
 * A file that is not there is created in place (a rename less per file: restoring a whole build is
 * mostly that); one that is there (or a link) is replaced atomically. Either way a write cut short
 * leaves a file whose content the next run finds different, and writes again.
 */
function writeOutput(path: string, data: Buffer, mode: number): void {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    writeAtomicSync(path, data, mode);
    return;
  }
  try {
    writeAll(descriptor, data, mode);
  } catch (error) {
    closeSync(descriptor);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(descriptor);
}

function writeAtomicSync(path: string, data: Buffer, mode: number): void {
  const temporary = temporarySibling(path);
  try {
    const descriptor = openSync(temporary, 'wx', mode);
    try {
      writeAll(descriptor, data, mode);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeAll(descriptor: number, data: Buffer, mode: number): void {
  for (let written = 0; written < data.length; ) written += writeSync(descriptor, data, written);
  // The mode exactly, not through the umask.
  fchmodSync(descriptor, mode);
}

/**
 * Which recorded paths (relative to `directory`, as recorded) a restore of
 * `files` makes again: the files themselves, and recorded folders on their way
 * that hold nothing else than recorded files and folders on the way to
 * restored ones (so once the other recorded paths are removed, a kept folder
 * holds exactly what a fresh restore would put there).
 */
export function pathsRestoreMakes(directory: string, recorded: readonly string[], files: readonly ArtifactFile[]): string[] {
  const restored = new Set(files.map((file) => file.path));
  const folders = new Set<string>();
  for (const path of restored) {
    for (let folder = parentOf(path); folder !== ''; folder = parentOf(folder)) folders.add(folder);
  }
  const recordedPaths = new Set(recorded.map(portable));
  return recorded.filter((path) => {
    const shown = portable(path);
    if (restored.has(shown)) return true;
    return folders.has(shown) && holdsOnly(join(directory, path), shown, recordedPaths, folders);
  });
}

function holdsOnly(absolute: string, shown: string, recorded: ReadonlySet<string>, folders: ReadonlySet<string>): boolean {
  // A folder that is not there holds nothing (asked first: a failing readdir costs an exception).
  if (!lstatSync(absolute, { throwIfNoEntry: false })) return true;
  let entries: Dirent[];
  try {
    entries = readdirSync(absolute, { withFileTypes: true, recursive: true });
  } catch (error) {
    // Gone meanwhile: it holds nothing; anything else (a file where the folder was) is not kept.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
  return entries.every((entry) => {
    const inner = `${shown}/${portable(relative(absolute, join(entry.parentPath, entry.name)))}`;
    return entry.isDirectory() ? folders.has(inner) : recorded.has(inner);
  });
}

function matches(absolute: string, stat: Stats, file: ArtifactFile): boolean {
  return stat.isFile() && stat.size === file.size && (stat.mode & 0o777) === file.mode && sha256(readFileSync(absolute)) === file.sha256;
}

function stampOf(stat: Stats): FileStamp {
  return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** A recorded path as the manifest spells paths: `/`-separated. */
function portable(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
