import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporarySibling } from './temporary-name.js';

describe('temporarySibling', () => {
  it('names a .tmp file beside the path, a new one at each call', () => {
    const names = Array.from({ length: 1000 }, () => temporarySibling('/srv/site/.installed.cfg'));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(dirname(name)).toBe('/srv/site');
      expect(name).toMatch(new RegExp(`^/srv/site/\\.installed\\.cfg\\.${process.pid}-\\d+-[a-z0-9]+\\.tmp$`));
    }
  });
});
