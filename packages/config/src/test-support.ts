import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { rmSync } from 'node:fs';
import { BuildoutError } from './errors.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder holding `files` (path -> content), removed after the test. */
export async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'buildout-config-'));
  created.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** The BuildoutError a promise or function rejects with. */
export async function failure(action: () => unknown): Promise<BuildoutError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof BuildoutError) return error;
    throw error;
  }
  throw new Error('expected a BuildoutError');
}
