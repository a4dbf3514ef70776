// First install, no-op rerun and one-part-changed rerun of 1,000 and 5,000
// parts of a trivial file-writing recipe, each a real `buildout` process, as
// wall-clock ms against bare Node start-up. Other work on the machine only
// ever adds wall-clock time, so wall figures are the best of several runs;
// CPU time (reported by bench/cpu-report.cjs) is given too, as medians.
// Target: a no-op rerun of 1,000 parts within 150 ms of `node -e 0`, and
// linear growth (5,000/1,000 about 5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const BIN = fileURLToPath(new URL('../packages/cli/bin.js', import.meta.url));
const SIZES = [1000, 5000];
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const NOOP_TARGET_MS = 150;

const RECIPE = `import { writeFileSync } from 'node:fs';
export default {
  install(part) {
    const file = 'parts/' + part.name + '.txt';
    writeFileSync(file, part.options.text);
    return [file];
  },
  update() {},
};
`;

function config(size, changed) {
  let text = '[buildout]\nparts =';
  for (let index = 0; index < size; index += 1) text += ` p${index}`;
  text += '\n';
  for (let index = 0; index < size; index += 1) {
    text += `\n[p${index}]\nrecipe = ./recipes/write.mjs\ntext = part ${index}${index === 0 ? ` change ${changed}` : ''}\n`;
  }
  return text;
}

const CPU_REPORT = fileURLToPath(new URL('./cpu-report.cjs', import.meta.url));

/** Wall-clock and CPU ms of one process. */
function timed(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['-r', CPU_REPORT, ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: cwd },
  });
  const wall = performance.now() - started;
  const stderr = result.stderr.toString();
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed in ${cwd}:\n${stderr}`);
  const cpu = Number(/bench-cpu-us (\d+)/.exec(stderr)?.[1]) / 1000;
  return { wall, cpu };
}

const best = (values) => Math.min(...values);

function project(size) {
  const root = mkdtempSync(join(tmpdir(), `buildout-bench-${size}-`));
  mkdirSync(join(root, 'recipes'));
  mkdirSync(join(root, 'parts'));
  writeFileSync(join(root, 'recipes/write.mjs'), RECIPE);
  writeFileSync(join(root, 'buildout.cfg'), config(size, 0));
  return root;
}

// Every measured run is paired with a `node -e 0` run just before it, so the
// baseline sees the same machine.
const startups = [];
function measure(args, cwd) {
  startups.push(timed(['-e', '0'], tmpdir()));
  return timed(args, cwd);
}

const empty = project(0);
const emptyRuns = Array.from({ length: REPEAT }, () => measure([BIN], empty));
rmSync(empty, { recursive: true, force: true });

const results = new Map();
for (const size of SIZES) {
  const runs = { first: [], noop: [], changed: [] };
  let root;
  for (let run = 0; run < REPEAT; run += 1) {
    if (root) rmSync(root, { recursive: true, force: true });
    root = project(size);
    runs.first.push(measure([BIN], root));
  }
  for (let run = 0; run < REPEAT; run += 1) runs.noop.push(measure([BIN], root));
  for (let run = 0; run < REPEAT; run += 1) {
    writeFileSync(join(root, 'buildout.cfg'), config(size, run + 1));
    runs.changed.push(measure([BIN], root));
  }
  const state = readFileSync(join(root, '.installed.cfg'), 'utf8');
  if (!state.includes(`[p${size - 1}]`) || !state.includes(`change ${REPEAT}`)) throw new Error('the parts are not recorded as expected');
  rmSync(root, { recursive: true, force: true });
  results.set(size, runs);
}

/** The best wall-clock time (other work only ever adds to it) and the median CPU time. */
function summary(samples) {
  return { wall: best(samples.map((sample) => sample.wall)), cpu: median(samples.map((sample) => sample.cpu)) };
}

const node = summary(startups);
const none = summary(emptyRuns);
const figures = SIZES.map((size) => {
  const runs = results.get(size);
  return { first: summary(runs.first), noop: summary(runs.noop), changed: summary(runs.changed) };
});
const cell = (value, width) => value.toFixed(0).padStart(width);

function table(kind, title) {
  const [small, large] = figures;
  console.log(`${title}: node -e 0 ${node[kind].toFixed(0)} ms, buildout with no parts ${none[kind].toFixed(0)} ms`);
  console.log('');
  console.log('| run              | 1,000 ms | 5,000 ms | 5,000/1,000 | (5,000-0)/(1,000-0) parts | 1,000 over node |');
  console.log('| ---------------- | -------: | -------: | ----------: | ------------------------: | --------------: |');
  for (const [name, key] of [
    ['first install', 'first'],
    ['no-op rerun', 'noop'],
    ['one part changed', 'changed'],
  ]) {
    const a = small[key][kind];
    const b = large[key][kind];
    console.log(
      `| ${name.padEnd(16)} | ${cell(a, 8)} | ${cell(b, 8)} | ${(b / a).toFixed(2).padStart(11)} | ${((b - none[kind]) / (a - none[kind])).toFixed(2).padStart(25)} | ${cell(a - node[kind], 15)} |`,
    );
  }
  console.log('');
}

table('wall', `Wall-clock ms, best of ${REPEAT} runs`);
table('cpu', `CPU ms (user + system, all threads), median of ${REPEAT} runs`);
console.log('(5,000-0)/(1,000-0): time above a buildout without parts, 5,000 parts over 1,000; 5.00 is exactly linear growth.');
const over = figures[0].noop.wall - node.wall;
console.log(
  `no-op rerun of 1,000 parts: ${over.toFixed(0)} ms (wall) over node start-up (target < ${NOOP_TARGET_MS} ms): ${over < NOOP_TARGET_MS ? 'met' : 'NOT MET'}`,
);
