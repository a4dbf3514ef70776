// Issue 12's synthetic buildout (packages/cli/scripts/synthetic-buildout.mjs,
// which the code-cache training also runs: N parts on one macro, each
// referring to the previous one, with `port +=` and a multi-line value). Resolve (`annotate --json`), first install and
// no-op rerun, each a real `buildout` process, for N = 100, 1,000 and 5,000,
// as wall-clock medians beside `node -e 0` measured in the same run (each
// measured run is paired with one of it), plus the peak memory (maxRSS) of
// the no-op rerun and a check that 20,000 parts still work.
//   BENCH_RUNS (default 5), BENCH_SIZES (default 100,1000,5000), BENCH_HUGE (default 20000; 0 skips it),
//   BENCH_BIN (another build's packages/cli/bin.js, to compare), or BENCH_BINS=name=path,name=path,...
//   (several builds measured in the same runs, interleaved, for before/after figures on the same machine;
//   the targets are checked for the last one; BENCH_HUGE runs only the last)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeSyntheticBuildout } from '../packages/cli/scripts/synthetic-buildout.mjs';
import { diskFloor, settleDisk } from './disk.mjs';
import { inTurn, median } from './stats.mjs';

const BUILDS = (
  process.env.BENCH_BINS ?? `this build=${process.env.BENCH_BIN ?? fileURLToPath(new URL('../packages/cli/bin.js', import.meta.url))}`
)
  .split(',')
  .map((entry) => ({ name: entry.slice(0, entry.indexOf('=')), bin: entry.slice(entry.indexOf('=') + 1) }));
const BIN = BUILDS.at(-1).bin;
const REPORT = fileURLToPath(new URL('./cpu-report.cjs', import.meta.url));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const HUGE = Number(process.env.BENCH_HUGE ?? 20000);

/** Targets of issue 12, in ms of wall-clock time including Node start-up (MB for memory). */
const TARGETS = {
  'resolve 1000': 150,
  'resolve 5000': 300,
  'no-op rerun 1000': 150,
  'no-op rerun 5000': 450,
  'first install 1000': 630,
  'no-op rerun peak MB 1000': 80,
};

function project(size) {
  const root = mkdtempSync(join(tmpdir(), `buildout-bench-synthetic-${size}-`));
  writeSyntheticBuildout(root, size);
  return root;
}

/** Wall-clock ms and peak memory (MB) of one process. */
function run(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-r', REPORT, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: cwd },
    maxBuffer: 1 << 30,
  });
  const wall = performance.now() - started;
  const stderr = result.stderr.toString();
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed in ${cwd}:\n${stderr.slice(0, 2000)}`);
  const rss = Number(/bench-maxrss-kb (\d+)/.exec(stderr)?.[1]) / 1024;
  return { wall, rss };
}

// Every measured run is paired with a `node -e 0` run just before it, so the baseline sees the same machine.
const startups = [];
function measure(args, cwd) {
  startups.push(run(['-e', '0'], tmpdir()));
  return run(args, cwd);
}

// figures.get(build name).get(size): the medians; each run index measures every build in turn.
const figures = new Map(BUILDS.map((build) => [build.name, new Map()]));
const floors = new Map(SIZES.map((size) => [size, []]));
for (const size of SIZES) {
  const samples = new Map(BUILDS.map((build) => [build.name, { resolve: [], first: [], noop: [] }]));
  const root = project(size);
  for (let index = 0; index < RUNS; index += 1) {
    for (const { name, bin } of inTurn(BUILDS, index)) samples.get(name).resolve.push(measure([bin, '-U', 'annotate', '--json'], root));
  }
  // Each first install in a fresh copy, with the disk settled: removing the previous run's thousands of
  // files right before it would measure the file system's discards, not the install. Beside it, the floor:
  // a plain script making the same folders and files, in a fresh folder too (this disk's speed varies by
  // the minute: 1,000 of them took from 55 ms to over a second).
  const installed = new Map(BUILDS.map((build) => [build.name, []]));
  for (let index = 0; index < RUNS; index += 1) {
    for (const { name, bin } of inTurn(BUILDS, index)) {
      installed.get(name).push(project(size));
      settleDisk();
      samples.get(name).first.push(measure([bin, '-U'], installed.get(name).at(-1)));
    }
    floors.get(size).push(diskFloor(size, 'parts/p{i}/run.sh', 100));
  }
  settleDisk();
  for (let index = 0; index < RUNS; index += 1) {
    for (const { name, bin } of inTurn(BUILDS, index)) samples.get(name).noop.push(measure([bin, '-U'], installed.get(name).at(-1)));
  }
  for (const { name } of BUILDS) {
    const last = installed.get(name).at(-1);
    if (!existsSync(join(last, `parts/p${size - 1}/run.sh`))) throw new Error(`${name}, ${size} parts: the last part was not installed`);
    const of = samples.get(name);
    figures.get(name).set(size, {
      resolve: median(of.resolve.map((sample) => sample.wall)),
      first: median(of.first.map((sample) => sample.wall)),
      noop: median(of.noop.map((sample) => sample.wall)),
      noopRss: median(of.noop.map((sample) => sample.rss)),
    });
  }
  for (const folder of [root, ...[...installed.values()].flat()]) rmSync(folder, { recursive: true, force: true });
  settleDisk();
}
const node = median(startups.map((sample) => sample.wall));
const nodeRss = median(startups.map((sample) => sample.rss));

const rows = [
  ['resolve (annotate --json)', 'resolve', 'ms'],
  ['first install', 'first', 'ms'],
  ['no-op rerun', 'noop', 'ms'],
  ['no-op rerun peak memory', 'noopRss', 'MB'],
];
const cell = (text, width) => String(text).padStart(width);
const header = SIZES.map((size) => cell(size.toLocaleString('en'), 8)).join(' | ');
console.log(
  `Synthetic buildout, medians of ${RUNS} runs; node -e 0: ${node.toFixed(1)} ms, ${nodeRss.toFixed(0)} MB (median of ${startups.length})`,
);
for (const { name } of BUILDS) {
  const of = figures.get(name);
  console.log('');
  if (BUILDS.length > 1) console.log(`${name}:`);
  console.log(`| figure                    | ${header} | 5,000/1,000 |`);
  console.log(`| ------------------------- | ${SIZES.map(() => '-------:').join(' | ')} | ----------: |`);
  for (const [title, key, unit] of rows) {
    const values = SIZES.map((size) => cell(`${of.get(size)[key].toFixed(0)} ${unit}`, 8));
    const ratio = of.has(1000) && of.has(5000) ? (of.get(5000)[key] / of.get(1000)[key]).toFixed(2) : '-';
    console.log(`| ${title.padEnd(25)} | ${values.join(' | ')} | ${cell(ratio, 11)} |`);
  }
}
console.log('');
console.log(
  `Disk floor (N mkdir + write by a plain node script, median, node start-up included): ${SIZES.map((size) => `${size.toLocaleString('en')}: ${median(floors.get(size)).toFixed(0)} ms`).join(', ')}`,
);
console.log('');

const checks = [];
const check = (name, value, target, unit = 'ms') =>
  checks.push(
    `${value <= target ? 'met    ' : 'NOT MET'} ${name}: ${value.toFixed(value < 10 ? 2 : 0)} ${unit} (target <= ${target} ${unit})`,
  );
const measured = figures.get(BUILDS.at(-1).name);
const at = (size, key) => measured.get(size)?.[key];
if (BUILDS.length > 1) console.log(`targets, for ${BUILDS.at(-1).name}:`);
if (measured.has(1000)) {
  check('resolve of 1,000 parts', at(1000, 'resolve'), TARGETS['resolve 1000']);
  check('no-op rerun of 1,000 parts', at(1000, 'noop'), TARGETS['no-op rerun 1000']);
  check('first install of 1,000 parts', at(1000, 'first'), TARGETS['first install 1000']);
  check('peak memory of the 1,000-part no-op rerun', at(1000, 'noopRss'), TARGETS['no-op rerun peak MB 1000'], 'MB');
}
if (measured.has(5000)) {
  check('resolve of 5,000 parts', at(5000, 'resolve'), TARGETS['resolve 5000']);
  check('no-op rerun of 5,000 parts', at(5000, 'noop'), TARGETS['no-op rerun 5000']);
}
if (measured.has(100)) check('100-part resolve / node -e 0', at(100, 'resolve') / node, 2, 'x');
if (measured.has(1000) && measured.has(5000)) {
  for (const [title, key] of rows) check(`${title}, 5,000/1,000`, at(5000, key) / at(1000, key), 5.5, 'x');
}
for (const line of checks) console.log(line);

if (HUGE > 0) {
  const root = project(HUGE);
  settleDisk();
  const first = run([BIN, '-U'], root);
  const noop = run([BIN, '-U'], root);
  const resolve = run([BIN, '-U', 'annotate', '--json'], root);
  const works = existsSync(join(root, `parts/p${HUGE - 1}/run.sh`));
  rmSync(root, { recursive: true, force: true });
  console.log('');
  console.log(
    `${HUGE.toLocaleString('en')} parts (one run each): resolve ${resolve.wall.toFixed(0)} ms, first install ${first.wall.toFixed(0)} ms ` +
      `(${first.rss.toFixed(0)} MB), no-op rerun ${noop.wall.toFixed(0)} ms (${noop.rss.toFixed(0)} MB): ${works ? 'works' : 'BROKEN'}`,
  );
  if (!works) process.exitCode = 1;
}
