/**
 * SIGINT, SIGTERM and SIGHUP during an install: the first one aborts the
 * run's signal (the engine starts no new part, running commands get the
 * signal in their process group, finished parts are recorded, the lock is
 * released); a second one exits at once (the lock and running commands are
 * still seen to by their exit hooks).
 */
import type { Writable } from 'node:stream';

/** 128 + the signal's number, as a shell reports a process killed by it. */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

export interface Interruption {
  readonly signal: AbortSignal;
  /** The exit code for the first signal received, if any. */
  exitCode(): number | undefined;
  /** Stops listening (the signals' default behaviour is back). */
  dispose(): void;
}

export function listenForInterrupts(stderr: Writable): Interruption {
  const controller = new AbortController();
  let received: InterruptSignal | undefined;
  const handler = (name: InterruptSignal): void => {
    if (received !== undefined) process.exit(INTERRUPT_EXIT_CODES[received]);
    received = name;
    stderr.write(`buildout: ${name}: stopping after the running parts (again to stop at once)\n`);
    controller.abort(name);
  };
  const names = Object.keys(INTERRUPT_EXIT_CODES) as InterruptSignal[];
  for (const name of names) process.on(name, handler);
  return {
    signal: controller.signal,
    exitCode: () => (received === undefined ? undefined : INTERRUPT_EXIT_CODES[received]),
    dispose: () => {
      for (const name of names) process.removeListener(name, handler);
    },
  };
}
