// The disk of the benchmarks' machine: its speed varies by the minute (1,000 folders with a file
// took from 55 ms to over a second), so figures that write files are shown beside its own time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Writes out what earlier runs wrote or deleted, so that the next measured run does not pay for it. */
export function settleDisk() {
  spawnSync('sync', { stdio: 'ignore' });
}

/**
 * Wall ms of a plain `node -e` making `count` folders with one file of `bytes` bytes in each, in a fresh
 * folder, after the disk settled (node start-up included). `file` names the file, `{i}` standing for the index.
 */
export function diskFloor(count, file, bytes) {
  const folder = mkdtempSync(join(tmpdir(), 'buildout-bench-floor-'));
  const path = `\`${file.replaceAll('{i}', '${i}')}\``;
  const script = `const fs = require('node:fs'); const path = require('node:path'); for (let i = 0; i < ${count}; i++) { fs.mkdirSync(path.dirname(${path}), { recursive: true }); fs.writeFileSync(${path}, 'x'.repeat(${bytes})); }`;
  try {
    settleDisk();
    const started = performance.now();
    const result = spawnSync(process.execPath, ['-e', script], { cwd: folder, stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`the disk floor script failed: ${result.stderr}`);
    return performance.now() - started;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Wall ms of `node -e 0`, after the disk settled: the start-up inside `diskFloor`'s figure. */
export function nodeStart() {
  settleDisk();
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return performance.now() - started;
}
