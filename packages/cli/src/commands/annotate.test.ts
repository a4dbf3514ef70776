import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { main } from '../main.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function annotate(files: Record<string, string>, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const root = mkdtempSync(join(tmpdir(), 'buildout-annotate-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['-U', ...argv], { stdout, stderr, cwd: root, env: { HOME: root } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const FILES = {
  'base.cfg': '[app]\neggs =\n    one\n    two\nname = base\n',
  'buildout.cfg':
    '[buildout]\nextends = base.cfg\nparts =\n[app]\neggs +=\n    three\nname = top\nlong-name = first line\n    second line\n',
};

describe('annotate', () => {
  test("zc.buildout's layout: sorted, multi-line values indented under their key, origins below", async () => {
    const result = await annotate(FILES, ['app:name=cli', 'annotate', 'app']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        '',
        'Annotated sections',
        '==================',
        '',
        '[app]',
        'eggs= one',
        '      two',
        '      three',
        '    base.cfg:2',
        '+=  buildout.cfg:5',
        'long-name= first line',
        '           second line',
        '    buildout.cfg:8',
        'name= cli',
        '    COMMAND_LINE_VALUE',
        '',
        '',
      ].join('\n'),
    );
  });

  test("-v: each value's history through the layers, newest first, as zc.buildout's verbose annotate", async () => {
    const result = await annotate(FILES, ['-v', 'app:name=cli', 'annotate', 'app']);
    expect(result.stdout).toContain(
      [
        'name= cli',
        '',
        '   AS COMMAND_LINE_VALUE',
        '   OVERRIDE VALUE = cli',
        '   IN buildout.cfg:7',
        '   OVERRIDE VALUE = top',
        '   IN base.cfg:5',
        '   SET VALUE = base',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toContain(
      ['   IN buildout.cfg:5', '   ADD VALUE = three', '   IN base.cfg:2', '   SET VALUE =', '      one', '      two'].join('\n'),
    );
  });

  test('-v: no step of a secret option shows its value (an overridden password, a line taken away), and --show-secrets shows them', async () => {
    const files = {
      'base.cfg': '[db]\npassword = DefaultPwBase\ntoken =\n    LineOneAAAA\n    LineTwoBBBB\n',
      'buildout.cfg': '[buildout]\nextends = base.cfg\nparts =\n[db]\npassword = RealProdPw77\ntoken -= LineTwoBBBB\n',
    };
    const result = await annotate(files, ['-v', 'db:password=CliPw8888', 'annotate', 'db']);
    expect(result.code).toBe(0);
    for (const secret of ['DefaultPwBase', 'RealProdPw77', 'CliPw8888', 'LineOneAAAA', 'LineTwoBBBB'])
      expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain(
      ['   IN buildout.cfg:5', '   OVERRIDE VALUE = ***', '   IN base.cfg:2', '   SET VALUE = ***'].join('\n'),
    );
    expect(result.stdout).toContain(['   IN buildout.cfg:6', '   REMOVE VALUE = ***'].join('\n'));
    const shown = await annotate(files, ['-v', '--show-secrets', 'annotate', 'db']);
    expect(shown.stdout).toContain('   SET VALUE = DefaultPwBase');
  });

  test('--json --origins: each value with the file:line (or kind) it came from', async () => {
    const result = await annotate(FILES, ['app:name=cli', 'annotate', '--json', '--origins', 'app']);
    expect(JSON.parse(result.stdout)).toEqual({
      sections: {
        app: {
          eggs: { value: 'one\ntwo\nthree', origin: 'buildout.cfg:5' },
          name: { value: 'cli', origin: 'COMMAND_LINE_VALUE' },
          'long-name': { value: 'first line\nsecond line', origin: 'buildout.cfg:8' },
        },
      },
    });
    expect((await annotate(FILES, ['annotate', '--origins'])).stderr).toContain('annotate: --origins goes with --json');
  });

  test('a section no file has gets a did-you-mean', async () => {
    const result = await annotate(FILES, ['annotate', 'ap']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('annotate: no section [ap] (did you mean [app]?)');
  });
});
