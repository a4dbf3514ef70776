/**
 * The live status line of `install` on a terminal: the parts running now and
 * how long each has been running, redrawn in place below the log (log-update
 * does the cursor work), gone when the run ends. Log lines are printed above
 * it through `persist`.
 */
import type { Writable } from 'node:stream';
import { monotonicNow } from '@buildout/config';
import { createLogUpdate } from 'log-update';
import { formatDuration, type Style } from './style.js';

export interface LiveStatus {
  /** A log line, printed above the status line. */
  persist(line: string): void;
  started(part: string): void;
  finished(part: string): void;
  /** Removes the status line and stops redrawing it. */
  close(): void;
}

/** How often the elapsed times are redrawn. */
const REDRAW_MS = 100;

export function liveStatus(out: Writable, style: Style, now: () => number = monotonicNow): LiveStatus {
  const update = createLogUpdate(sized(out), { showCursor: true });
  const running = new Map<string, number>();
  const began = now();
  let finishedCount = 0;
  let timer: NodeJS.Timeout | undefined;

  const render = (): void => {
    if (running.size === 0) {
      update.clear();
      return;
    }
    const at = now();
    const parts = [...running].map(([part, since]) => `${part} ${formatDuration(at - since)}`);
    const done = finishedCount > 0 ? `, ${finishedCount} done` : '';
    const line = `Running ${running.size} part${running.size === 1 ? '' : 's'}${done} (${formatDuration(at - began)}): ${parts.join(', ')}`;
    // One terminal line, never wrapped: with many parts running, the end is cut.
    const width = terminalSize(out).columns - 1;
    update(style.bold(line.length > width ? `${line.slice(0, width - 1)}…` : line));
  };

  return {
    persist(line) {
      if (running.size === 0) return void out.write(`${line}\n`);
      update.persist(line);
      render();
    },
    started(part) {
      running.set(part, now());
      if (!timer) {
        timer = setInterval(render, REDRAW_MS);
        // The redraw never keeps the process alive.
        timer.unref();
      }
      render();
    },
    finished(part) {
      if (running.delete(part)) finishedCount++;
      render();
    },
    close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      running.clear();
      update.clear();
      update.done();
    },
  };
}

type Terminal = Writable & { columns?: number; rows?: number };

/** A terminal of unknown or zero size (a pseudo-terminal nobody sized) counts as 80x24. */
function terminalSize(out: Writable): { columns: number; rows: number } {
  const { columns, rows } = out as Terminal;
  return { columns: columns && columns >= 20 ? columns : 80, rows: rows && rows > 0 ? rows : 24 };
}

/** `out` as log-update sees it: its size never zero (log-update draws nothing in a zero-row terminal). */
function sized(out: Writable): NodeJS.WritableStream {
  return new Proxy(out, {
    get(target, property) {
      if (property === 'columns' || property === 'rows') return terminalSize(target)[property];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
