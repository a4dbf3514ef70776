import { expect, test } from 'vitest';
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
