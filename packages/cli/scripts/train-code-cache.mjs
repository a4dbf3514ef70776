// Writes dist/buildout.cache, V8's code cache of the bundle (see
// src/bundle-loader.ts): runs the commands people run most on a small
// buildout of the usual shape (synthetic-buildout.mjs: macros, references
// between parts, a local recipe), in this process and under the V8 flags that
// loading the bundle sets (as in every run), then saves the bytecode of every
// function they compiled. Run by bundle.mjs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { syntheticConfig, writeSyntheticBuildout } from './synthetic-buildout.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const loader = await import(`${dist}bundle-loader.js`);
const { main } = await import(`${dist}buildout.mjs`);

// A fresh sink per run: main listens for errors on the streams it is given.
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const run = async (...argv) => {
  const code = await main(argv, { cwd: directory, stdout: discard(), stderr: discard() });
  if (code !== 0) throw new Error(`buildout ${argv.join(' ')} exited with ${code} in ${directory}`);
};
let directory;
try {
  directory = mkdtempSync(join(tmpdir(), 'buildout-train-'));
  writeSyntheticBuildout(directory, 40, 8000);
  await run('annotate', '--json');
  await run('annotate');
  await run('plan');
  await run('install'); // the first install
  await run('install'); // the no-op rerun
  writeFileSync(join(directory, 'buildout.cfg'), syntheticConfig(30, 9000));
  await run('plan');
  await run('install'); // reinstalls and removals
  writeFileSync(join(dist, 'buildout.cache'), loader.createCodeCache());
} catch (error) {
  console.error(`train-code-cache: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (directory) rmSync(directory, { recursive: true, force: true });
}
