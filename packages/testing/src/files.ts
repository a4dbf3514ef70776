/**
 * Temporary folders and the files in them, as zc.buildout.testing's `write`,
 * `cat` and `ls` give them. Folders are removed by `removeTemporaryFolders()`
 * and, whatever happens, when the process exits.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const temporary: string[] = [];
let exitHook = false;

/** A fresh empty folder (its real path) under the system's temporary folder. */
export function temporaryFolder(prefix = 'buildout-test-'): string {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temporary.push(folder);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', removeTemporaryFolders);
  }
  return folder;
}

/** Removes every folder made by `temporaryFolder` (and `tree`) so far; call it in `afterEach`. */
export function removeTemporaryFolders(): void {
  for (const folder of temporary.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** A temporary folder holding `files` (relative path -> text). */
export function tree(files: Readonly<Record<string, string>> = {}): string {
  const root = temporaryFolder();
  write(root, files);
  return root;
}

/** Writes `text` to `path` under `root` (or every path -> text of `files`), making the folders needed. */
export function write(root: string, path: string, text: string): void;
export function write(root: string, files: Readonly<Record<string, string>>): void;
export function write(root: string, pathOrFiles: string | Readonly<Record<string, string>>, text = ''): void {
  const files = typeof pathOrFiles === 'string' ? { [pathOrFiles]: text } : pathOrFiles;
  for (const [path, content] of Object.entries(files)) {
    const file = resolve(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export function read(root: string, path: string): string {
  return readFileSync(resolve(root, path), 'utf8');
}

export function exists(root: string, path: string): boolean {
  return existsSync(resolve(root, path));
}

/** The names in a folder, sorted, folders with a trailing `/` (zc.buildout's `ls` marks them with `d`). */
export function ls(root: string, path = '.'): string[] {
  const folder = resolve(root, path);
  return readdirSync(folder)
    .sort()
    .map((name) => (statSync(join(folder, name)).isDirectory() ? `${name}/` : name));
}

/** Dates files back a minute (for recipes that trust a file's time more once it is old enough to be settled). */
export function age(root: string, ...paths: string[]): void {
  const past = new Date(Date.now() - 60_000);
  for (const path of paths) utimesSync(resolve(root, path), past, past);
}
