/** `buildout -j N` on a workspace: independent packages at once, dependents after their dependencies. */
import { describe, expect, it } from 'vitest';
import { buildout } from './engine/cli.js';
import { events, workspace, type BuildEvent } from './monorepo-support.js';

/** a, b, c and e stand alone; d needs a and b; f needs d and c. */
const PACKAGES = [
  { name: 'a' },
  { name: 'b' },
  { name: 'c' },
  { name: 'd', dependencies: ['a', 'b'] },
  { name: 'e' },
  { name: 'f', dependencies: ['d', 'c'] },
];

function timeOf(log: readonly BuildEvent[], event: BuildEvent['event'], name: string): number {
  const found = log.find((entry) => entry.event === event && entry.name === name);
  if (!found) throw new Error(`no ${event} event for ${name}`);
  return found.time;
}

/** The most builds running at one time. */
function peakConcurrency(log: readonly BuildEvent[]): number {
  let running = 0;
  let peak = 0;
  // At equal times, count ends first: a build that ended as another started did not overlap it.
  const ordered = [...log].sort((x, y) => x.time - y.time || (x.event === 'end' ? -1 : 1));
  for (const entry of ordered) {
    running += entry.event === 'start' ? 1 : -1;
    peak = Math.max(peak, running);
  }
  return peak;
}

describe('parallel workspace builds (end to end)', () => {
  it('-j 3 runs up to three builds at once and starts a package only after the packages it depends on ended', async () => {
    const root = workspace(PACKAGES);
    const result = await buildout(['-j', '3'], root, { BUILD_SLEEP_MS: '400' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const log = events(root);
    expect(log.filter((entry) => entry.event === 'end')).toHaveLength(6);
    for (const { name, dependencies = [] } of PACKAGES) {
      for (const dependency of dependencies) expect(timeOf(log, 'start', name)).toBeGreaterThanOrEqual(timeOf(log, 'end', dependency));
    }
    const peak = peakConcurrency(log);
    expect(peak).toBeGreaterThanOrEqual(2);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('-j 1 runs one build at a time', async () => {
    const root = workspace(PACKAGES.slice(0, 3));
    const result = await buildout(['-j', '1'], root, { BUILD_SLEEP_MS: '100' });
    expect(result.code).toBe(0);
    expect(peakConcurrency(events(root))).toBe(1);
  });

  it("with -v -j 3 each part's command output is printed as it arrives, each line after its part's name", async () => {
    const root = workspace(PACKAGES);
    const result = await buildout(['-v', '-j', '3'], root, { BUILD_SLEEP_MS: '200' });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    const at = (line: string | RegExp): number => lines.findIndex((text) => (typeof line === 'string' ? text === line : line.test(text)));
    for (const { name } of PACKAGES) {
      const started = at(`build-${name}: $ node ../../tools/build.mjs build  (in packages/${name})`);
      const printed = at(`build-${name}: ${name}: building`);
      const finished = at(new RegExp(`^Installed build-${name} \\(`));
      expect(started).toBeGreaterThanOrEqual(0);
      expect(printed).toBeGreaterThan(started);
      expect(finished).toBeGreaterThan(printed);
    }
    // a, b and c run at once: b's command line shows while a is still running, not held back until a finished.
    expect(at('build-b: $ node ../../tools/build.mjs build  (in packages/b)')).toBeLessThan(at(/^Installed build-a \(/));
  });
});
