/**
 * The streams commands print to. Closed output never kills a run: when the
 * reader goes away (`buildout | head -1`: EPIPE) printing stops and the run
 * goes on to the end, records its state and exits as if it had printed.
 * Everything printed goes through the redactor, so a secret value never
 * reaches the terminal, a log or a pipe unless --show-secrets is given.
 *
 * Output to a file or a pipe is batched: a no-op run of 5,000 parts prints
 * 10,000 lines, and one system call each cost more than the rest of the
 * printing. What was written goes out when the event loop turns, past 64 KB,
 * before anything the other stream of the same command prints (so
 * `2>&1` keeps the order), when the command ends, and at process exit.
 * A terminal gets every write at once (the live status line redraws in place).
 * What a recipe prints to process.stdout itself, not through `part.log`, may
 * come before a line held here; with -j above 1 it never came in order anyway.
 */
import { Writable } from 'node:stream';
import type { Redactor } from './redact.js';

const FLUSH_AT = 64 * 1024;

/** Text held for the streams of one command, in the order it was written. */
export class OutputBatch {
  private readonly held: { target: CommandOutput; text: string }[] = [];
  private size = 0;
  private scheduled = false;
  private readonly flushNow = (): void => this.flush();

  add(target: CommandOutput, text: string): void {
    const last = this.held[this.held.length - 1];
    if (last?.target === target) last.text += text;
    else this.held.push({ target, text });
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushNow).unref();
      batchesToFlushAtExit.add(this);
    }
  }

  flush(): void {
    this.scheduled = false;
    this.size = 0;
    batchesToFlushAtExit.delete(this);
    for (const { target, text } of this.held.splice(0)) target.send(text);
  }
}

// Process exit (a second Ctrl-C, a guard's exit) still prints what was held: writes to files and pipes are synchronous on POSIX.
const batchesToFlushAtExit = new Set<OutputBatch>();
process.once('exit', () => {
  for (const batch of [...batchesToFlushAtExit]) batch.flush();
});

export class CommandOutput extends Writable {
  private readerGone = false;

  constructor(
    private readonly target: Writable,
    private readonly redactor: Redactor,
    /** Shared by the command's stdout and stderr; none for a terminal. */
    private readonly batch: OutputBatch | undefined = new OutputBatch(),
  ) {
    super({ decodeStrings: false });
    // EPIPE arrives as an 'error' event of the target; without a listener it would be thrown.
    // The listener stays after the command: a write's error may come after it returned.
    target.on('error', () => {
      this.readerGone = true;
    });
  }

  /** For colours and layout: what the real stream is. */
  get isTTY(): boolean {
    return (this.target as { isTTY?: boolean }).isTTY === true;
  }

  get columns(): number | undefined {
    return (this.target as { columns?: number }).columns;
  }

  get rows(): number | undefined {
    return (this.target as { rows?: number }).rows;
  }

  /** The reader went away; nothing more is printed. */
  get isClosed(): boolean {
    return this.readerGone || this.target.destroyed;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.print(String(chunk));
    done();
  }

  /**
   * What write() does with text, without the stream's bookkeeping: the
   * progress prints two lines per part, and a write costs twice a print.
   */
  print(text: string): void {
    if (this.batch && !this.isTTY) this.batch.add(this, text);
    else {
      this.batch?.flush();
      this.send(text);
    }
  }

  /** Writes `text` to the real stream now (masked), unless its reader is gone. */
  send(text: string): void {
    if (this.isClosed) return;
    try {
      this.target.write(this.redactor.text(text));
    } catch {
      this.readerGone = true;
    }
  }
}

/** A command's stdout and stderr, batched together (see above). */
export function commandOutputs(
  stdout: Writable,
  stderr: Writable,
  redactor: Redactor,
): { stdout: CommandOutput; stderr: CommandOutput; flush(): void } {
  const batch = new OutputBatch();
  return {
    stdout: new CommandOutput(stdout, redactor, batch),
    stderr: new CommandOutput(stderr, redactor, batch),
    flush: () => batch.flush(),
  };
}
