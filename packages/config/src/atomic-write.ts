import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { temporarySibling } from './temporary-name.js';

/**
 * Writes through a temporary file in the same folder and renames it into
 * place, so readers (and a later run after a crash) see the old content or
 * the new one, never half of it. `mode` is applied exactly (not through umask).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const temporary = temporarySibling(path);
  try {
    await writeFile(temporary, data, { flag: 'wx', mode: options.mode ?? 0o666 });
    if (options.mode !== undefined) await chmod(temporary, options.mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
