/**
 * The removal guard: every path the engine removes (uninstall, reinstall, a
 * failed part's cleanup, the journal's recovery) goes through it. A recorded
 * path is turned into the one directory entry the system would remove: the
 * real path of its parent plus its last name, so `..`, `.`, `//`, a trailing
 * `/` and symbolic links in the middle cannot disguise it, and a symbolic
 * link at the end is removed itself, never what it points to. The buildout
 * directory, the user's home directory, the folders above them and buildout's
 * own files and folders (and any folder holding one) are never removed: a
 * recipe that records `$HOME` by mistake must not cost the user their files.
 * Nor are the system's folders (`/bin`, `/usr/lib`, ...): a recipe run with a
 * directory of `/`, or recording `${buildout:bin-directory}/..`, must not cost
 * the machine its programs.
 */
import { lstatSync, realpathSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { BuildoutError, relativeIfInside } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';
import { describeOwnPath, type OwnPath, type OwnPathRole } from './own-paths.js';

export type RemovalVerdict =
  /** Nothing is there: nothing to do. */
  | { readonly kind: 'absent' }
  | { readonly kind: 'remove'; readonly target: string; readonly outside: boolean }
  /** Buildout's own (or a folder holding it): kept, with a warning. */
  | { readonly kind: 'protected'; readonly target: string; readonly reason: string }
  /** Its real location cannot be found out (a folder that cannot be read): kept, with a warning. */
  | { readonly kind: 'unchecked'; readonly target: string; readonly reason: string };

interface Protected {
  readonly path: string;
  readonly role: OwnPathRole | 'directory' | 'home';
  readonly withSuffixes: boolean;
}

export interface RemovalLog {
  warn(part: string, message: string): void;
}

export class RemovalGuard {
  readonly #directory: string;
  readonly #realDirectory: string;
  /** Every spelling of each own path that matters once resolved: as written, its entry, its real path. */
  readonly #protected: readonly Protected[];

  /** What every part recorded, to keep what one part's removal would take of another's; indexed when first needed. */
  #recorded: ReadonlyMap<string, { readonly installed: readonly string[] }> | undefined;
  #index: RecordedIndex | undefined;

  constructor(directory: string, own: readonly OwnPath[]) {
    this.#directory = resolve(directory);
    this.#realDirectory = realPath(this.#directory) ?? this.#directory;
    const forms = new Map<string, Protected>();
    const guarded: Protected[] = [{ path: directory, role: 'directory', withSuffixes: false }];
    const home = homeDirectory();
    if (home !== undefined) guarded.push({ path: home, role: 'home', withSuffixes: false });
    for (const { path, role, withSuffixes } of [...guarded, ...own]) {
      for (const form of spellingsOf(path)) if (!forms.has(form)) forms.set(form, { path: form, role, withSuffixes });
    }
    this.#protected = [...forms.values()];
  }

  /** The installed parts (as the run starts): a part's removal never takes a path another of them recorded, nor a folder holding one. */
  knowRecorded(parts: ReadonlyMap<string, { readonly installed: readonly string[] }>): void {
    this.#recorded = parts;
    this.#index = undefined;
  }

  /** What removing a recorded path (absolute, or relative to the buildout directory) would do; `part`, the part that recorded it. */
  judge(recorded: string, part?: string): RemovalVerdict {
    const path = absoluteOf(this.#directory, recorded);
    // `dir/.` or `link/..` names no entry of its own, only a folder seen through another name.
    const last = basename(path.replace(/\/+$/, ''));
    if (last === '.' || last === '..') {
      return {
        kind: 'unchecked',
        target: path,
        reason: `it ends in ${last}, so it names a folder by another name; record the folder itself`,
      };
    }
    let target: string | undefined;
    try {
      target = entryOf(path, true);
    } catch (error) {
      return { kind: 'unchecked', target: path, reason: describe(error) };
    }
    if (target === undefined || !present(target)) return { kind: 'absent' };
    if (isSystemFolder(target)) return { kind: 'protected', target, reason: `it is ${describeOwnPath('system')}` };
    for (const own of this.#protected) {
      if (own.path === target || (own.withSuffixes && target.startsWith(own.path))) {
        return { kind: 'protected', target, reason: `it is ${describeOwnPath(own.role)}` };
      }
      if (own.path.startsWith(target + sep)) {
        return { kind: 'protected', target, reason: `it holds ${describeOwnPath(own.role)} (${own.path})` };
      }
    }
    if (part !== undefined && this.#recorded !== undefined) {
      this.#index ??= indexRecorded(this.#directory, this.#recorded);
      const other = this.#index.otherThan(target, part);
      if (other) {
        const reason =
          other.entry === target ? `part ${other.part} recorded it too` : `it holds ${other.entry}, which part ${other.part} recorded`;
        return { kind: 'protected', target, reason };
      }
    }
    const inside = target.startsWith(this.#realDirectory + sep) || target.startsWith(this.#directory + sep);
    return { kind: 'remove', target, outside: !inside };
  }

  /**
   * Removes what a part recorded, unless the guard refuses it (then warns, naming the part).
   * A failure to remove is buildout's own error (REMOVE_FAILED), not the recipe's.
   */
  remove(recorded: string, part: string, log: RemovalLog): void {
    const verdict = this.judge(recorded, part);
    switch (verdict.kind) {
      case 'absent':
        return;
      case 'protected':
      case 'unchecked':
        log.warn(part, `not removing ${verdict.target}: ${verdict.reason}`);
        return;
      case 'remove':
        try {
          // unlink for anything but a folder: rm's retries would turn EPERM into a misleading ENOTDIR.
          if (lstatSync(verdict.target).isDirectory()) rmSync(verdict.target, { recursive: true, force: true });
          else unlinkSync(verdict.target);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw new BuildoutError(
            EngineErrorCodes.REMOVE_FAILED,
            `cannot remove ${verdict.target} (recorded by part ${part}): ${describe(error)}`,
            {
              part,
              hint: 'buildout could not remove this path; fix its permissions (or remove it yourself) and run buildout again',
              cause: error,
            },
          );
        }
    }
  }
}

interface RecordedEntry {
  readonly entry: string;
  readonly part: string;
}

/** The entries the parts recorded, sorted: one of another part at or below a path is found by binary search. */
interface RecordedIndex {
  otherThan(target: string, part: string): RecordedEntry | undefined;
}

function indexRecorded(directory: string, parts: ReadonlyMap<string, { readonly installed: readonly string[] }>): RecordedIndex {
  const entries: RecordedEntry[] = [];
  for (const [part, { installed }] of parts) {
    for (const path of installed) {
      const entry = entryOf(absoluteOf(directory, path));
      if (entry !== undefined) entries.push({ entry, part });
    }
  }
  entries.sort((a, b) => (a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0));
  /** The first index whose entry is not below `text`. */
  const lowerBound = (text: string): number => {
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (entries[middle]!.entry < text) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const scan = (from: number, matches: (entry: string) => boolean, part: string): RecordedEntry | undefined => {
    for (let index = from; index < entries.length && matches(entries[index]!.entry); index += 1) {
      if (entries[index]!.part !== part) return entries[index];
    }
    return undefined;
  };
  return {
    otherThan: (target, part) =>
      scan(lowerBound(target), (entry) => entry === target, part) ??
      scan(lowerBound(target + sep), (entry) => entry.startsWith(target + sep), part),
  };
}

/**
 * How a path a recipe returns (or registers) is recorded: the entry the
 * system names by it now, while it is the one the recipe made. A symbolic
 * link on the way is resolved (`link/../x` is `x` beside the link's target,
 * not the `x` a text normalization would name; `work/dist` stays the folder
 * made, however `work` is pointed later), and the result is relative to the
 * buildout directory when inside it. A path without a link on the way, or
 * whose folder is not there yet, is recorded as written: normalized, unless
 * it has a `..` that text alone cannot resolve.
 */
export function recordedEntry(directory: string, path: string): string {
  const absolute = absoluteOf(directory, path);
  const last = basename(absolute.replace(/\/+$/, ''));
  const entry = last === '.' || last === '..' ? undefined : entryOf(absolute);
  if (entry === undefined) return path.split(sep).includes('..') ? path : normalize(path);
  // No link on the way: recorded as written (absolute stays absolute, as zc.buildout records it).
  if (entry === normalize(absolute).replace(/(?<=.)\/+$/, '')) return normalize(path);
  if (entry.startsWith(directory + sep)) return relativeIfInside(directory, entry);
  const real = realPath(directory);
  return real !== undefined && entry.startsWith(real + sep) ? relativeIfInside(real, entry) : entry;
}

/** A recorded path made absolute: joined as text, not normalized (`a/../b` must mean what the system makes of it). */
function absoluteOf(directory: string, recorded: string): string {
  return isAbsolute(recorded) ? recorded : `${directory}${sep}${recorded}`;
}

/** Every name a path goes by once resolved: as written (made absolute), its directory entry (real folder plus last name), its real path. */
export function spellingsOf(path: string): string[] {
  const forms = [resolve(path), entryOf(path), realPath(path)].filter((form) => form !== undefined);
  return [...new Set(forms)];
}

/** The one of buildout's own paths that `path` is, by any spelling of either (a name `withSuffixes` covers counts). */
export function ownPathOf(own: readonly OwnPath[], path: string): OwnPath | undefined {
  const names = spellingsOf(path);
  return own.find((candidate) =>
    spellingsOf(candidate.path).some((form) => names.some((name) => name === form || (candidate.withSuffixes && name.startsWith(form)))),
  );
}

/** Folders whose every entry is the system's: `/usr/bin`, `/var/lib`, `/usr/local/lib`. */
const SYSTEM_PARENTS = new Set(['/usr', '/usr/local', '/var']);

/**
 * `/` and what is right under it (`/bin`, `/etc`, `/home`, `/tmp`, also a link
 * such as `/lib64`), and the folders right under /usr, /usr/local and /var.
 * Deeper paths (`/usr/local/bin/tool`, `/etc/app/app.conf`) are a recipe's to
 * record. `target` is an entry as `entryOf` gives it, so every spelling of
 * these ends up here.
 */
function isSystemFolder(target: string): boolean {
  if (sep !== '/') return false;
  const parent = dirname(target);
  return target === sep || parent === sep || (SYSTEM_PARENTS.has(parent) && isFolder(target));
}

/**
 * The directory entry a path names: the real path of its parent plus its last
 * name (a trailing `/` dropped). Undefined when the parent does not exist.
 * With `strict`, errors other than "not there" are thrown.
 */
function entryOf(path: string, strict = false): string | undefined {
  const trimmed = path.replace(/\/+$/, '') || sep;
  if (trimmed === sep) return sep;
  const name = basename(trimmed);
  const parent = realPath(dirname(trimmed), strict);
  return parent === undefined ? undefined : join(parent, name);
}

/** The path with every symbolic link resolved; undefined when it does not exist (with `strict`, other errors are thrown). */
export function realPath(path: string, strict = false): string | undefined {
  try {
    // One realpath(3) call; the JavaScript realpathSync makes an lstat per path component.
    return realpathSync.native(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!strict || code === 'ENOENT' || code === 'ENOTDIR' || code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE')
      return undefined;
    throw error;
  }
}

/** `$HOME`, else the user database's; undefined when neither names one. */
function homeDirectory(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/** A folder, or a link to one (`/usr/lib64 -> lib`). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EBUSY') return 'it is busy (in use or a mount point)';
  if (code === 'EROFS') return 'the file system is read-only';
  return error instanceof Error ? error.message : String(error);
}
