// First install, no-op rerun and one-part-changed rerun of 1,000 and 5,000
// parts of a trivial file-writing recipe, each a real `buildout` process, as
// wall-clock ms (median of several runs), against bare Node start-up.
// Target: a no-op rerun of 1,000 parts within 150 ms of `node -e 0`, and
// linear growth (5,000/1,000 about 5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

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

function timed(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: cwd } });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed in ${cwd}:\n${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function project(size) {
  const root = mkdtempSync(join(tmpdir(), `buildout-bench-${size}-`));
  mkdirSync(join(root, 'recipes'));
  mkdirSync(join(root, 'parts'));
  writeFileSync(join(root, 'recipes/write.mjs'), RECIPE);
  writeFileSync(join(root, 'buildout.cfg'), config(size, 0));
  return root;
}

// The machine may be busy with other work: every measured run is paired with
// a `node -e 0` run just before it, and medians are taken of both.
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
  const first = [];
  let root;
  for (let run = 0; run < REPEAT; run += 1) {
    if (root) rmSync(root, { recursive: true, force: true });
    root = project(size);
    first.push(measure([BIN], root));
  }
  const noop = Array.from({ length: REPEAT }, () => measure([BIN], root));
  const changed = Array.from({ length: REPEAT }, (_, run) => {
    writeFileSync(join(root, 'buildout.cfg'), config(size, run + 1));
    return measure([BIN], root);
  });
  const state = readFileSync(join(root, '.installed.cfg'), 'utf8');
  if (!state.includes(`[p${size - 1}]`) || !state.includes(`change ${REPEAT}`)) throw new Error('the parts are not recorded as expected');
  rmSync(root, { recursive: true, force: true });
  results.set(size, { first: median(first), noop: median(noop), changed: median(changed) });
}

const baseline = median(startups);
const emptyMs = median(emptyRuns);
const [small, large] = SIZES.map((size) => results.get(size));
const cell = (value, width) => value.toFixed(0).padStart(width);
const row = (name, key) =>
  `| ${name.padEnd(16)} | ${cell(small[key], 8)} | ${cell(large[key], 8)} | ${(large[key] / small[key]).toFixed(2).padStart(11)} | ${((large[key] - emptyMs) / (small[key] - emptyMs)).toFixed(2).padStart(22)} | ${cell(small[key] - baseline, 13)} |`;
console.log(`node -e 0 (start-up baseline): ${baseline.toFixed(0)} ms; buildout with no parts: ${emptyMs.toFixed(0)} ms; medians of ${REPEAT} runs`);
console.log('');
console.log('| run              | 1,000 ms | 5,000 ms | 5,000/1,000 | (5,000-0)/(1,000-0) parts | 1,000 over node |');
console.log('| ---------------- | -------: | -------: | ----------: | ----------------------: | --------------: |'.replace('----------------------:', '-------------------------:'));
console.log(row('first install', 'first'));
console.log(row('no-op rerun', 'noop'));
console.log(row('one part changed', 'changed'));
const over = small.noop - baseline;
console.log('');
console.log('(5,000-0)/(1,000-0): time above a buildout without parts; 5.00 is exactly linear growth.');
console.log(`no-op rerun of 1,000 parts: ${over.toFixed(0)} ms over node start-up (target < ${NOOP_TARGET_MS} ms): ${over < NOOP_TARGET_MS ? 'met' : 'NOT MET'}`);
