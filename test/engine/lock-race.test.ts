/**
 * Issue 8, point 7: six runs started at once against a stale lock; at most one
 * may hold it at a time. Six long-lived processes (fixtures/lock-contender.mjs)
 * take part in every race, so the 100 races cost no process start-ups.
 */
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN } from './cli.js';

const CONTENDERS = 6;
const RACES = 100;
const contender = fileURLToPath(new URL('./fixtures/lock-contender.mjs', import.meta.url));
type Answer = { acquired: true; overlap: number } | { acquired: false; code: string };

const workers: ChildProcess[] = [];
// Made in beforeAll: with every test filtered out (-t), neither hook runs, and a folder made on import would stay.
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'buildout-lock-race-'));
  void BIN; // cli.js checks that the packages are built (the contenders use the compiled lock)
  for (let index = 0; index < CONTENDERS; index++) {
    const worker = fork(contender, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    workers.push(worker);
    await new Promise((resolve) => worker.once('message', resolve));
  }
});

afterAll(() => {
  for (const worker of workers) worker.kill('SIGKILL');
  if (root) rmSync(root, { recursive: true, force: true });
});

function race(folder: string): Promise<Answer[]> {
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<Answer>((resolve) => {
          worker.once('message', (answer) => resolve(answer as Answer));
          worker.send({ folder });
        }),
    ),
  );
}

it('lets exactly one of six runs take over a stale lock, in each of 100 races', async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const stale = [JSON.stringify({ pid: dead, since: 'yesterday' }), JSON.stringify({ pid: 0 }), 'garbage'];
  let doubleRuns = 0;
  let winners = 0;
  const refusals = new Set<string>();
  for (let index = 0; index < RACES; index++) {
    const folder = join(root, `race-${index}`);
    mkdirSync(folder);
    writeFileSync(join(folder, '.buildout.lock'), stale[index % stale.length]!);
    const answers = await race(folder);
    for (const answer of answers) {
      if (answer.acquired) {
        winners += 1;
        if (answer.overlap > 0) doubleRuns += 1;
      } else refusals.add(answer.code);
    }
    // Nothing is left behind: no lock, no take-over file, no temporary file.
    expect(readdirSync(folder)).toEqual([]);
  }
  expect(doubleRuns).toBe(0);
  // Every race had a winner; the others were refused as locked (or came after the winner was done).
  expect(winners).toBeGreaterThanOrEqual(RACES);
  expect([...refusals].filter((code) => code !== 'LOCKED')).toEqual([]);
});
