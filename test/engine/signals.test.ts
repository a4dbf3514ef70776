/**
 * Issue 8, point 6: SIGINT, SIGTERM and SIGHUP during a `command` part. The
 * command's shell starts `sleep 37` and writes its pid; after the signal no
 * process of it may be alive, the lock is gone, the finished part is
 * recorded and the run says what it did and did not do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive as alive } from '@buildout/testing';
import { start, tree } from './cli.js';

/** first (quick), slow (sleep 37 in the background, its pid in sleep.pid), last (never reached). */
function project(trap = ''): string {
  return tree({
    'buildout.cfg': `
[buildout]
parts = first slow last
[first]
recipe = command
command = echo one > first.txt
outputs = first.txt
[slow]
recipe = command
command = ${trap}sleep 37 & echo $! > sleep.pid; echo $$ > shell.pid; wait
[last]
recipe = command
command = echo three > last.txt
`,
  });
}

/** The pids the command wrote, once both files hold one (a file exists a moment before its text is in it). */
async function pidsOf(root: string): Promise<number[]> {
  const read = (file: string): number =>
    existsSync(join(root, file)) ? Number(readFileSync(join(root, file), 'utf8').trim() || 'NaN') : Number.NaN;
  const until = Date.now() + 15_000;
  for (;;) {
    const pids = ['shell.pid', 'sleep.pid'].map(read);
    if (pids.every((pid) => Number.isInteger(pid) && pid > 0)) return pids;
    if (Date.now() > until) throw new Error('the command did not write its pids');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls until no pid is alive (a process killed a moment ago may take a few ms to go). */
async function gone(pids: number[], timeoutMs = 3000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('signals during a command part', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s stops the command and everything it started, records what finished and releases the lock', async (signal, exitCode) => {
    const root = project();
    const { child, done } = start(['-j', '1'], root);
    const pids = await pidsOf(root);
    expect(pids.every(alive)).toBe(true);
    child.kill(signal);
    const result = await done;
    expect(result.code).toBe(exitCode);
    expect(result.stderr).toContain('interrupted: 1 done, 1 not started');
    expect(await gone(pids)).toBe(true);
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
    expect(existsSync(join(root, 'last.txt'))).toBe(false);
    const state = readFileSync(join(root, '.installed.cfg'), 'utf8');
    expect(/^parts = (.*)$/m.exec(state)![1]).toBe('first');
    expect(existsSync(join(root, '.installed.cfg.journal'))).toBe(false);
  });

  it('a second Ctrl-C stops at once, still killing the command and releasing the lock', async () => {
    // The shell and its sleep ignore SIGINT: only the second Ctrl-C (or SIGKILL after 5 s) ends them.
    const root = project("trap '' INT; ");
    const { child, done } = start(['-j', '1'], root);
    const pids = await pidsOf(root);
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pids.every(alive)).toBe(true);
    const second = Date.now();
    child.kill('SIGINT');
    const result = await done;
    expect(Date.now() - second).toBeLessThan(2000);
    expect(result.code).toBe(130);
    expect(await gone(pids)).toBe(true);
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
    // The journal holds the finished part; the next run picks it up.
    const next = await start(['buildout:parts=first'], root).done;
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('Updated first');
  });
});
