import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

const folders: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'atomic-write-'));
  folders.push(made);
  return made;
}

/** FileHandle is not exported: its prototype is reached through a handle. */
async function fileHandlePrototype(path: string): Promise<{ datasync(): Promise<void>; sync(): Promise<void> }> {
  const handle = await open(path, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle);
}

describe('writeFileAtomic', () => {
  it('replaces the file whole, with the mode asked, leaving no temporary file', async () => {
    const dir = folder();
    const path = join(dir, '.installed.cfg');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new', { mode: 0o600 });
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.installed.cfg']);
  });

  // A rename that reaches the disk before the data leaves an empty file after a power cut.
  it('puts the data on disk before the rename, then the folder entry', async () => {
    const dir = folder();
    const path = join(dir, 'state.cfg');
    const prototype = await fileHandlePrototype(dir);
    const order: string[] = [];
    vi.spyOn(prototype, 'datasync').mockImplementation(async () => {
      order.push(`datasync ${readdirSync(dir).join(' ')}`);
    });
    vi.spyOn(prototype, 'sync').mockImplementation(async () => {
      order.push(`sync ${readdirSync(dir).join(' ')}`);
    });
    await writeFileAtomic(path, 'data');
    expect(order).toHaveLength(2);
    expect(order[0]).toMatch(/^datasync state\.cfg\.\S+\.tmp$/);
    expect(order[1]).toBe('sync state.cfg');
  });
});
