#!/usr/bin/env node
// Writes cases/NAME/expected.json from the real zc.buildout (zc_oracle.py),
// so the cases are checked where zc.buildout is not installed.
// Usage: node test/oracle/regenerate.mjs [CASE ...]   (default: every case)
import { writeFileSync } from 'node:fs';
import { casePlatform, expectedFile, listCases, oracleUnavailableReason, runOracle } from './harness.mjs';

const reason = oracleUnavailableReason();
if (reason) {
  process.stderr.write(`regenerate: ${reason}\n`);
  process.exit(1);
}
const names = process.argv.length > 2 ? process.argv.slice(2) : listCases();
let failed = 0;
for (const name of names) {
  const platform = casePlatform(name);
  if (platform !== undefined && platform !== process.platform) {
    process.stderr.write(`${name}: skipped (its expected.json is for ${platform})\n`);
    continue;
  }
  const result = await runOracle(name);
  if (!result.ok) {
    failed += 1;
    process.stderr.write(`${name}: ${result.message}\n`);
    continue;
  }
  writeFileSync(expectedFile(name), `${JSON.stringify(result.json, null, 2)}\n`);
  process.stdout.write(`${name}: written\n`);
}
process.exit(failed === 0 ? 0 : 1);
