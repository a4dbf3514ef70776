import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EGGS_LOCK_FILE, withEggsLock } from './eggs-lock.js';
import type { LockContent } from './lock.js';
import { tree } from './__fixtures__/support.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the eggs folder lock', () => {
  it('runs of this process take turns, holding the lock file while they run', async () => {
    const eggs = join(tree({}), 'eggs');
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} starts`, `lock ${existsSync(join(eggs, EGGS_LOCK_FILE))}`);
      await pause(50);
      events.push(`${name} ends`);
      return name;
    };
    const never = () => expect.unreachable('no other process holds it');
    expect(
      await Promise.all([withEggsLock(eggs, work('a'), { waiting: never }), withEggsLock(eggs, work('b'), { waiting: never })]),
    ).toEqual(['a', 'b']);
    expect(events).toEqual(['a starts', 'lock true', 'a ends', 'b starts', 'lock true', 'b ends']);
    expect(existsSync(join(eggs, EGGS_LOCK_FILE))).toBe(false);
  });

  it("another process's lock is waited for (said once), and taken when that process is gone", async () => {
    const eggs = tree({});
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600)']);
    writeFileSync(join(eggs, EGGS_LOCK_FILE), JSON.stringify({ pid: holder.pid, since: 'a moment ago' }));
    const told: LockContent[] = [];
    const isAlive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(await withEggsLock(eggs, async () => isAlive(holder.pid!), { waiting: (content) => told.push(content) })).toBe(false);
    expect(told).toEqual([{ pid: holder.pid, since: 'a moment ago' }]);
  });

  it('waiting stops when the run is aborted', async () => {
    const eggs = tree({});
    // The parent of this test process is alive for sure.
    writeFileSync(join(eggs, EGGS_LOCK_FILE), JSON.stringify({ pid: process.ppid, since: 'then' }));
    const controller = new AbortController();
    const waited = withEggsLock(eggs, async () => 'ran', { waiting: () => controller.abort('SIGINT'), signal: controller.signal });
    await expect(waited).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });
});
