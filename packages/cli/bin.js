#!/usr/bin/env node
// Checked-in shim so `pnpm install` can link the command before TypeScript is compiled.
// Built-ins through getBuiltinModule, not import: an import makes Node read all their exports (see scripts/bundle.mjs).
const { existsSync } = process.getBuiltinModule('node:fs');
const { fileURLToPath } = process.getBuiltinModule('node:url');

// dist/buildout.mjs exports the CLI bundled with the packages it uses (see scripts/bundle.mjs).
const entry = new URL('./dist/buildout.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('buildout: the CLI is not built; run `corepack pnpm install` (or `corepack pnpm build`) in the workspace\n');
  process.exit(1);
}
// -D prints stack traces: through the source map they name the TypeScript sources, not the minified bundle.
if (process.argv.slice(2).some((arg) => /^-[^-]*D/.test(arg))) process.setSourceMapsEnabled(true);
// runAsProcess: main's exit code, and one-line reports of what would otherwise end the process with a trace.
const { runAsProcess } = await import(entry.href);
await runAsProcess(process.argv.slice(2));
