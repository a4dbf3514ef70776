/**
 * Loads the CLI's bundle, dist/buildout.cjs (the command with the engine and
 * the recipes it ships; scripts/bundle.mjs), for dist/buildout.mjs, which
 * exports it to bin.js and to recipes.
 *
 * Why a script rather than an ES module: Node 20 compiles a module afresh at
 * every start, but a script can be compiled from V8's code cache. The build
 * writes one (dist/buildout.cache, scripts/train-code-cache.mjs) after running
 * typical commands, so it holds the bytecode of every function they ran and a
 * run compiles almost nothing. V8 refuses a cache that another V8 version or
 * other flags made; the bundle is then compiled as usual.
 *
 * Built-ins through getBuiltinModule, as in the bundle (an ES import of one
 * makes Node read all its exports).
 */
import type { Script } from 'node:vm';

type Exports = Record<string, unknown>;
type ImportModule = (specifier: string) => Promise<Exports>;
export type CodeCacheStatus = 'accepted' | 'rejected' | 'absent' | 'unused';

const { readFileSync } = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const { dirname } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');

/**
 * A run is short: at V8's default eagerness its optimizing compiler spends more
 * CPU (on a second thread a 2-core machine cannot spare) than its code then
 * saves. With the code cache, a budget 8x the default before a function is
 * optimized measured 10-20% less CPU than 4x at 1,000 parts and 5-7% less at
 * 5,000, in the same or less time (bench/synthetic.bench.mjs; 1x, 2x and 16x
 * were slower). The code cache is only taken under the flags it was made
 * with: loading the bundle sets them, for bin.js and the training alike.
 */
const SHORT_RUN_FLAGS = '--interrupt-budget=540672';

/** Before the bundle is compiled (the code cache needs the flags it was made with); a budget the user gave node wins. */
function tuneV8ForShortRun(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--interrupt-budget'))) return;
  process.getBuiltinModule('node:v8').setFlagsFromString(SHORT_RUN_FLAGS);
}

let script: Script | undefined;
let status: CodeCacheStatus = 'unused';

/**
 * The bundle's exports. `importModule` is the facade's `import()`: a script
 * has no module loader, so the bundle imports recipes through it (see
 * @buildout/config's import-module.ts). With source maps on (`-D`), Node's own
 * loader loads the bundle instead: it maps stack traces only of what it loads.
 */
export function loadBundle(facadeUrl: string, importModule: ImportModule): Exports {
  tuneV8ForShortRun();
  const file = fileURLToPath(new URL('./buildout.cjs', facadeUrl));
  const require = createRequire(file);
  if (process.sourceMapsEnabled) return require(file) as Exports;
  const { Script } = process.getBuiltinModule('node:vm');
  const cachedData = readIfPresent(file.replace(/\.cjs$/, '.cache'));
  // The same wrapper as Node's for CommonJS, plus the import function.
  const source = `(function (exports, require, module, __filename, __dirname, __importModule) {${readFileSync(file, 'utf8')}\n})`;
  script = new Script(source, { filename: file, cachedData });
  status = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {} as Exports };
  script.runInThisContext()(module.exports, require, module, file, dirname(file), importModule);
  return module.exports;
}

/** Whether the bundle was compiled from the code cache (for the tests of the build). */
export function codeCacheStatus(): CodeCacheStatus {
  return status;
}

/** V8's code cache of the bundle, with every function compiled so far (for the training). */
export function createCodeCache(): Buffer {
  if (!script) throw new Error('the bundle was not loaded as a script (source maps are on?)');
  return script.createCachedData();
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
