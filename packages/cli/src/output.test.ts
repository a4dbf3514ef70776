import { setImmediate as nextTurn } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commandOutputs } from './output.js';
import { Redactor } from './redact.js';

/** A stream that records each write it gets; `isTTY` as given. */
function recorder(isTTY = false): Writable & { writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      writes.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { writes, isTTY });
}

describe('command output', () => {
  it('sends many lines to a file or pipe in one write when the event loop turns', async () => {
    const out = recorder();
    const { stdout } = commandOutputs(out, recorder(), new Redactor());
    for (let index = 0; index < 1000; index += 1) stdout.write(`Updating p${index}.\n`);
    expect(out.writes).toEqual([]);
    await nextTurn();
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]!.split('\n')).toHaveLength(1001);
  });

  it('keeps the order of stdout and stderr lines into one stream (2>&1)', async () => {
    const both = recorder();
    const { stdout, stderr, flush } = commandOutputs(both, both, new Redactor());
    stdout.write('Installing a.\n');
    stderr.write('a: warning: x\n');
    stdout.write('Installed a.\n');
    flush();
    expect(both.writes.join('')).toBe('Installing a.\na: warning: x\nInstalled a.\n');
  });

  it('flushes what stderr holds before a terminal stdout prints, and never holds terminal output', () => {
    const terminal = recorder(true);
    const log = recorder();
    const { stdout, stderr } = commandOutputs(terminal, log, new Redactor());
    stderr.write('first\n');
    stdout.write('second\n');
    expect(log.writes).toEqual(['first\n']);
    expect(terminal.writes).toEqual(['second\n']);
  });

  it('flushes past 64 KB without waiting, and masks secrets in the batched text', () => {
    const out = recorder();
    const redactor = new Redactor();
    redactor.addSecret('s3cret-value');
    const { stdout } = commandOutputs(out, recorder(), redactor);
    const line = `${'x'.repeat(1023)}\n`;
    for (let index = 0; index < 63; index += 1) stdout.write(line);
    stdout.write('password s3cret-value\n');
    expect(out.writes).toEqual([]);
    stdout.write(line);
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toContain('password ***\n');
    expect(out.writes[0]).not.toContain('s3cret');
  });
});
