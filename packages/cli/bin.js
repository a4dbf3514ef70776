#!/usr/bin/env node
// Checked-in shim so `pnpm install` can link the command before TypeScript is compiled.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// dist/buildout.mjs is the CLI bundled with the packages it uses (see scripts/bundle.mjs).
const entry = new URL('./dist/buildout.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('buildout: the CLI is not built; run `corepack pnpm install` (or `corepack pnpm build`) in the workspace\n');
  process.exit(1);
}
// runAsProcess: main's exit code, and one-line reports of what would otherwise end the process with a trace.
const { runAsProcess } = await import(entry.href);
await runAsProcess(process.argv.slice(2));
