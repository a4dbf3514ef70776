/**
 * examples/supervisor, read by the configuration engine and installed by the
 * recipe (through the test stand-in for the lifecycle engine): the seed's
 * first example gives the seed's listing, and try-it.cfg runs under real
 * supervisord, stand-in superlance listeners included.
 */
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadBuildout } from '../packages/config/src/index.js';
import recipe from '../packages/recipe-supervisor/src/recipe.js';
import { installPart, uninstallPart, type PartSpec } from '../packages/recipe-supervisor/test-support/part-runs.js';
import { expectSupervisorAccepts } from '../packages/recipe-supervisor/test-support/supervisor-check.js';
import { needsSupervisor, skipWithoutSupervisor } from '../packages/recipe-supervisor/test-support/supervisor-python.js';
import {
  freePort,
  isAlive,
  startForeground,
  supervisorctl,
  waitFor,
  waitUntilRunning,
} from '../packages/recipe-supervisor/test-support/supervisord-process.js';
import { useTempDirectories } from '../packages/recipe-supervisor/test-support/temp-directory.js';

const tempDirectory = useTempDirectories();
const EXAMPLE = fileURLToPath(new URL('../examples/supervisor', import.meta.url));
const SEED_LISTING = readFileSync(
  new URL('../packages/recipe-supervisor/src/__fixtures__/seed-example.supervisord.conf', import.meta.url),
  'utf8',
);
const SLOW = 90_000;

/** A copy of the example (without what a run leaves) and the part spec its configuration gives. */
async function example(configFile: string, assignments: string[] = []): Promise<PartSpec> {
  const directory = tempDirectory();
  cpSync(EXAMPLE, directory, { recursive: true, filter: (source) => !/\/(bin|parts|var|\.installed\.cfg)$/.test(source) });
  const buildout = await loadBuildout({ configFile: join(directory, configFile), userDefaults: false, assignments });
  const sections = Object.fromEntries(buildout.sectionNames().map((name) => [name, buildout.resolveSection(name)]));
  return { directory: buildout.directory, buildout: sections.buildout, sections, options: sections.supervisor! };
}

describe.skipIf(skipWithoutSupervisor)(`examples/supervisor${needsSupervisor}`, () => {
  it(
    "buildout.cfg installs the seed's listing and the seed's scripts",
    async () => {
      const spec = await example('buildout.cfg');
      await installPart(recipe, spec);
      const conf = join(spec.directory, 'parts', 'supervisor', 'supervisord.conf');
      const lines = (text: string): string[] =>
        text
          .trimEnd()
          .split('\n')
          .map((line) => line.trimEnd());
      expect(lines(readFileSync(conf, 'utf8'))).toEqual(lines(SEED_LISTING.replaceAll('/sample-buildout', spec.directory)));
      expectSupervisorAccepts(conf);
      expect(readdirSync(join(spec.directory, 'bin')).sort()).toEqual(['crashmail', 'httpok', 'memmon', 'supervisorctl', 'supervisord']);
      await uninstallPart(recipe, spec);
      expect(readdirSync(join(spec.directory, 'bin'))).toEqual([]);
    },
    SLOW,
  );

  it(
    'try-it.cfg runs under supervisord with the stand-in listeners',
    async () => {
      const port = await freePort();
      const spec = await example('try-it.cfg', [
        `supervisor:port=127.0.0.1:${port}`,
        `supervisor:serverurl=http://127.0.0.1:${port}`,
        ...(process.getuid?.() === 0 ? ['supervisor:supervisord-user=root'] : []),
      ]);
      await installPart(recipe, spec);
      expectSupervisorAccepts(join(spec.directory, 'parts', 'supervisor', 'supervisord.conf'));
      const bin = join(spec.directory, 'bin');
      const supervisord = startForeground(bin);
      await waitUntilRunning(bin, ['HttpOk', 'Memmon', 'sleeper', 'ticker']).catch((error: Error) => {
        throw new Error(`${error.message}\nsupervisord said:\n${supervisord.output()}`);
      });
      expect(supervisorctl(bin, 'shutdown').status).toBe(0);
      expect(await waitFor(() => !isAlive(supervisord.pid), 15_000)).toBe(true);
    },
    SLOW,
  );
});
