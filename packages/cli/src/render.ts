import { fileAccessError, isBuildoutError, isSystemError, relativeIfInside, type SourceLocation } from '@buildout/config';
import { CliErrorCodes } from './errors.js';

export interface RenderedError {
  text: string;
  exitCode: number;
}

/**
 * The one place errors become text. A BuildoutError is one line
 * `file:line:col: message` (or `buildout: ...` without a location) plus an
 * optional hint line; usage errors exit 2, everything else 1. Anything that is
 * not a BuildoutError is a bug of ours: say so, and show the stack only with -D.
 */
export function renderError(error: unknown, debug: boolean, cwd: string = process.cwd()): RenderedError {
  if (isBuildoutError(error)) {
    const where = error.location ? formatLocation(error.location, cwd) : 'buildout';
    const part = error.part !== undefined && !namesPart(error.message, error.part) ? `part ${error.part}: ` : '';
    let text = `${where}: ${part}${error.message}\n`;
    if (error.hint) text += `  hint: ${error.hint}\n`;
    if (debug && error.cause instanceof Error && error.cause.stack) text += `${error.cause.stack}\n`;
    return { text, exitCode: error.code === CliErrorCodes.USAGE ? 2 : 1 };
  }
  // A failed file system call is about the user's files (permissions, a folder in the way), not a bug.
  if (isSystemError(error) && error.path !== undefined) return renderError(fileAccessError(error, 'use', error.path), debug, cwd);
  const message = error instanceof Error ? error.message : String(error);
  let text = `buildout: internal error: ${message}\n`;
  text +=
    debug && error instanceof Error && error.stack
      ? `${error.stack}\n`
      : '  hint: this is a bug in buildout; run again with -D to see where it happened, and report it\n';
  return { text, exitCode: 1 };
}

/** The message names the part already: its name as a whole word, not inside another name (`hello` in `hello-recipe`). */
function namesPart(message: string, part: string): boolean {
  const isNameCharacter = (character: string | undefined): boolean => character !== undefined && /[\w.-]/.test(character);
  for (let at = message.indexOf(part); at >= 0; at = message.indexOf(part, at + 1)) {
    if (!isNameCharacter(message[at - 1]) && !isNameCharacter(message[at + part.length])) return true;
  }
  return false;
}

/** `file:line:col`, with the file relative to the current folder when it is inside it. */
/** A recipe's message, after the file and line of the option it is about when it named one. */
export function logText(record: { readonly message: string; readonly location?: SourceLocation | undefined }, cwd: string): string {
  return record.location ? `${formatLocation(record.location, cwd)}: ${record.message}` : record.message;
}

function formatLocation(location: SourceLocation, cwd: string): string {
  if (location.line === 0) return location.file;
  return `${relativeIfInside(cwd, location.file)}:${location.line}:${location.column}`;
}
