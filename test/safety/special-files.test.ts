// Issue 8 point 9: bad files and special inputs each give one clear line naming the file,
// never a hang, "internal error" or a trace. Through the CLI by path.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildout, tree, type Result } from '../engine/cli.js';

const EMPTY = '[buildout]\nparts =\n';

/** One error line (plus an optional hint line), no trace, exit 1. */
function expectCleanError(result: Result, ...expected: (string | RegExp)[]): void {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |node:internal/);
  for (const part of expected) expect(lines[0]).toMatch(part);
}

describe('configuration files that are not regular files', () => {
  test('a FIFO (found, named with -c, or extended) is refused without blocking', async () => {
    const root = tree({ 'extends/buildout.cfg': `${EMPTY}extends = pipe.cfg\n` });
    execFileSync('mkfifo', [join(root, 'buildout.cfg')]);
    execFileSync('mkfifo', [join(root, 'extends', 'pipe.cfg')]);
    expectCleanError(await buildout([], root), 'buildout.cfg is a named pipe (FIFO), not a file');
    expectCleanError(await buildout(['-c', 'buildout.cfg', 'plan'], root), 'buildout.cfg is a named pipe (FIFO), not a file');
    expectCleanError(await buildout([], join(root, 'extends')), /^buildout\.cfg:3:1: configuration file .*pipe\.cfg is a named pipe/);
  });

  test('a device, a folder, a symlink loop', async () => {
    const root = tree({ 'sub/x': '' });
    mkdirSync(join(root, 'folder', 'buildout.cfg'), { recursive: true });
    symlinkSync('loop-b.cfg', join(root, 'loop-a.cfg'));
    symlinkSync('loop-a.cfg', join(root, 'loop-b.cfg'));
    mkdirSync(join(root, 'self'));
    symlinkSync('buildout.cfg', join(root, 'self', 'buildout.cfg'));
    expectCleanError(await buildout(['-c', '/dev/null', 'annotate'], root), 'configuration file /dev/null is a device, not a file');
    expectCleanError(await buildout([], join(root, 'folder')), /folder\/buildout\.cfg is a folder, not a file/);
    expectCleanError(await buildout(['-c', 'loop-a.cfg'], root), /loop-a\.cfg: too many levels of symbolic links/);
    expectCleanError(await buildout([], join(root, 'self')), /self\/buildout\.cfg: too many levels of symbolic links/);
  });

  test('invalid UTF-8: the file, line and column of the first bad byte', async () => {
    const root = tree({});
    writeFileSync(join(root, 'buildout.cfg'), Buffer.concat([Buffer.from(`${EMPTY}name = caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    expectCleanError(await buildout(['plan'], root), /^buildout\.cfg:3:11: not valid UTF-8: byte 0xe9 at line 3, column 11$/);
  });

  test('a NUL byte in a path, and file://host/ extends', async () => {
    expectCleanError(
      await buildout([], tree({ 'buildout.cfg': `${EMPTY}extends = base\0.cfg\n` })),
      /^buildout\.cfg:3:1: .*contains a NUL byte/,
    );
    expectCleanError(
      await buildout([], tree({ 'buildout.cfg': `${EMPTY}installed = state\0.cfg\n` })),
      /buildout:installed .* contains a NUL byte/,
    );
    expectCleanError(
      await buildout([], tree({ 'buildout.cfg': `${EMPTY}extends = file://elsewhere/etc/base.cfg\n` })),
      /^buildout\.cfg:3:1: cannot read file:\/\/elsewhere\/etc\/base\.cfg: File URL host must be "localhost" or empty/,
    );
  });
});

describe("buildout's own files in the way", () => {
  test('installed pointing at a folder, a lock that is a folder, bin-directory that is a file', async () => {
    const installed = tree({ 'buildout.cfg': `${EMPTY}installed = state\n` });
    mkdirSync(join(installed, 'state'));
    expectCleanError(await buildout([], installed), /the record of installed parts .*state is a folder, not a file/);
    expectCleanError(await buildout(['plan'], installed), /the record of installed parts .*state is a folder, not a file/);

    const lock = tree({ 'buildout.cfg': EMPTY });
    mkdirSync(join(lock, '.buildout.lock'));
    expectCleanError(await buildout([], lock), /the lock .*\.buildout\.lock is a folder/);

    const bin = tree({ 'buildout.cfg': EMPTY, bin: 'a file' });
    expectCleanError(await buildout([], bin), /buildout:bin-directory .*\/bin is a file, not a folder/);
  });

  // The record is rewritten on every run and deleted with the last part: it may only name a file of its own.
  test('installed naming a configuration file, the lock, nothing, or a file that is no record: refused, every file intact', async () => {
    const files = {
      'base.cfg': '[buildout]\nextra = 1\n',
      'setup.cfg': '[metadata]\nname = mine\n',
      'notes.txt': 'my notes\n',
      'comments.ini': '# my notes\n; x\n',
      'r.mjs': 'export default { install() { return []; } };\n',
    };
    const cases: [installed: string, parts: string, error: RegExp][] = [
      ['buildout.cfg', 'p', /^buildout\.cfg:4:1: buildout:installed .*buildout\.cfg is a configuration file of this buildout$/],
      ['link.cfg', 'p', /buildout:installed .*buildout\.cfg is a configuration file of this buildout$/],
      ['base.cfg', 'p', /buildout:installed .*base\.cfg is a configuration file of this buildout$/],
      ['.buildout.lock', 'p', /buildout:installed .*\.buildout\.lock is buildout's lock$/],
      ['', 'p', /^buildout\.cfg:4:1: buildout:installed is empty$/],
      ['setup.cfg', '', /^setup\.cfg:1:1: .*setup\.cfg is not a record of installed parts: it has no \[buildout\] parts$/],
      ['notes.txt', 'p', /^notes\.txt:1:1: the record of installed parts cannot be read/],
      ['comments.ini', 'p', /^comments\.ini:1:1: .*comments\.ini is not a record of installed parts: it has no \[buildout\] parts$/],
    ];
    for (const [installed, parts, error] of cases) {
      const config = `[buildout]\nextends = base.cfg\nparts = ${parts}\ninstalled = ${installed}\n[p]\nrecipe = ./r.mjs\n`;
      const root = tree({ ...files, 'buildout.cfg': config });
      symlinkSync('buildout.cfg', join(root, 'link.cfg'));
      const result = await buildout([], root);
      expectCleanError(result, error);
      expect(result.stderr).toContain('buildout:installed must name a file of its own');
      for (const [name, text] of Object.entries({ ...files, 'buildout.cfg': config }))
        expect(readFileSync(join(root, name), 'utf8')).toBe(text);
    }
  });

  // Buildout deletes the record when no part is left: a blank one was damaged, and reading it as "nothing installed" would reinstall every part over its files.
  test('a blank .installed.cfg is refused, not read as nothing installed', async () => {
    for (const text of ['', '\n  \n']) {
      const root = tree({ 'buildout.cfg': EMPTY, '.installed.cfg': text });
      for (const args of [[], ['plan']]) {
        const result = await buildout(args, root);
        expectCleanError(result, /\.installed\.cfg:1:1: .*\.installed\.cfg is empty, so which parts are installed is not known$/);
        expect(result.stderr).toContain('hint: delete');
      }
      expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(text);
    }
  });

  test('broken journal lines: not JSON, not a record, an unknown operation, a malformed state', async () => {
    for (const [journal, problem] of [
      ['garbage\n{"op":"remove","part":"x"}\n', 'line 1 of the journal is not valid JSON'],
      ['[1]\n', 'line 1 of the journal is not a journal record'],
      ['{"op":"remove","part":"x"}\n{"op":"bogus","part":"x"}\n', 'line 2 of the journal has an unknown operation "bogus"'],
      ['{"op":"record","part":"x","state":{"options":{},"installed":"a"}}\n', 'line 1 of the journal has a malformed part state'],
      ['{"op":"created","paths":["a"]}\n', 'line 1 of the journal names no part'],
    ]) {
      const root = tree({ 'buildout.cfg': EMPTY, '.installed.cfg.journal': journal! });
      expectCleanError(await buildout([], root), `.installed.cfg.journal:`, problem!);
    }
  });
});

// Permissions do not stop root: those runs are made as the unprivileged user `nobody`.
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

describe('permissions', () => {
  test('an unreadable configuration file, and a buildout directory nobody may write', async () => {
    const unreadable = tree({ 'buildout.cfg': EMPTY });
    chmodSync(unreadable, 0o755);
    chmodSync(join(unreadable, 'buildout.cfg'), 0o000);
    expectCleanError(await buildout([], unreadable, {}, asNobody), /cannot read configuration file .*buildout\.cfg: permission denied/);

    const readOnly = tree({ 'buildout.cfg': EMPTY, 'ro/x': '' });
    chmodSync(join(readOnly, 'buildout.cfg'), 0o644);
    chmodSync(readOnly, 0o555);
    expectCleanError(await buildout([], readOnly, {}, asNobody), /cannot create the lock .*\.buildout\.lock: permission denied/);
    chmodSync(readOnly, 0o777);
    chmodSync(join(readOnly, 'ro'), 0o555);
    expectCleanError(
      await buildout(['buildout:bin-directory=ro/bin'], readOnly, {}, asNobody),
      /cannot create buildout:bin-directory .*ro\/bin: permission denied/,
    );
    chmodSync(join(readOnly, 'ro'), 0o755);
  });
});
