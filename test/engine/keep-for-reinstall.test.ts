/**
 * `Recipe.keepForReinstall` end to end (the compiled CLI in a real process):
 * before a changed part is installed again, the recorded paths its recipe
 * says it writes again itself stay in place; everything else still goes
 * through the removal guard, and a failure or a kill half-way leaves a state
 * the next run repairs.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './cli.js';

/**
 * Writes out/NAME for each of `files` (only when missing or different),
 * logging each call; keeps the paths listed in `keep`. `fail` and `kill`
 * stop the install after its writes.
 */
const KEEPER = `
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const kept = new WeakSet();
const log = (line) => appendFileSync('calls.log', line + '\\n');
export default {
  keepForReinstall(part, recorded) {
    kept.add(part);
    log('keep ' + part.options.version + ' recorded=' + recorded.join(','));
    if (part.options.keep === 'throw') throw new Error('cannot tell');
    return part.options.keep ? part.options.keep.split(' ') : undefined;
  },
  install(part) {
    const files = part.options.files.split(' ');
    log('install ' + part.options.version + ' same-part=' + kept.has(part) + ' stale-there=' + existsSync('out/stale'));
    mkdirSync('out', { recursive: true });
    for (const name of files) {
      const file = 'out/' + name;
      if (!existsSync(file) || readFileSync(file, 'utf8') !== part.options.version) writeFileSync(file, part.options.version);
    }
    if (part.options.fail === 'yes') throw new Error('failed on purpose');
    if (part.options.kill === 'yes') process.kill(process.pid, 'SIGKILL');
    return ['out', ...files.map((name) => 'out/' + name), ...(part.options.extra ? [part.options.extra] : [])];
  },
  update() {},
};
`;

function config(options: string): string {
  return `[buildout]\nparts = p\n[p]\nrecipe = ./keeper.mjs\n${options}\n`;
}

/** A buildout whose part p is installed with the options `first`. */
async function installedWith(first: string): Promise<string> {
  const root = tree({ 'keeper.mjs': KEEPER, 'buildout.cfg': config(first) });
  expect((await buildout([], root)).code).toBe(0);
  return root;
}

async function run(root: string, options: string) {
  writeFileSync(join(root, 'buildout.cfg'), config(options));
  writeFileSync(join(root, 'calls.log'), '');
  return buildout([], root);
}

const calls = (root: string): string[] => readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean);
const inode = (root: string, path: string): number => statSync(join(root, path)).ino;
const installed = (root: string): string => readFileSync(join(root, '.installed.cfg'), 'utf8');

describe('keepForReinstall', () => {
  it('kept recorded paths stay (same inode); the others are removed through the guard; install gets the same Part', async () => {
    const root = await installedWith('version = 1\nfiles = a b stale\nextra = buildout.cfg');
    const before = inode(root, 'out/a');
    const result = await run(root, 'version = 2\nfiles = a b\nkeep = out out/a out/b /not/recorded');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(calls(root)).toEqual(['keep 2 recorded=out,out/a,out/b,out/stale,buildout.cfg', 'install 2 same-part=true stale-there=false']);
    expect(inode(root, 'out/a')).toBe(before);
    expect(readFileSync(join(root, 'out/a'), 'utf8')).toBe('2');
    expect(existsSync(join(root, 'out/stale'))).toBe(false);
    // Not kept, so removed, so refused by the guard: buildout's own configuration stays.
    expect(result.stdout).toMatch(/p: warning: not removing .*buildout\.cfg: it is/);
    expect(existsSync(join(root, 'buildout.cfg'))).toBe(true);
    expect(installed(root)).toMatch(/__buildout_installed__ = out\n\tout\/a\n\tout\/b\n/);
  });

  it('nothing kept (no answer): everything recorded is removed before install, as without the method', async () => {
    const root = await installedWith('version = 1\nfiles = a');
    const before = inode(root, 'out/a');
    writeFileSync(join(root, 'out/stale'), 'x');
    expect((await run(root, 'version = 2\nfiles = a')).code).toBe(0);
    // The folder went (the unrecorded file with it) and was made anew.
    expect(existsSync(join(root, 'out/stale'))).toBe(false);
    expect(readFileSync(join(root, 'out/a'), 'utf8')).toBe('2');
    expect(calls(root)[1]).toBe('install 2 same-part=true stale-there=false');
    expect(before).toBeGreaterThan(0);
  });

  it('a kept path the install does not record again is removed after it', async () => {
    const root = await installedWith('version = 1\nfiles = a stale');
    const result = await run(root, 'version = 2\nfiles = a\nkeep = out out/a out/stale');
    expect(result.code).toBe(0);
    expect(calls(root)[1]).toBe('install 2 same-part=true stale-there=true');
    expect(existsSync(join(root, 'out/stale'))).toBe(false);
    expect(existsSync(join(root, 'out/a'))).toBe(true);
    expect(installed(root)).toMatch(/__buildout_installed__ = out\n\tout\/a\n__buildout_signature__/);
  });

  it('install fails after the keep: the kept paths go with the part, and the next run installs it afresh', async () => {
    const root = await installedWith('version = 1\nfiles = a');
    const failed = await run(root, 'version = 2\nfiles = a\nkeep = out out/a\nfail = yes');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('failed on purpose');
    expect(existsSync(join(root, 'out'))).toBe(false);
    expect(existsSync(join(root, '.installed.cfg')) && installed(root).includes('[p]')).toBe(false);
    const again = await run(root, 'version = 2\nfiles = a\nkeep = out out/a');
    expect(again.code).toBe(0);
    // A new part: no recorded paths to keep, so the method is not asked.
    expect(calls(root)).toEqual(['install 2 same-part=false stale-there=false']);
    expect(readFileSync(join(root, 'out/a'), 'utf8')).toBe('2');
  });

  it('killed during the install: the part stays recorded with its old signature, and the next run redoes it', async () => {
    const root = await installedWith('version = 1\nfiles = a');
    const killed = await run(root, 'version = 2\nfiles = a\nkeep = out out/a\nkill = yes');
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(root, 'out/a'))).toBe(true);
    const again = await run(root, 'version = 2\nfiles = a\nkeep = out out/a');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(calls(root)).toEqual(['keep 2 recorded=out,out/a', 'install 2 same-part=true stale-there=false']);
    expect(installed(root)).toContain('version = 2');
    expect(installed(root)).not.toContain('kill');
  });

  it('a reinstall that keeps its paths and ends recorded as before writes no new record', async () => {
    const root = await installedWith('version = 1\nfiles = a\nkeep = out out/a');
    const before = `${inode(root, '.installed.cfg')}:${statSync(join(root, '.installed.cfg')).mtimeMs}`;
    rmSync(join(root, 'out/a'));
    const result = await run(root, 'version = 1\nfiles = a\nkeep = out out/a');
    expect(result.code).toBe(0);
    expect(calls(root)).toEqual(['keep 1 recorded=out,out/a', 'install 1 same-part=true stale-there=false']);
    expect(`${inode(root, '.installed.cfg')}:${statSync(join(root, '.installed.cfg')).mtimeMs}`).toBe(before);
    expect(existsSync(join(root, '.installed.cfg.journal'))).toBe(false);
    // Another record (an option changed) is written as usual.
    expect((await run(root, 'version = 2\nfiles = a\nkeep = out out/a')).code).toBe(0);
    expect(installed(root)).toContain('version = 2');
  });

  it('a method that throws fails the part, naming it and the method', async () => {
    const root = await installedWith('version = 1\nfiles = a');
    const result = await run(root, 'version = 2\nfiles = a\nkeep = throw');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('buildout: part p: keepForReinstall failed: cannot tell');
    // Nothing was removed: the part is still recorded as it was, and the next run tries again.
    expect(readFileSync(join(root, 'out/a'), 'utf8')).toBe('1');
    expect(installed(root)).toContain('version = 1');
  });
});
