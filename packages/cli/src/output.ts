/**
 * The streams commands print to. Closed output never kills a run: when the
 * reader goes away (`buildout | head -1`: EPIPE) printing stops and the run
 * goes on to the end, records its state and exits as if it had printed.
 * Everything printed goes through the redactor, so a secret value never
 * reaches the terminal, a log or a pipe unless --show-secrets is given.
 */
import { Writable } from 'node:stream';
import type { Redactor } from './redact.js';

export class CommandOutput extends Writable {
  private readerGone = false;

  constructor(
    private readonly target: Writable,
    private readonly redactor: Redactor,
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
    if (!this.isClosed) {
      try {
        this.target.write(this.redactor.text(String(chunk)));
      } catch {
        this.readerGone = true;
      }
    }
    done();
  }
}
