// Runs every bench/*.bench.mjs in turn (`corepack pnpm bench` builds first).
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(here)
  .filter((name) => name.endsWith('.bench.mjs'))
  .sort();
let failed = false;
for (const bench of benches) {
  console.log(`\n## ${bench}\n`);
  const result = spawnSync(process.execPath, [`${here}${bench}`], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
