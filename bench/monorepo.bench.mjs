// A 200-package synthetic pnpm workspace built by a `workspace` part: the
// no-op rerun (every package's inputs hashed, nothing built) as a real
// `buildout` process, wall-clock ms (median), against bare Node start-up.
// Also shown: the same rerun with the hash cache deleted (every input file
// read again), and a rerun after editing one leaf package.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../packages/cli/bin.js', import.meta.url));
const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 200);
const FILES_PER_PACKAGE = 8;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 7);

const BUILD = `import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
writeFileSync('dist/index.js', readdirSync('src').map((file) => readFileSync('src/' + file, 'utf8')).join('\\n'));
`;

/** Package i depends on i-1 (in chains of 10) and on i/2: a graph with both depth and fan-in. */
function dependenciesOf(index) {
  const names = [];
  if (index % 10 !== 0) names.push(`p${index - 1}`);
  if (index > 1 && Math.floor(index / 2) !== index - 1) names.push(`p${Math.floor(index / 2)}`);
  return names;
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

function run(args, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: cwd },
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed in ${cwd}:\n${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const root = workspace();
try {
  const first = run([BIN, '-q', '-j', '2'], root);
  const expectedNoop = new RegExp(`: ${PACKAGES + 1} updated\\n$`);
  const startups = [];
  const noops = [];
  const cold = [];
  const edited = [];
  const cache = join(root, 'parts/.command-inputs.json');
  for (let index = 0; index < REPEAT; index += 1) {
    startups.push(run(['-e', '0'], root).ms);
    const noop = run([BIN, '-q'], root);
    if (!expectedNoop.test(noop.stdout)) throw new Error(`the no-op rerun was not one: ${noop.stdout}`);
    noops.push(noop.ms);
  }
  for (let index = 0; index < REPEAT; index += 1) {
    rmSync(cache);
    cold.push(run([BIN, '-q'], root).ms);
  }
  for (let index = 0; index < REPEAT; index += 1) {
    // The last package is a leaf: only it is rebuilt.
    writeFileSync(join(root, `packages/p${PACKAGES - 1}/src/module0.js`), `export const edit = ${index};\n`);
    const result = run([BIN, '-q'], root);
    if (!/: 1 installed/.test(result.stdout)) throw new Error(`expected one package rebuilt: ${result.stdout}`);
    edited.push(result.ms);
  }
  const node = median(startups);
  const noop = median(noops);
  const entries = Object.keys(JSON.parse(readFileSync(cache, 'utf8')).files).length;
  console.log(`monorepo: ${PACKAGES} packages x ${FILES_PER_PACKAGE} input files, -q (median of ${REPEAT} runs)`);
  console.log(`  node start-up                       ${node.toFixed(0)} ms`);
  console.log(`  first build (-j 2, not repeated)    ${first.ms.toFixed(0)} ms`);
  console.log(
    `  no-op rerun                         ${noop.toFixed(0)} ms  (${(noop - node).toFixed(0)} ms over node start-up; ${entries} files hashed from the cache)`,
  );
  console.log(`  no-op rerun, hash cache deleted     ${median(cold).toFixed(0)} ms  (every input file read)`);
  console.log(`  rerun after editing one leaf        ${median(edited).toFixed(0)} ms  (one package rebuilt)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
