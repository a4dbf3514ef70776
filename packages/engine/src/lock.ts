/**
 * One run at a time per buildout directory: `.buildout.lock` holds the pid
 * and start time of the run that owns it. A second run is refused while that
 * process lives; a lock left by a dead process (kill -9, power loss) is taken over.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';

export const LOCK_FILE = '.buildout.lock';
/** An unreadable lock younger than this is being written, not abandoned. */
const FRESH_LOCK_MS = 2000;

interface LockContent {
  pid: number;
  since: string;
}

export interface Lock {
  readonly file: string;
  /** Set when the lock of a dead run was taken over. */
  readonly takenOverFrom: number | undefined;
  release(): void;
}

export function acquireLock(directory: string): Lock {
  const file = join(directory, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, since: new Date().toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  let takenOverFrom: number | undefined;
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = readLock(file);
    if (!holder && ageMs(file) < FRESH_LOCK_MS) {
      // Another run created the file an instant ago and is still writing its pid into it.
      throw new BuildoutError(EngineErrorCodes.LOCKED, `another buildout is starting in ${directory}`, {
        hint: `try again in a moment; if no buildout is running, delete ${file}`,
      });
    }
    if (holder && processIsAlive(holder.pid)) {
      throw new BuildoutError(
        EngineErrorCodes.LOCKED,
        `another buildout (pid ${holder.pid}, running since ${holder.since}) is using ${directory}`,
        {
          hint: `wait for it to finish; if process ${holder.pid} is not a buildout, delete ${file}`,
        },
      );
    }
    takenOverFrom = holder?.pid;
    // Rename is atomic: of two runs taking over at once, the last rename wins and the other sees it below.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
    if (readLock(file)?.pid !== process.pid) return acquireLock(directory);
  }
  return {
    file,
    takenOverFrom,
    release() {
      if (readLock(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

function readLock(file: string): LockContent | undefined {
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof content.pid !== 'number') return undefined;
    return { pid: content.pid, since: String(content.since ?? 'an unknown time') };
  } catch {
    // Unreadable or half-written by a run killed while creating it: nobody holds it.
    return undefined;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
