// Bundles the compiled CLI (dist/main.js with the config and engine packages)
// into one CommonJS script, dist/buildout.cjs, which dist/buildout.mjs loads
// (src/bundle-loader.ts) and exports to bin.js and to recipes: Node 20 spends
// more time finding and loading some fifty small modules than running a
// buildout of a thousand parts, and only a script can be compiled from V8's
// code cache, which scripts/train-code-cache.mjs then writes. (Splitting the
// commands into chunks loaded on demand measured slower: every chunk is one
// more module to load.) The bundle also exports the engine
// (scripts/bundle-entry.mjs): it is what recipes get for `@buildout/engine`.
// Run after `tsc -b` (the root build does).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Node's built-in modules through `process.getBuiltinModule` instead of `import`: for an ES import
 * of a built-in, Node builds a facade of all its exports at start-up, reading every getter: node:fs
 * loads the streams for `ReadStream`, node:process (log-update's) opens stdin. That was a few
 * milliseconds of every run. Each built-in becomes one module exporting its functions by name;
 * what nothing imports is left out of the bundle (the pure annotations), so no getter is read.
 */
const builtinsWithoutFacades = {
  name: 'builtins-without-facades',
  setup(bundler) {
    bundler.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    bundler.onLoad({ filter: /.*/, namespace: 'builtin' }, async (args) => {
      const names = Object.keys(await import(args.path)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      const lines = [`const builtin = process.getBuiltinModule(${JSON.stringify(args.path)});`, 'export default builtin;'];
      for (const name of names) lines.push(`export const ${name} = /* @__PURE__ */ (() => builtin.${name})();`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * The bundle runs as a script (src/bundle-loader.ts), where `import()` has no
 * loader behind it: @buildout/config's importModule becomes the loader's, which
 * the script's wrapper passes in. Loaded by Node itself (with -D) it is a
 * CommonJS module, where `import()` works.
 */
const importThroughLoader = {
  name: 'import-through-loader',
  setup(bundler) {
    bundler.onLoad({ filter: /[\\/]config[\\/]dist[\\/]import-module\.js$/ }, () => ({
      contents: "export const importModule = typeof __importModule === 'function' ? __importModule : (specifier) => import(specifier);",
      loader: 'js',
    }));
  },
};

const cache = `${dist}buildout.cache`;
// A cache of the previous bundle must not meet the new one (V8 checks only the source's length).
rmSync(cache, { force: true });

await build({
  entryPoints: [fileURLToPath(new URL('./bundle-entry.mjs', import.meta.url))],
  outfile: `${dist}buildout.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Imported only to find buildout.cfg without -c; it loads files of its own at run time.
  external: ['cosmiconfig'],
  // The modules' import.meta.url: the bundle's own, as when it was an ES module in the same folder.
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundleUrl' },
  sourcemap: true,
  // Whitespace and syntax only (names stay, for stack traces): Node compiles a third less source at every start.
  // bin.js turns source maps on for -D: the bundle is then loaded by Node, and a trace names the TypeScript files and lines.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [builtinsWithoutFacades, importThroughLoader],
  logLevel: 'warning',
});

// The ES module facade: named exports must be listed, so they are read off the bundle.
const names = Object.keys(createRequire(import.meta.url)(`${dist}buildout.cjs`)).sort();
writeFileSync(
  `${dist}buildout.mjs`,
  [
    '// Written by scripts/bundle.mjs: the exports of buildout.cjs, the CLI bundled with the engine (see src/bundle-loader.ts).',
    "import { loadBundle } from './bundle-loader.js';",
    'const bundle = loadBundle(import.meta.url, (specifier) => import(specifier));',
    `export const { ${names.join(', ')} } = bundle;`,
    '',
  ].join('\n'),
);
rmSync(`${dist}buildout.mjs.map`, { force: true });

// Without NODE_OPTIONS: V8 flags set there would make a cache that runs without them refuse.
const { NODE_OPTIONS, ...environment } = process.env;
try {
  execFileSync(process.execPath, [fileURLToPath(new URL('./train-code-cache.mjs', import.meta.url))], {
    env: environment,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
} catch {
  // The command works without the cache (test/cli/code-cache.test.ts fails, so CI notices).
  rmSync(cache, { force: true });
  console.warn('bundle.mjs: warning: no code cache written (the training above failed); buildout works, but starts slower');
}
