import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { isBuildoutError, type BuildoutError } from './errors.js';
import { decodeUtf8, readTextFile, readTextFileSync } from './file-access.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), 'buildout-file-access-'));
  roots.push(root);
  return root;
}

async function failure(promise: Promise<unknown>): Promise<BuildoutError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isBuildoutError(error)) throw new Error(`expected a BuildoutError, got ${String(error)}`);
  return error;
}

describe('readTextFile', () => {
  test('a FIFO is refused at once instead of blocking on open', async () => {
    const fifo = join(folder(), 'buildout.cfg');
    execFileSync('mkfifo', [fifo]);
    const error = await failure(readTextFile(fifo, 'configuration file'));
    expect(error.code).toBe('NOT_A_FILE');
    expect(error.message).toBe(`configuration file ${fifo} is a named pipe (FIFO), not a file`);
  });

  test('a device, a folder, a symlink loop and a NUL byte each name the file', async () => {
    const root = folder();
    mkdirSync(join(root, 'dir'));
    symlinkSync('loop-b', join(root, 'loop-a'));
    symlinkSync('loop-a', join(root, 'loop-b'));
    expect((await failure(readTextFile('/dev/zero', 'configuration file'))).message).toBe(
      'configuration file /dev/zero is a device, not a file',
    );
    expect((await failure(readTextFile(join(root, 'dir'), 'configuration file'))).message).toMatch(/dir is a folder, not a file$/);
    const loop = await failure(readTextFile(join(root, 'loop-a'), 'configuration file'));
    expect(loop.code).toBe('FILE_ACCESS');
    expect(loop.message).toBe(`cannot read configuration file ${join(root, 'loop-a')}: too many levels of symbolic links (a symlink loop)`);
    const nul = await failure(readTextFile(join(root, 'a\0b'), 'configuration file'));
    expect(nul.code).toBe('BAD_PATH');
    expect(nul.message).toContain('contains a NUL byte');
  });

  test('the synchronous reader: undefined when missing, the same refusals otherwise', () => {
    const root = folder();
    expect(readTextFileSync(join(root, 'missing'), 'state')).toBeUndefined();
    mkdirSync(join(root, '.installed.cfg'));
    expect(() => readTextFileSync(join(root, '.installed.cfg'), 'the record of installed parts')).toThrow(/is a folder, not a file/);
    writeFileSync(join(root, 'ok'), 'caf\u00e9\n');
    expect(readTextFileSync(join(root, 'ok'), 'state')).toBe('caf\u00e9\n');
  });
});

describe('decodeUtf8', () => {
  test('says the line and column (in characters) of the first byte that is not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('[buildout]\nname = \u00e9t\u00e9 '), Buffer.from([0xe9, 0x41]), Buffer.from('\nmore\xff')]);
    let thrown: unknown;
    try {
      decodeUtf8(bytes, '/x/buildout.cfg');
    } catch (error) {
      thrown = error;
    }
    expect((thrown as BuildoutError).message).toBe('not valid UTF-8: byte 0xe9 at line 2, column 12');
    expect(thrown).toMatchObject({ code: 'BAD_ENCODING', location: { file: '/x/buildout.cfg', line: 2, column: 12 } });
  });

  test('a cut sequence, an overlong form and a surrogate are refused; valid text of any script is not', () => {
    for (const bad of [
      [0x61, 0xc3],
      [0xc0, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      expect(() => decodeUtf8(Buffer.from(bad), 'f')).toThrow(/not valid UTF-8/);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeUtf8(Buffer.from(text), 'f')).toBe(text);
      }),
    );
  });

  test('property: the position reported is where a stray byte was put in valid text', () => {
    const stray = fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xff);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), stray, (before, after, byte) => {
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from([byte]), Buffer.from(after)]);
        const lines = before.split('\n');
        try {
          decodeUtf8(bytes, 'f');
          expect.unreachable();
        } catch (error) {
          expect((error as BuildoutError).location).toEqual({ file: 'f', line: lines.length, column: [...lines.at(-1)!].length + 1 });
        }
      }),
    );
  });
});
