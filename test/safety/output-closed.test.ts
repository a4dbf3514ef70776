// Issue 8 point 5: a reader that goes away (EPIPE) stops the printing, never the run.
// Real pipes into `head`, through the CLI by path.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN, buildout, tree } from '../engine/cli.js';

const PARTS = 200;

/** 200 parts, each writing a file and logging two lines (so there is much to print after `head` left). */
function manyParts(): Record<string, string> {
  const names = Array.from({ length: PARTS }, (_, index) => `part${index + 1}`);
  let config = `[buildout]\nparts = ${names.join(' ')}\n`;
  for (const name of names) config += `\n[${name}]\nrecipe = ./recipes/write.mjs\nmessage = hello from ${name}\n`;
  return {
    'buildout.cfg': config,
    'recipes/write.mjs': `import { writeFileSync } from 'node:fs';
export default {
  install(part) {
    part.log.info(part.options.message);
    part.log.info('a second line of output for ' + part.name);
    writeFileSync(part.name + '.txt', part.options.message);
    return [part.name + '.txt'];
  },
  update() {},
};
`,
  };
}

/** `buildout ARGS | head -N` through a shell: the CLI's exit status, and what it wrote to stderr. */
function throughHead(cwd: string, args: string[], lines = 1): Promise<{ status: number; stderr: string; shown: string }> {
  const script = `"${process.execPath}" "${BIN}" ${args.join(' ')} 2>stderr.txt | head -${lines}; echo "\${PIPESTATUS[0]}" > status.txt`;
  const child = spawn('bash', ['-c', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let shown = '';
  child.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', () =>
      resolve({
        status: Number(readFileSync(join(cwd, 'status.txt'), 'utf8').trim()),
        stderr: readFileSync(join(cwd, 'stderr.txt'), 'utf8'),
        shown,
      }),
    ),
  );
}

const state = (root: string): string => readFileSync(join(root, '.installed.cfg'), 'utf8').replaceAll(root, '<root>');

describe('a closed stdout', () => {
  test('`buildout | head -1` on a 200-part buildout finishes the run: the same state as a clean run, no lock or journal, exit 0', async () => {
    const clean = tree(manyParts());
    expect((await buildout([], clean)).code).toBe(0);

    const piped = tree(manyParts());
    const result = await throughHead(piped, []);
    expect(result.shown.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(state(piped)).toBe(state(clean));
    expect(existsSync(join(piped, '.buildout.lock'))).toBe(false);
    expect(existsSync(join(piped, '.installed.cfg.journal'))).toBe(false);
    expect(readdirSync(piped).filter((name) => name.endsWith('.txt') && name.startsWith('part'))).toHaveLength(PARTS);
  });

  test('a failing run through a closed pipe still exits 1 and says why on stderr', async () => {
    const files = manyParts();
    files['buildout.cfg'] += '\n[part150]\nrecipe = ./recipes/missing.mjs\n';
    const root = tree(files);
    const result = await throughHead(root, []);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('recipe module ./recipes/missing.mjs does not exist');
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
  });

  test('`plan | head` and `annotate --json | head` exit without a crash or a trace', async () => {
    const root = tree(manyParts());
    for (const args of [['plan'], ['annotate', '--json'], ['annotate'], ['-v'], ['install', '--dry-run', '--json']]) {
      const result = await throughHead(root, args, 2);
      // Nothing but -v's line saying which configuration it uses.
      expect(result.stderr.replace(/^buildout: using .*\n/, ''), args.join(' ')).toBe('');
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.shown.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    }
  });

  test('a closed stderr: a failing run still ends, releases the lock and exits 1', async () => {
    const files = manyParts();
    files['buildout.cfg'] += '\n[part150]\nrecipe = ./recipes/missing.mjs\n';
    const root = tree(files);
    // stderr into a pipe whose reader is gone at once; stdout thrown away.
    const script = `"${process.execPath}" "${BIN}" -v 2>&1 >/dev/null | true; echo "\${PIPESTATUS[0]}" > status.txt`;
    await new Promise((resolve) =>
      spawn('bash', ['-c', script], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: root } }).on('close', resolve),
    );
    expect(readFileSync(join(root, 'status.txt'), 'utf8').trim()).toBe('1');
    expect(existsSync(join(root, '.buildout.lock'))).toBe(false);
    expect(existsSync(join(root, '.installed.cfg.journal'))).toBe(false);
  });
});
