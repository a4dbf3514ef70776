let made = 0;

/**
 * A name beside `path` for a file that is written, then renamed into place or removed. Unique in this
 * process (pid and a counter) and unlikely to meet the leftover of an earlier process that had the same pid
 * (the time, and a random part); callers still create it exclusively (`wx`). The name is no secret: it
 * needs no cryptographic randomness, and node:crypto is not loaded for it.
 */
export function temporarySibling(path: string): string {
  made += 1;
  return `${path}.${process.pid}-${made}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
}
