import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { isAlive } from '@buildout/testing';
import { runShell } from './shell.js';

const options = { cwd: process.cwd(), env: process.env, tailLines: 5, onLine: () => {} };

test('an abort sends its signal to the command, which ends', async () => {
  const controller = new AbortController();
  const running = runShell('sleep 37', { ...options, signal: controller.signal });
  setTimeout(() => controller.abort('SIGINT'), 100);
  expect(await running).toMatchObject({ exitCode: null, signal: 'SIGINT' });
});

test('a command that ignores the signal is killed after the grace period', async () => {
  const controller = new AbortController();
  const started = Date.now();
  const running = runShell("trap '' TERM; sleep 37", { ...options, signal: controller.signal, killAfterMs: 300 });
  setTimeout(() => controller.abort('SIGTERM'), 100);
  expect(await running).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  expect(Date.now() - started).toBeGreaterThanOrEqual(390);
});

test('an already aborted signal runs nothing', async () => {
  const controller = new AbortController();
  controller.abort('SIGHUP');
  expect(await runShell('echo ran', { ...options, signal: controller.signal })).toEqual({ exitCode: null, signal: 'SIGHUP', tail: [] });
});

// kill -9 of buildout gives it no chance to stop its commands, which lead groups of their own.
test('a command (and what it started) does not outlive a buildout killed with SIGKILL', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'shell-orphan-'));
  const shell = new URL('../dist/shell.js', import.meta.url).href;
  const script = `import { runShell } from ${JSON.stringify(shell)};
const options = { cwd: ${JSON.stringify(folder)}, env: process.env, tailLines: 5, onLine: () => {} };
await runShell('true', options);
await runShell('sleep 61 & echo $! > background; echo $$ > shell; sleep 60', options);`;
  const buildout = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
  const pids: number[] = [];
  try {
    for (let waited = 0; pids.length < 2 && waited < 200; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      pids.splice(
        0,
        pids.length,
        ...['shell', 'background']
          .map((name) => Number(readFileSync(join(folder, name), { flag: 'a+' }).toString().trim()))
          .filter((pid) => pid > 1),
      );
    }
    expect(pids).toHaveLength(2);
    expect(pids.every(isAlive)).toBe(true);
    process.kill(buildout.pid!, 'SIGKILL');
    for (let waited = 0; pids.some(isAlive) && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter(isAlive)).toEqual([]);
  } finally {
    for (const pid of [buildout.pid!, ...pids]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  }
});
