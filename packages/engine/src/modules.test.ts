import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash } from './modules.js';

const native = (input: string | Uint8Array): string => createHash('sha256').update(input).digest('hex').slice(0, 16);

describe('contentHash', () => {
  it('is the SHA-256 node:crypto gives, for small inputs hashed in JavaScript and large ones hashed natively', () => {
    const inputs: (string | Uint8Array)[] = [
      '',
      'export default { install() {} };\n',
      'héllo wörld \u{1F600}',
      new Uint8Array(64 * 1024).fill(7),
      new Uint8Array(64 * 1024 + 1).fill(7),
      'x'.repeat(200_000),
    ];
    for (const input of inputs) expect(contentHash(input)).toBe(native(input));
  });

  it('tells different contents apart', () => {
    expect(contentHash('a')).not.toBe(contentHash('b'));
  });
});
