// Bundles the compiled CLI (dist/main.js with the config and engine packages)
// into one module, dist/buildout.mjs, which bin.js runs: Node 20 spends more
// time finding and loading some fifty small modules than running a buildout
// of a thousand parts. (Splitting the commands into chunks loaded on demand
// measured slower: every chunk is one more module to load.)
// The bundle also exports the engine (scripts/bundle-entry.mjs): it is the
// module recipes get for `@buildout/engine`. Run after `tsc -b` (the root build does).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

await build({
  entryPoints: [fileURLToPath(new URL('./bundle-entry.mjs', import.meta.url))],
  outfile: `${dist}buildout.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Imported only to find buildout.cfg without -c; it loads files of its own at run time.
  external: ['cosmiconfig'],
  // CommonJS dependencies (tapable) call require(); give the bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  sourcemap: true,
  // Whitespace and syntax only (names stay, for stack traces): Node compiles a third less source at every start.
  // bin.js turns source maps on for -D, so a debug trace names the TypeScript files and lines.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
