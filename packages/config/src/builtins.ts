/**
 * Node built-in modules that most commands never use, loaded on first use
 * instead of imported: importing node:crypto and node:child_process (with
 * net, dgram, ...) costs every run several milliseconds at start-up.
 */
export const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');
export const childProcess = (): typeof import('node:child_process') => process.getBuiltinModule('node:child_process');

/**
 * Milliseconds on a monotonic clock, for durations: `performance.now()` would
 * load node:perf_hooks (most of a millisecond of every run).
 */
export const monotonicNow = (): number => {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
};
