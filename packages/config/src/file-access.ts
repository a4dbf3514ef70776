/**
 * Reading and checking the files buildout itself reads and writes, so that a
 * bad file (a FIFO, a device, a folder, a symlink loop, no permission, a NUL
 * byte in its name, bytes that are not UTF-8) is one clear error naming it,
 * never a hang, a trace or "internal error".
 */
import { constants, readFileSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';

/** A short reason for a failed file system call (`permission denied`, `it is a folder`, ...). */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'too many levels of symbolic links (a symlink loop)';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EEXIST':
      return 'it already exists';
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
      return 'the path is not valid';
  }
  return error instanceof Error ? error.message : String(error);
}

/** A Node system error (fs, net): has an errno code, and usually the syscall and path. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}

/** `cannot <action> <path>: <reason>` as a BuildoutError (FILE_ACCESS, or FILE_NOT_FOUND for ENOENT). */
export function fileAccessError(error: unknown, action: string, path: string, location?: SourceLocation, hint?: string): BuildoutError {
  const code = (error as { code?: string }).code === 'ENOENT' ? ErrorCodes.FILE_NOT_FOUND : ErrorCodes.FILE_ACCESS;
  return new BuildoutError(code, `cannot ${action} ${path}: ${describeFsError(error)}`, { location, hint, cause: error });
}

/** Refuses a path with a NUL byte (the operating system cannot name such a file). */
export function checkPathText(path: string, what: string, location?: SourceLocation): void {
  if (path.includes('\0')) {
    throw new BuildoutError(ErrorCodes.BAD_PATH, `${what} ${JSON.stringify(path)} contains a NUL byte`, {
      location,
      hint: 'remove the NUL character (\\0) from the path',
    });
  }
}

/** What a file that is not a regular file is, for messages. */
function kindOf(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The error for a path that exists but is not a regular file, or undefined when it is one. */
export function notRegularFile(stats: Stats, path: string, what: string, location?: SourceLocation): BuildoutError | undefined {
  const kind = kindOf(stats);
  if (kind === undefined) return undefined;
  return new BuildoutError(ErrorCodes.NOT_A_FILE, `${what} ${path} is ${kind}, not a file`, {
    location,
    hint: `name a regular file (or move ${path} out of the way)`,
  });
}

/**
 * A text file buildout reads (configuration, state), as UTF-8. Refuses, with
 * the path: names with NUL bytes, anything but a regular file (a FIFO would
 * block forever), unreadable files and bytes that are not UTF-8 (with the
 * line and column of the first one, as zc.buildout refuses them too).
 */
export async function readTextFile(path: string, what: string, location?: SourceLocation): Promise<string> {
  checkPathText(path, what, location);
  let bytes: Buffer;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of blocking; fstat then tells what it is.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const refused = notRegularFile(await handle.stat(), path, what, location);
      if (refused) throw refused;
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof BuildoutError) throw error;
    throw fileAccessError(error, `read ${what}`, path, location);
  }
  return decodeUtf8(bytes, path);
}

/** The synchronous `readTextFile`, for the engine's state files; undefined when the file does not exist. */
export function readTextFileSync(path: string, what: string): string | undefined {
  checkPathText(path, what);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw fileAccessError(error, `read ${what}`, path);
  }
  const refused = notRegularFile(stats, path, what);
  if (refused) throw refused;
  try {
    return decodeUtf8(readFileSync(path), path);
  } catch (error) {
    if (error instanceof BuildoutError) throw error;
    throw fileAccessError(error, `read ${what}`, path);
  }
}

/** UTF-8 text, or BAD_ENCODING at the line and column (in characters) of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Buffer, file: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let lineStart = 0;
  let line = 1;
  // A newline byte is never part of a multi-byte sequence, so lines can be checked one by one.
  for (;;) {
    const end = bytes.indexOf(0x0a, lineStart);
    const lineBytes = bytes.subarray(lineStart, end < 0 ? bytes.length : end);
    if (!isUtf8(lineBytes)) {
      const bad = firstInvalidByte(lineBytes);
      const column = [...lineBytes.subarray(0, bad).toString('utf8')].length + 1;
      throw new BuildoutError(
        ErrorCodes.BAD_ENCODING,
        `not valid UTF-8: byte 0x${lineBytes[bad]!.toString(16).padStart(2, '0')} at line ${line}, column ${column}`,
        { location: { file, line, column }, hint: `save ${file} as UTF-8` },
      );
    }
    if (end < 0) return bytes.toString('utf8'); // not reached: some line is invalid
    lineStart = end + 1;
    line += 1;
  }
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629): a stray byte, or the lead of a broken or cut sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return index;
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlong forms, surrogates or code points past U+10FFFF).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let offset = 1; offset < length; offset++) {
      const byte = bytes[index + offset];
      const [min, max] = offset === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return index;
    }
    index += length;
  }
  return index;
}
