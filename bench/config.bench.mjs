// Resolving a 1,000-part buildout.cfg with macros and chained references,
// measured as whole CLI runs (`annotate --json`) against bare Node start-up.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const PARTS = Number(process.env.BENCH_PARTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const bin = fileURLToPath(new URL('../packages/cli/bin.js', import.meta.url));

function config(parts) {
  const lines = ['[buildout]', `parts = ${Array.from({ length: parts }, (_, i) => `part${i}`).join(' ')}`, 'base-port = 8000', ''];
  lines.push(
    '[macro]',
    'recipe = bench-recipe',
    'host = localhost',
    'address = ${:host}:${:port}',
    'name = ${:_buildout_section_name_}',
    'log = ${buildout:directory}/var/${:name}.log',
    '',
  );
  for (let i = 0; i < parts; i++) {
    lines.push(`[part${i}]`, '<= macro', `port = ${8000 + i}`);
    // a chain 1,000 references deep: each part's root is the previous part's root
    lines.push(i === 0 ? 'root = ${buildout:directory}' : `root = \${part${i - 1}:root}`);
    lines.push(i === 0 ? 'upstream =' : `upstream = \${part${i - 1}:address}`, '');
  }
  return `${lines.join('\n')}\n`;
}

function time(args) {
  const samples = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`);
  }
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'buildout-bench-config-'));
try {
  const file = join(dir, 'buildout.cfg');
  writeFileSync(file, config(PARTS));
  const node = time(['-e', '0']);
  const resolve = time([bin, '-U', '-c', file, 'annotate', '--json']);
  console.log(`config: ${PARTS} parts with macros and chained references (median of ${RUNS} runs)`);
  console.log(`  node start-up            ${node.toFixed(1)} ms`);
  console.log(`  buildout annotate --json ${resolve.toFixed(1)} ms  (${(resolve - node).toFixed(1)} ms over node start-up)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
