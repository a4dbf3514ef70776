import { chmod, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { temporarySibling } from './temporary-name.js';

/**
 * Writes through a temporary file in the same folder and renames it into
 * place, so readers (and a later run after a crash) see the old content or
 * the new one, never half of it. The data reaches the disk before the rename
 * (and the rename before this returns): after a power cut the file is whole,
 * not empty. `mode` is applied exactly (not through umask).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const temporary = temporarySibling(path);
  try {
    const file = await open(temporary, 'wx', options.mode ?? 0o666);
    try {
      await file.writeFile(data);
      await file.datasync();
    } finally {
      await file.close();
    }
    if (options.mode !== undefined) await chmod(temporary, options.mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

/** The folder's entry for the renamed file; a system that cannot sync a folder (some file systems refuse) keeps it anyway. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EINVAL/EPERM on some systems: the rename is still in place, only not known to be on disk yet.
  }
}
