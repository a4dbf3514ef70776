/** Runs the compiled CLI (packages/cli/bin.js) as a real process, for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { tree } from '@buildout/testing';
export { tree };

export const BIN = fileURLToPath(new URL('../../packages/cli/bin.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url)))) {
  throw new Error('the CLI is not built: run `corepack pnpm build` (or `corepack pnpm test`) first');
}

const folders: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `buildout ARGS` in `cwd`; HOME points into the folder so no user defaults leak in. */
export function start(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  user?: { uid: number; gid: number },
): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    ...user,
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Result>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** `user`: run as another user (tests of permissions, which do not stop root). */
export function buildout(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  user?: { uid: number; gid: number },
): Promise<Result> {
  return start(args, cwd, env, user).done;
}

/** Waits until `path` exists (a recipe saying it got somewhere). */
export async function waitFor(path: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
