import type { Writable } from 'node:stream';

export interface Style {
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly red: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

const plain = (text: string): string => text;
const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** Colour only on a terminal, and never with NO_COLOR set (https://no-color.org). */
export function styleFor(stream: Writable, env: Readonly<Record<string, string | undefined>>): Style {
  const color = (stream as { isTTY?: boolean }).isTTY === true && !env.NO_COLOR;
  if (!color) return { green: plain, yellow: plain, red: plain, dim: plain, bold: plain };
  return { green: ansi(32, 39), yellow: ansi(33, 39), red: ansi(31, 39), dim: ansi(2, 22), bold: ansi(1, 22) };
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Whether to draw a live status line: a terminal, not a CI log (CI set, as
 * every CI service sets it), not a dumb terminal, and not NO_COLOR (which
 * asks for plain output).
 */
export function isLiveTerminal(stream: Writable, env: Readonly<Record<string, string | undefined>>): boolean {
  if ((stream as { isTTY?: boolean }).isTTY !== true) return false;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return !ci && env.TERM !== 'dumb' && !env.NO_COLOR;
}
