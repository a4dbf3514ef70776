/**
 * One run at a time per buildout directory: `.buildout.lock` holds the pid
 * and start time of the run that owns it. A second run is refused while that
 * process lives; a lock left by a dead process (kill -9, power loss), or one
 * holding no valid pid, is taken over.
 *
 * Every write is atomic, so the lock always holds a whole content: it is
 * created by hard-linking a complete temporary file (link fails if the lock
 * exists) and replaced by rename. Taking over is guarded by a second file,
 * `.buildout.lock.takeover`, created the same exclusive way: of several runs
 * finding the same stale lock, only the one that creates it may replace the
 * lock, and it checks the lock again first (another run may have taken it
 * over, and be running, since it was read).
 */
import { linkSync, lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError, temporarySibling } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';

export const LOCK_FILE = '.buildout.lock';
/** Held for the few system calls of a take-over. */
export const LOCK_TAKEOVER_FILE = `${LOCK_FILE}.takeover`;
/** Tries before giving up when the lock keeps changing hands under us. */
const ATTEMPTS = 5;

export interface LockContent {
  pid: number;
  since: string;
}

export interface Lock {
  readonly file: string;
  /** Set when the lock of a dead run was taken over (undefined pid: the lock held no valid pid). */
  readonly takenOverFrom: number | undefined;
  release(): void;
}

/** The lock is held by a live process (`holder`): the caller may wait for it. */
export class LockHeld extends BuildoutError {
  constructor(
    readonly holder: LockContent,
    directory: string,
    file: string,
  ) {
    super(EngineErrorCodes.LOCKED, `another buildout (pid ${holder.pid}, running since ${holder.since}) is using ${directory}`, {
      hint: `wait for it to finish; if process ${holder.pid} is not a buildout, delete ${file}`,
    });
  }
}

/** `name`: the lock file in `directory` (the take-over file is named after it). */
export function acquireLock(directory: string, name = LOCK_FILE): Lock {
  const file = join(directory, name);
  const takeover = join(directory, `${name}.takeover`);
  const text = `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() } satisfies LockContent)}\n`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (createExclusive(file, text)) return held(file, undefined);
    const holder = readLock(file);
    if (holder === 'gone') continue; // released between our two calls
    if (holder && processIsAlive(holder.pid)) throw lockedBy(holder, directory, file);

    if (!createExclusive(takeover, text)) {
      if (clearStaleTakeover(takeover)) continue;
      throw new BuildoutError(EngineErrorCodes.LOCKED, `another buildout is starting in ${directory}`, {
        hint: `try again in a moment; if no buildout is running, delete ${file}`,
      });
    }
    try {
      const again = readLock(file);
      if (again === 'gone') continue;
      if (again && processIsAlive(again.pid)) throw lockedBy(again, directory, file);
      replace(file, text);
      return held(file, again?.pid);
    } finally {
      rmSync(takeover, { force: true });
    }
  }
  throw new BuildoutError(EngineErrorCodes.LOCKED, `cannot take the lock of ${directory}: it keeps changing hands`, {
    hint: 'other buildouts are starting in this directory; try again when they are done',
  });
}

/** The lock as held by this process; released on exit too (a second Ctrl-C exits at once). */
function held(file: string, takenOverFrom: number | undefined): Lock {
  const release = (): void => {
    process.removeListener('exit', release);
    const holder = readLock(file);
    if (holder !== 'gone' && holder?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { file, takenOverFrom, release };
}

function lockedBy(holder: LockContent, directory: string, file: string): BuildoutError {
  return new LockHeld(holder, directory, file);
}

/** Creates `file` holding `text`, whole, only if it does not exist; false if it does. */
function createExclusive(file: string, text: string): boolean {
  const temporary = temporarySibling(file);
  writeFileSync(temporary, text);
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // A file system without hard links: exclusive create (the content follows at once).
    try {
      writeFileSync(file, text, { flag: 'wx' });
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallback;
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

function replace(file: string, text: string): void {
  const temporary = temporarySibling(file);
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * A take-over file whose owner is dead (killed within the few calls it holds
 * it) is moved aside and removed. If what was moved is not the file judged
 * stale (its owner replaced it meanwhile) it is put back. True when removed.
 */
function clearStaleTakeover(takeover: string): boolean {
  const holder = readLock(takeover);
  if (holder === 'gone') return true;
  if (holder && processIsAlive(holder.pid)) return false;
  const inode = inodeOf(takeover);
  const aside = temporarySibling(takeover);
  try {
    renameSync(takeover, aside);
  } catch {
    return true; // someone else moved it: try again
  }
  if (inodeOf(aside) !== inode) {
    try {
      linkSync(aside, takeover);
    } catch {
      // A new take-over started meanwhile; it holds the guard.
    }
    rmSync(aside, { force: true });
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}

function inodeOf(file: string): number | undefined {
  try {
    return lstatSync(file).ino;
  } catch {
    return undefined;
  }
}

/** The holder; undefined when the content is not a lock (garbage, no valid pid); 'gone' when there is no file. */
function readLock(file: string): LockContent | undefined | 'gone' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'gone';
    throw new BuildoutError(
      EngineErrorCodes.LOCKED,
      `cannot read the lock ${file}: ${code === 'EISDIR' ? 'it is a folder' : (error as Error).message}`,
      {
        hint: `remove ${file} if no buildout is running`,
        cause: error,
      },
    );
  }
  try {
    const content = JSON.parse(text) as Partial<LockContent>;
    // pid 0 and negative pids name process groups to kill(), not a process.
    if (!Number.isSafeInteger(content.pid) || content.pid! <= 0) return undefined;
    return { pid: content.pid!, since: String(content.since ?? 'an unknown time') };
  } catch {
    return undefined;
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
