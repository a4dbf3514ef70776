/**
 * One npm run at a time in an eggs folder, across processes: two buildouts sharing one (an
 * `eggs-directory` in default.cfg), or a plan beside an install, would each rewrite its
 * package.json with their own package only, and npm would prune the other's. In this process
 * the runs queue; across processes `.buildout-eggs.lock` (lock.ts) is waited for while its
 * holder lives.
 */
import { mkdirSync } from 'node:fs';
import { interrupted } from './errors.js';
import { acquireLock, type Lock, type LockContent, LockHeld } from './lock.js';

export const EGGS_LOCK_FILE = '.buildout-eggs.lock';
const POLL_MS = 200;

/** This process's runs in each eggs folder, chained. */
const queues = new Map<string, Promise<unknown>>();

export interface EggsLockOptions {
  /** Told once when another process holds the folder. */
  readonly waiting: (holder: LockContent) => void;
  /** Aborted: stop waiting. */
  readonly signal?: AbortSignal | undefined;
}

export function withEggsLock<T>(eggs: string, work: () => Promise<T>, options: EggsLockOptions): Promise<T> {
  const run = (queues.get(eggs) ?? Promise.resolve()).then(() => whileLocked(eggs, work, options));
  queues.set(
    eggs,
    run.catch(() => undefined),
  );
  return run;
}

async function whileLocked<T>(eggs: string, work: () => Promise<T>, { waiting, signal }: EggsLockOptions): Promise<T> {
  mkdirSync(eggs, { recursive: true });
  let lock: Lock | undefined;
  for (let told = false; lock === undefined; ) {
    try {
      lock = acquireLock(eggs, EGGS_LOCK_FILE);
    } catch (error) {
      if (!(error instanceof LockHeld)) throw error;
      if (!told) waiting(error.holder);
      told = true;
      if (signal?.aborted) throw interrupted(0, []);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    lock.release();
  }
}
