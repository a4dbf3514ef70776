import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, styleFor } from './style.js';

function stream(tty: boolean): PassThrough {
  return Object.assign(new PassThrough(), { isTTY: tty });
}

describe('styleFor', () => {
  it('colours on a terminal', () => {
    expect(styleFor(stream(true), {}).green('ok')).toBe('\u001b[32mok\u001b[39m');
  });

  it('does not colour with NO_COLOR set, or when not on a terminal', () => {
    expect(styleFor(stream(true), { NO_COLOR: '1' }).green('ok')).toBe('ok');
    expect(styleFor(stream(false), {}).red('ok')).toBe('ok');
  });
});

describe('formatDuration', () => {
  it('gives milliseconds below a second, seconds above', () => {
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
  });
});
