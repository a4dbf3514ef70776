/**
 * The few file operations input hashing and discovery need, behind an
 * interface so tests can count reads (proof that unchanged files are not
 * re-read) or fake a clock-sensitive file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** Times as fractional milliseconds (sub-microsecond precision; bigint stats cost a third more to make). */
export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

export interface DirectoryEntry {
  readonly name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface FileSystem {
  /** Entries of a folder; none when it does not exist. */
  readdir(path: string): readonly DirectoryEntry[];
  /** Follows symbolic links; undefined when nothing is there. */
  stat(path: string): FileStat | undefined;
  readFile(path: string): Buffer;
}

export const nodeFileSystem: FileSystem = {
  readdir(path) {
    try {
      return readdirSync(path, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  },
  stat(path) {
    try {
      return statSync(path, { throwIfNoEntry: false });
    } catch (error) {
      // A dangling link or a path through a file is as good as missing here.
      if (isMissing(error)) return undefined;
      throw error;
    }
  },
  readFile: (path) => readFileSync(path),
};

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
