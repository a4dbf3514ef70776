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
  banner: { js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);" },
  sourcemap: true,
  // Whitespace and syntax only (names stay, for stack traces): Node compiles a third less source at every start.
  // bin.js turns source maps on for -D, so a debug trace names the TypeScript files and lines.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [builtinsWithoutFacades],
  logLevel: 'warning',
});
