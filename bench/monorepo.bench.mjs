// A 200-package synthetic pnpm workspace built by a `workspace` part, as a
// real `buildout -j 2` process, wall-clock ms (median): cold build, no-op
// rerun, one leaf edited, the package with the most dependents edited, every
// output removed (restored from the output cache), and an edit reverted
// (restored from the output cache). The two cached scenarios are meant to
// stay within 1.5x of the no-op rerun.
//
// Every measured run starts after `sync`: on a disk mounted with `discard`
// (or any disk busy writing back), the setup's own deletions and writes (rm of
// every dist, the unmeasured build before a revert) would otherwise be paid
// by whichever run comes next, making the figures depend on the setup more
// than on buildout.
//
// BENCH_BINS=name=path,name=path (other builds' packages/cli/bin.js) measures
// several builds in the same runs, interleaved, each in a workspace of its
// own, for before/after figures on the same machine; the target is checked
// for the last one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { diskFloor, nodeStart, settleDisk } from './disk.mjs';
import { inTurn, median } from './stats.mjs';

const BUILDS = (process.env.BENCH_BINS ?? `this build=${fileURLToPath(new URL('../packages/cli/bin.js', import.meta.url))}`)
  .split(',')
  .map((entry) => ({ name: entry.slice(0, entry.indexOf('=')), bin: entry.slice(entry.indexOf('=') + 1) }));
const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 200);
const FILES_PER_PACKAGE = 8;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 5);
const REPEAT_BUILDS = Number(process.env.BENCH_REPEAT_BUILDS ?? 3);
const JOBS = ['-j', '2'];

const BUILD = `import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
writeFileSync('dist/index.js', readdirSync('src').map((file) => readFileSync('src/' + file, 'utf8')).join('\\n'));
console.log('built');
`;

/** Package i depends on i-1 (in chains of 10) and on i/2: a graph with both depth and fan-in. */
function dependenciesOf(index) {
  const names = [];
  if (index % 10 !== 0) names.push(`p${index - 1}`);
  if (index > 1 && Math.floor(index / 2) !== index - 1) names.push(`p${Math.floor(index / 2)}`);
  return names;
}

/** How many packages depend on each, directly or not. */
function dependentCounts() {
  const dependents = Array.from({ length: PACKAGES }, () => new Set());
  for (let index = PACKAGES - 1; index >= 0; index -= 1) {
    for (const name of dependenciesOf(index)) {
      const dependency = Number(name.slice(1));
      dependents[dependency].add(index);
      for (const further of dependents[index]) dependents[dependency].add(further);
    }
  }
  return dependents.map((set) => set.size);
}

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'buildout-bench-monorepo-'));
  const files = [];
  const write = (path, content) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
    files.push(join(root, path));
  };
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  write('package.json', JSON.stringify({ name: 'bench', private: true }));
  write('tools/build.mjs', BUILD);
  write(
    'buildout.cfg',
    '[buildout]\nparts = packages\n\n[packages]\nrecipe = workspace\noutputs = dist\nrunner = node ../../tools/build.mjs\n',
  );
  for (let index = 0; index < PACKAGES; index += 1) {
    const name = `p${index}`;
    const dependencies = Object.fromEntries(dependenciesOf(index).map((dependency) => [dependency, 'workspace:*']));
    write(
      `packages/${name}/package.json`,
      JSON.stringify({ name, private: true, scripts: { build: 'node ../../tools/build.mjs' }, dependencies }),
    );
    for (let file = 0; file < FILES_PER_PACKAGE - 1; file += 1) {
      write(`packages/${name}/src/module${file}.js`, `export const value${file} = ${JSON.stringify(`${name}:${file}`.repeat(40))};\n`);
    }
  }
  // As in a checkout made a while ago: the hash cache trusts files not modified in the last seconds.
  const past = new Date(Date.now() - 60_000);
  for (const file of files) utimesSync(file, past, past);
  return root;
}

function run({ root, bin }, expected, measured = true) {
  if (measured) settleDisk();
  const started = performance.now();
  const result = spawnSync(process.execPath, [bin, ...JOBS], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // The same minimal environment every time.
    env: { PATH: process.env.PATH, HOME: root },
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`buildout failed in ${root}:\n${result.stderr}`);
  if (expected && !expected.test(result.stdout)) throw new Error(`unexpected summary (wanted ${expected}): ${result.stdout}`);
  return ms;
}

const loadBefore = loadavg()[0];
/** One workspace per build: a build's state and cache are its own. */
const setups = BUILDS.map((build) => ({ ...build, root: workspace() }));
/** `body(setup, index)` for every build, `count` times, the builds interleaved: a list of ms per build. */
const times = (count, body) => {
  const results = setups.map(() => []);
  for (let index = 0; index < count; index += 1) {
    for (const setup of inTurn(setups, index)) results[setups.indexOf(setup)].push(body(setup, index));
  }
  return results;
};
const source = (root, index) => join(root, `packages/p${index}/src/module0.js`);
const original = (index) => `export const value0 = ${JSON.stringify(`p${index}:0`.repeat(40))};\n`;
const removeOutputs = (root) => {
  for (const name of readdirSync(join(root, 'packages'))) rmSync(join(root, 'packages', name, 'dist'), { recursive: true, force: true });
};
const counts = dependentCounts();
const rootIndex = counts.indexOf(Math.max(...counts));
const leafIndex = counts.lastIndexOf(0);
try {
  const cold = times(REPEAT_BUILDS, (setup) => {
    for (const state of ['.installed.cfg', 'parts', '.buildout-cache']) rmSync(join(setup.root, state), { recursive: true, force: true });
    removeOutputs(setup.root);
    return run(setup, new RegExp(`: ${PACKAGES} built\\n$`));
  });
  const noop = times(REPEAT, (setup) => run(setup, new RegExp(`: ${PACKAGES} unchanged\\n$`)));
  const leaf = times(REPEAT, (setup, index) => {
    writeFileSync(source(setup.root, leafIndex), `export const leaf = ${index};\n`);
    return run(setup, /: 1 built, /);
  });
  const rootEdit = times(REPEAT_BUILDS, (setup, index) => {
    writeFileSync(source(setup.root, rootIndex), `export const root = ${index};\n`);
    return run(setup, new RegExp(`: ${counts[rootIndex] + 1} built\\b`));
  });
  for (const setup of setups) {
    writeFileSync(source(setup.root, rootIndex), original(rootIndex));
    writeFileSync(source(setup.root, leafIndex), original(leafIndex));
    run(setup, undefined, false);
  }
  // Beside the restores, what the disk itself takes (it varies by the minute here): a plain script
  // making the same folders and one file in each, in a fresh folder, and Node's own start.
  const floor = [];
  const started = [];
  const removed = times(REPEAT, (setup) => {
    removeOutputs(setup.root);
    const ms = run(setup, new RegExp(`: ${PACKAGES} restored from cache \\(${PACKAGES} local, 0 remote\\)\\n$`));
    if (setup === setups.at(-1)) {
      floor.push(diskFloor(PACKAGES, 'p{i}/dist/index.js', 4000));
      started.push(nodeStart());
    }
    return ms;
  });
  const reverted = times(REPEAT, (setup, index) => {
    writeFileSync(source(setup.root, rootIndex), `export const reverted = ${index};\n`);
    run(setup, undefined, false);
    writeFileSync(source(setup.root, rootIndex), original(rootIndex));
    return run(setup, new RegExp(`: ${counts[rootIndex] + 1} restored from cache`));
  });

  const named = setups.length > 1;
  /** Each build's median (for the cached scenarios also its ratio to that build's no-op); the target is checked for the last build. */
  const line = (label, results, note = '', cached = false) => {
    const ratio = (build) => median(results[build]) / median(noop[build]);
    const cells = results.map((values, build) => {
      const ms = `${median(values).toFixed(0).padStart(6)} ms`;
      if (!named) return ms;
      return `${setups[build].name}: ${ms}${cached ? ` (${ratio(build).toFixed(2)}x)` : ''}`;
    });
    const last = ratio(results.length - 1);
    const verdict = `target <= 1.5x${last <= 1.5 ? '' : ' MISSED'}`;
    const target = cached
      ? named
        ? `  (${verdict} for ${setups.at(-1).name})`
        : `  (${last.toFixed(2)}x the no-op rerun; ${verdict})`
      : '';
    console.log(`  ${label.padEnd(36)} ${cells.join('   ')}${note}${target}`);
  };
  console.log(
    `monorepo: ${PACKAGES} packages x ${FILES_PER_PACKAGE} input files, ${JOBS.join(' ')}, median of ${REPEAT} (builds: ${REPEAT_BUILDS}), ` +
      `sync before each measured run, load average ${loadBefore.toFixed(2)} -> ${loadavg()[0].toFixed(2)}` +
      (named ? `; builds interleaved: ${setups.map((setup) => setup.name).join(', ')}` : ''),
  );
  line('cold build (empty cache)', cold, `  (${PACKAGES} built)`);
  line('no-op rerun', noop);
  line('one leaf edited', leaf, '  (1 built)');
  line(`root edited (p${rootIndex})`, rootEdit, `  (${counts[rootIndex] + 1} built)`);
  line('every output removed', removed, `  (${PACKAGES} restored)`, true);
  console.log(
    `  ${''.padEnd(36)} (the disk meanwhile: ${PACKAGES} folders with a file made by a plain node script ${median(floor).toFixed(0)} ms, node -e 0 ${median(started).toFixed(0)} ms)`,
  );
  line('root edited, built, edit reverted', reverted, `  (${counts[rootIndex] + 1} restored)`, true);
} finally {
  if (process.env.BENCH_KEEP) {
    for (const setup of setups) console.log(setup.root);
    process.exit(0);
  }
  for (const setup of setups) rmSync(setup.root, { recursive: true, force: true });
}
