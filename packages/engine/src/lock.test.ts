import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildoutError } from '@buildout/config';
import { acquireLock, LOCK_FILE } from './lock.js';
import { tree } from './__fixtures__/support.js';

describe('lock', () => {
  it('is held while the run lasts and released after', () => {
    const root = tree({});
    const lock = acquireLock(root);
    expect(JSON.parse(readFileSync(join(root, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });

  it('refuses a second run while the first one lives, saying which process and since when', () => {
    const root = tree({});
    // The parent of this test process is alive for sure.
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: process.ppid, since: '2026-01-02T03:04:05.000Z' }));
    let error: unknown;
    try {
      acquireLock(root);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BuildoutError);
    expect((error as BuildoutError).code).toBe('LOCKED');
    expect((error as BuildoutError).message).toContain(`pid ${process.ppid}, running since 2026-01-02T03:04:05.000Z`);
    expect((error as BuildoutError).hint).toContain(LOCK_FILE);
  });

  it('takes over the lock of a dead process', () => {
    const root = tree({});
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: dead, since: 'yesterday' }));
    const lock = acquireLock(root);
    expect(lock.takenOverFrom).toBe(dead);
    expect(JSON.parse(readFileSync(join(root, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('treats an unreadable lock as being written when it is fresh, and as abandoned when it is old', () => {
    const root = tree({});
    const file = join(root, LOCK_FILE);
    writeFileSync(file, '');
    expect(() => acquireLock(root)).toThrow(/another buildout is starting/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    acquireLock(root).release();
    expect(existsSync(file)).toBe(false);
  });

  it('does not remove a lock that another run took over', () => {
    const root = tree({});
    const lock = acquireLock(root);
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: process.ppid, since: 'now' }));
    lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(true);
  });
});
