// No-op rerun of a buildout whose recipe package came from an npm registry
// (verdaccio, fetched into eggs/ at the first run) against the same buildout
// with the same recipe as a local module, each a real `buildout` process.
// The registry is stopped before the reruns: a rerun that asked it anything
// would fail, so every measured rerun made no network request.
// Target: the registry recipe's no-op rerun within 10 ms of the local one's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { recipePackage, startRegistry } from '../test/eggs/registry.mjs';
import { median } from './stats.mjs';

const BIN = fileURLToPath(new URL('../packages/cli/bin.js', import.meta.url));
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const PARTS = 20;
const TARGET_MS = 10;

const registry = await startRegistry();
const roots = [];
try {
  const files = recipePackage('bench-recipe', '1.0.0');
  await registry.publish(files);

  const project = (recipe, extra = []) => {
    const root = mkdtempSync(join(tmpdir(), 'buildout-bench-registry-'));
    roots.push(root);
    mkdirSync(join(root, 'recipes'));
    writeFileSync(join(root, 'recipes/write.mjs'), files['recipe.js']);
    let text = `[buildout]\nparts =${Array.from({ length: PARTS }, (_, index) => ` p${index}`).join('')}\n${extra.join('\n')}\n`;
    for (let index = 0; index < PARTS; index += 1) text += `\n[p${index}]\nrecipe = ${recipe}\ntext = part ${index}\n`;
    writeFileSync(join(root, 'buildout.cfg'), text);
    return root;
  };
  const local = project('./recipes/write.mjs');
  const fetched = project('bench-recipe', [`index = ${registry.url}`, '', '[versions]', 'bench-recipe = 1.0.0']);

  const timed = (root) => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [BIN, '-U'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...registry.env, HOME: root },
    });
    const wall = performance.now() - started;
    if (result.status !== 0) throw new Error(`buildout failed in ${root}:\n${result.stdout}\n${result.stderr}`);
    return { wall, stdout: result.stdout };
  };

  timed(local);
  const first = timed(fetched);
  if (!/^Got bench-recipe 1\.0\.0 /m.test(first.stdout)) throw new Error(`the first run did not fetch the recipe:\n${first.stdout}`);
  if (!readFileSync(join(fetched, '.installed.cfg'), 'utf8').includes('bench-recipe@1.0.0'))
    throw new Error('the signature lacks bench-recipe@1.0.0');
  await registry.stop();

  // Alternate the two, so that both see the same machine.
  const runs = { local: [], fetched: [] };
  for (let run = 0; run < REPEAT; run += 1) {
    runs.local.push(timed(local).wall);
    const rerun = timed(fetched);
    if (/^Got /m.test(rerun.stdout)) throw new Error(`a no-op rerun fetched:\n${rerun.stdout}`);
    runs.fetched.push(rerun.wall);
  }
  const best = (values) => Math.min(...values);
  console.log(`No-op rerun of ${PARTS} parts, wall-clock ms (best / median of ${REPEAT}); the registry stopped, so no request was made:`);
  console.log('');
  console.log('| recipe                             | best | median |');
  console.log('| ---------------------------------- | ---: | -----: |');
  console.log(
    `| local module (./recipes/write.mjs) | ${best(runs.local).toFixed(0).padStart(4)} | ${median(runs.local).toFixed(0).padStart(6)} |`,
  );
  console.log(
    `| from the registry, in eggs/        | ${best(runs.fetched).toFixed(0).padStart(4)} | ${median(runs.fetched).toFixed(0).padStart(6)} |`,
  );
  console.log('');
  const over = best(runs.fetched) - best(runs.local);
  const overMedian = median(runs.fetched) - median(runs.local);
  console.log(
    `registry recipe over local recipe: ${over.toFixed(1)} ms best, ${overMedian.toFixed(1)} ms median (target < ${TARGET_MS} ms): ${over < TARGET_MS ? 'met' : 'NOT MET'}`,
  );
} finally {
  await registry.close();
  for (const root of roots) rmSync(root, { recursive: true, force: true });
}
