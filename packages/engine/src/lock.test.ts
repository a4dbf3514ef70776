import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildoutError } from '@buildout/config';
import { acquireLock, LOCK_FILE, LOCK_TAKEOVER_FILE } from './lock.js';
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

  it('takes over a lock holding garbage, pid 0, a negative pid or no pid at all', () => {
    const root = tree({});
    const file = join(root, LOCK_FILE);
    for (const content of [
      '',
      'garbage',
      '{"pid": 0}',
      '{"pid": -1}',
      `{"pid": -${process.ppid}}`,
      '{"pid": "12"}',
      '{"pid": 1.5}',
      '{}',
    ]) {
      writeFileSync(file, content);
      const lock = acquireLock(root);
      expect(JSON.parse(readFileSync(file, 'utf8')).pid, content).toBe(process.pid);
      lock.release();
      expect(existsSync(file)).toBe(false);
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses to take over while another run holds the take-over file', () => {
    const root = tree({});
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: 0 }));
    writeFileSync(join(root, LOCK_TAKEOVER_FILE), JSON.stringify({ pid: process.ppid, since: 'now' }));
    expect(() => acquireLock(root)).toThrow(/another buildout is starting/);
    // The take-over file of a dead run is cleared.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(root, LOCK_TAKEOVER_FILE), JSON.stringify({ pid: dead, since: 'then' }));
    acquireLock(root).release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('releases the lock when the process exits without releasing it', () => {
    const root = tree({});
    const module = new URL('../dist/lock.js', import.meta.url).href;
    const result = spawnSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const { acquireLock } = await import(${JSON.stringify(module)}); acquireLock(${JSON.stringify(root)}); process.exit(3);`,
    ]);
    expect(result.status, result.stderr.toString()).toBe(3);
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });

  it('does not remove a lock that another run took over', () => {
    const root = tree({});
    const lock = acquireLock(root);
    writeFileSync(join(root, LOCK_FILE), JSON.stringify({ pid: process.ppid, since: 'now' }));
    lock.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(true);
  });
});
