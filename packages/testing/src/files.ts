/**
 * Temporary folders and the files in them, as zc.buildout.testing's `write`,
 * `cat` and `ls` give them. Folders are removed by `removeTemporaryFolders()`
 * and, whatever happens, when the process exits.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  for (const [path, text] of Object.entries(files)) write(root, path, text);
  return root;
}

/** Writes `text` to `path` under `root`, making the folders it needs. */
export function write(root: string, path: string, text: string): void {
  const file = resolve(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
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
