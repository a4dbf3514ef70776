// Differential test: every case under cases/ resolved by our CLI
// (`buildout -U -c FILE [args] annotate --json`) must equal what the real
// zc.buildout gives (zc_oracle.py, patched to zc.buildout 6 semantics), and
// the committed expected.json (the oracle's output) where zc.buildout is not
// installed. See README.md for the differences the oracle patches.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_BIN, casePlatform, expectedFile, listCases, oracleUnavailableReason, runCli, runOracle, type RunResult } from './harness.mjs';

const cases = listCases();
const unavailable = oracleUnavailableReason();
const oracleRequired = process.env.BUILDOUT_TEST_REQUIRE_ORACLE === '1';

function resolved(result: RunResult): unknown {
  if (!result.ok) throw new Error(result.message);
  return result.json;
}

describe('oracle cases', () => {
  it('has at least 25 cases, each with a buildout.cfg and an expected.json', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const name of cases) {
      expect(existsSync(expectedFile(name).replace(/expected\.json$/, 'buildout.cfg')), name).toBe(true);
      expect(existsSync(expectedFile(name)), `${name}: run node test/oracle/regenerate.mjs`).toBe(true);
    }
  });

  it('runs against the built CLI', () => {
    expect(existsSync(CLI_BIN)).toBe(true);
  });
});

describe('differential: our CLI against zc.buildout', () => {
  if (unavailable !== undefined && oracleRequired) {
    it('needs zc.buildout (BUILDOUT_TEST_REQUIRE_ORACLE=1)', () => {
      throw new Error(`the oracle is required but unavailable: ${unavailable}`);
    });
    return;
  }
  const skipReason = unavailable === undefined ? '' : ` (skipped: ${unavailable})`;
  for (const name of cases) {
    it.skipIf(unavailable !== undefined).concurrent(`${name}${skipReason}`, async () => {
      const [ours, theirs] = await Promise.all([runCli(name), runOracle(name)]);
      expect(resolved(ours)).toEqual(resolved(theirs));
    });
  }
});

describe('our CLI against the committed expected.json', () => {
  for (const name of cases) {
    const platform = casePlatform(name);
    const otherPlatform = platform !== undefined && platform !== process.platform;
    const label = otherPlatform ? `${name} (skipped: expected.json holds for ${platform})` : name;
    it.skipIf(otherPlatform).concurrent(label, async () => {
      const expected = JSON.parse(readFileSync(expectedFile(name), 'utf8')) as unknown;
      expect(resolved(await runCli(name))).toEqual(expected);
    });
  }
});
