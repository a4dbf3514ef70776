// Writes dist/buildout.cache, V8's code cache of the bundle (see
// src/bundle-loader.ts): runs the commands people run most on a small
// buildout of the usual shape (macros, references between parts, a local
// recipe), in this process and under the flags bin.js sets, then saves the
// bytecode of every function they compiled. Run by bundle.mjs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const loader = await import(`${dist}bundle-loader.js`);
loader.tuneV8ForShortRun();
const { main } = await import(`${dist}buildout.mjs`);

const RECIPE = `import { mkdirSync, writeFileSync } from 'node:fs';
export default {
  install(part) {
    mkdirSync(part.options.location, { recursive: true });
    writeFileSync(part.options.location + '/run.sh', part.options.script + '\\n');
    return [part.options.location];
  },
  update() {},
};
`;

function config(parts, port) {
  let text = `[buildout]\nparts = ${Array.from({ length: parts }, (_, index) => `p${index}`).join(' ')}\n\n`;
  text += `[base]\nrecipe = ./recipe.mjs\nroot = \${buildout:directory}/parts\nport = ${port}\nlocation = \${:root}/\${:_buildout_section_name_}\n`;
  for (let index = 0; index < parts; index += 1) {
    text += `\n[p${index}]\n<= base\npath = \${base:root}/p${index}\n`;
    text += `dep = ${index === 0 ? '${buildout:directory}' : `\${p${index - 1}:path}`}\n`;
    text += `port += ${index}\nscript =\n    cd \${:path}\n    \${buildout:bin-directory}/serve --port \${:port} --after \${:dep}\n`;
  }
  return text;
}

// A fresh sink per run: main listens for errors on the streams it is given.
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const run = async (...argv) => {
  const code = await main(argv, { cwd: directory, stdout: discard(), stderr: discard() });
  if (code !== 0) throw new Error(`buildout ${argv.join(' ')} exited with ${code} in ${directory}`);
};
let directory;
try {
  directory = mkdtempSync(join(tmpdir(), 'buildout-train-'));
  writeFileSync(join(directory, 'recipe.mjs'), RECIPE);
  writeFileSync(join(directory, 'buildout.cfg'), config(40, 8000));
  await run('annotate', '--json');
  await run('annotate');
  await run('plan');
  await run('install'); // the first install
  await run('install'); // the no-op rerun
  writeFileSync(join(directory, 'buildout.cfg'), config(30, 9000));
  await run('plan');
  await run('install'); // reinstalls and removals
  writeFileSync(join(dist, 'buildout.cache'), loader.createCodeCache());
} catch (error) {
  console.error(`train-code-cache: ${error.message}`);
  process.exitCode = 1;
} finally {
  if (directory) rmSync(directory, { recursive: true, force: true });
}
