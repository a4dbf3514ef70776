/** Live progress of `buildout install`, read as a user sees it: on a pipe, on a pseudo-terminal, at each verbosity. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, buildout, start, tree } from '../engine/cli.js';

const SLOW = `[buildout]
parts = slow quick
[slow]
recipe = command
command = sleep 2
[quick]
recipe = command
command = echo quick says hi
outputs = nothing-made-here
`;

describe('install progress on a pipe', () => {
  it('prints the start line of a 2 s part before the part finishes, and no escape codes', async () => {
    const root = tree({ 'buildout.cfg': SLOW });
    const began = performance.now();
    const { child, done } = start(['-j', '1', 'install'], root);
    const seen: { at: number; line: string }[] = [];
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) seen.push({ at: performance.now() - began, line });
    });
    const result = await done;
    expect(result.code).toBe(0);
    const at = (text: string) => seen.find(({ line }) => line.startsWith(text))?.at ?? Number.NaN;
    expect(at('Installing slow...')).toBeLessThan(at('Installed slow') - 1500);
    expect(seen.map(({ line }) => line.replace(/\(.*\)$/, '()'))).toEqual([
      'Installing slow...',
      'Installed slow ()',
      'Installing quick...',
      'quick: warning: output nothing-made-here does not exist after the command ran',
      'Installed quick ()',
      expect.stringMatching(/^Done in /),
    ]);
    expect(result.stdout).not.toContain('\u001b');
  });

  it('-v adds commands and their output; -vv why each part is planned and how long loading and planning took', async () => {
    const root = tree({ 'buildout.cfg': SLOW.replace('sleep 2', 'true') });
    const verbose = await buildout(['-v'], root);
    expect(verbose.stdout).toContain('quick: $ echo quick says hi');
    expect(verbose.stdout).toContain('quick: quick says hi\n');
    expect(verbose.stdout).not.toContain('Planned ');
    const fresh = tree({ 'buildout.cfg': SLOW.replace('sleep 2', 'true') });
    const debug = await buildout(['-vv'], fresh);
    expect(debug.stdout).toMatch(
      /^Configuration loaded in \d+ ms\nPlanned 2 parts in \d+ ms\n {2}slow: install, new part\n {2}quick: install, new part\n/,
    );
    const changed = await buildout(['-vv', 'slow:command=echo changed'], fresh);
    expect(changed.stdout).toContain('\n  slow: install, reinstall: options changed; command: "true" -> "echo changed"; ');
    expect(changed.stdout).toContain('  quick: update, unchanged\n');
  });

  it('-q prints warnings and errors only, -qq errors only', async () => {
    const root = tree({ 'buildout.cfg': SLOW.replace('sleep 2', 'true') });
    const quiet = await buildout(['-q'], root);
    expect(quiet.stdout).toBe('quick: warning: output nothing-made-here does not exist after the command ran\n');
    const silent = await buildout(['-qq', 'quick:command=exit 3'], root);
    expect(silent.stdout).toBe('');
    expect(silent.code).toBe(1);
    expect(silent.stderr).toContain('exit code 3');
  });
});

/** Runs the CLI under `script` (util-linux), which gives it a pseudo-terminal; resolves with everything it printed. */
function throughTerminal(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, TERM: 'xterm-256color', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const ESC = '\u001b';
const ERASE_LINE = `${ESC}[2K`;

describe('install progress on a terminal', () => {
  it('shows a live line with the running parts and their time, redrawn in place and cleared at the end', async () => {
    const root = tree({ 'buildout.cfg': SLOW.replace('parts = slow quick', 'parts = slow') });
    const { code, output: raw } = await throughTerminal(['install'], root);
    expect(code).toBe(0);
    expect(raw).toContain(`${ESC}[32mInstalled`);
    // Colours out of the way; the cursor movements stay.
    const output = raw.replace(new RegExp(`${ESC}\\[\\d+(;\\d+)*m`, 'g'), '');
    const frames = [...output.matchAll(/Running 1 part \((\d+ ms|[\d.]+ s)\): slow (\d+ ms|[\d.]+ s)/g)];
    // Redrawn every 100 ms while the 2 s part runs.
    expect(frames.length).toBeGreaterThan(5);
    // The elapsed time counts up: the last frame is drawn after the part ran more than a second.
    expect(frames.at(-1)![0]).toMatch(/slow [1-9]\.\d\d s$/);
    expect(output).toContain(ERASE_LINE);
    // The last frame is erased before the end line; nothing of it is left after.
    const last = frames.at(-1)!.index!;
    const end = output.indexOf('Installed slow');
    expect(output.slice(last, end)).toContain(ERASE_LINE);
    expect(output.slice(end)).not.toContain('Running');
    expect(output.slice(end)).toMatch(/Installed slow .*\r?\n.*Done in [\d.]+ s.*\r?\n$/);
    // The log line printed before the part ran stays above the live line.
    expect(output.indexOf('Installing slow...')).toBeLessThan(frames[0]!.index!);
  });

  it('with -j 2 the live line lists every running part', async () => {
    const root = tree({ 'buildout.cfg': SLOW.replace('echo quick says hi', 'sleep 1') });
    const { code, output } = await throughTerminal(['-j', '2', 'install'], root);
    expect(code).toBe(0);
    expect(output).toMatch(/Running 2 parts \([^)]*\): (slow [\d.]+ m?s, quick|quick [\d.]+ m?s, slow)/);
  });

  it('draws no live line in CI, with TERM=dumb or NO_COLOR, and no colour codes either with NO_COLOR', async () => {
    const root = tree({ 'buildout.cfg': SLOW.replace('sleep 2', 'sleep 0.3') });
    for (const env of [{ CI: 'true' }, { TERM: 'dumb' }, { NO_COLOR: '1' }]) {
      const { code, output } = await throughTerminal(['install'], root, env);
      expect(code).toBe(0);
      expect(output).not.toContain('Running');
      if ('NO_COLOR' in env) expect(output).not.toContain(ESC);
    }
  });
});
