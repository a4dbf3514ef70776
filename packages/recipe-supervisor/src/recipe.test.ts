import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matchesDoctest } from '../test-support/doctest-match.js';
import { failure } from '../test-support/errors.js';
import { initPart, installPart, uninstallPart, updatePart, type PartSpec } from '../test-support/part-runs.js';
import { seedExampleOptions } from '../test-support/seed-example.js';
import { expectSupervisorAccepts, expectSupervisorAcceptsIncluded } from '../test-support/supervisor-check.js';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { SupervisorErrorCodes } from './errors.js';
import recipe from './recipe.js';

const tempDirectory = useTempDirectories();
const STAND_IN_SUPERLANCE = fileURLToPath(new URL('../../../examples/supervisor/superlance', import.meta.url));
const SEED_LISTING = readFileSync(new URL('./__fixtures__/seed-example.supervisord.conf', import.meta.url), 'utf8');
const SLOW = 60_000;

const mode = (path: string): number => statSync(path).mode & 0o777;
const lines = (text: string): string[] =>
  text
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => line.trimEnd());

/** Every file and folder under `directory`, relative, sorted, but for the buildout's own files. */
function filesUnder(directory: string): string[] {
  const own = new Set(['buildout.cfg', '.installed.cfg']);
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((path) => !own.has(path))
    .sort();
}

/** The seed's first example, with the stand-in superlance as a local plugin. */
function seedExample(directory: string): PartSpec {
  cpSync(STAND_IN_SUPERLANCE, join(directory, 'superlance'), { recursive: true });
  const bin = join(directory, 'bin');
  return {
    directory,
    buildout: { index: 'http://pypi.python.org/simple', offline: 'true' },
    sections: { zeo: { location: '/a/b/c' }, instance1: { location: '/e/f' }, instance2: { location: '/g/h' } },
    options: { ...seedExampleOptions(bin), python: SUPERVISOR_PYTHON, plugins: '\n./superlance' },
  };
}

function secondExample(directory: string, extra: Record<string, string> = {}): PartSpec {
  return {
    directory,
    options: { python: SUPERVISOR_PYTHON, port: '9005', programs: `50 other ${directory}/bin/other [-n 100] /tmp`, ...extra },
  };
}

describe('init', () => {
  it('sets supervisord-conf so other parts can reference it', async () => {
    const directory = tempDirectory();
    const part = await initPart({
      directory,
      options: { programs: '10 web /bin/sleep [10]' },
    });
    await recipe.init(part);
    expect(part.options['supervisord-conf']).toBe(`${directory}/parts/supervisor/supervisord.conf`);
  });

  it('warns about an option that looks misspelt', async () => {
    const directory = tempDirectory();
    const part = await initPart({
      directory,
      options: { programms: '10 web /bin/sleep [10]', 'log-file': 'x', location: '/x', host: 'example.org', prot: '9001' },
    });
    await recipe.init(part);
    // Each names the line of the misspelt option, in the buildout.cfg initPart wrote.
    const file = `${directory}/buildout.cfg`;
    expect(part.logs).toEqual([
      { level: 'warn', message: 'unknown option programms; did you mean programs?', location: { file, line: 6, column: 1 } },
      { level: 'warn', message: 'unknown option log-file; did you mean logfile?', location: { file, line: 7, column: 1 } },
      { level: 'warn', message: 'unknown option prot; did you mean port?', location: { file, line: 10, column: 1 } },
    ]);
  });

  it('refuses a bad line before any part is installed', async () => {
    const directory = tempDirectory();
    const part = await initPart({
      directory,
      options: { programs: '10 web /bin/sleep [10' },
    });
    const error = await failure(Promise.resolve().then(() => recipe.init(part)));
    expect(error.code).toBe(SupervisorErrorCodes.BAD_PROGRAM_LINE);
  });
});

describe.skipIf(skipWithoutSupervisor)(`install, update, uninstall${needsSupervisor}`, () => {
  it(
    "installs the seed's first example as the seed shows it",
    async () => {
      const directory = tempDirectory();
      const installed = await installPart(recipe, seedExample(directory));
      const conf = join(directory, 'parts', 'supervisor', 'supervisord.conf');
      const bin = (name: string): string => join(directory, 'bin', name);

      // The virtualenv is a cached piece of its own, not a recorded path: a change of programs keeps it.
      expect(installed.paths.sort()).toEqual(
        [conf, bin('supervisord'), bin('supervisorctl'), bin('crashmail'), bin('httpok'), bin('memmon')].sort(),
      );
      const venvs = readdirSync(join(directory, 'parts', 'supervisor')).filter((name) => name.startsWith('venv-'));
      expect(venvs).toHaveLength(1);
      const venv = join(directory, 'parts', 'supervisor', venvs[0]!);
      expect(lines(readFileSync(conf, 'utf8'))).toEqual(lines(SEED_LISTING.replaceAll('/sample-buildout', directory)));
      expectSupervisorAccepts(conf);
      expect(readdirSync(join(directory, 'bin')).sort()).toEqual(['crashmail', 'httpok', 'memmon', 'supervisorctl', 'supervisord']);
      expect(readdirSync(join(directory, 'var'))).toEqual(['log']);

      const supervisord = readFileSync(bin('supervisord'), 'utf8');
      expect(supervisord.startsWith(`#!${venv}/bin/python\n`)).toBe(true);
      expect(
        matchesDoctest(
          supervisord,
          `...\n\n...\n\nimport sys; sys.argv.extend(["-c","${conf}"])\n\nimport supervisor.supervisord\n\nif __name__ == '__main__':\n    supervisor.supervisord.main()`,
        ),
      ).toBe(true);
      expect(readFileSync(bin('supervisorctl'), 'utf8')).toContain(
        `import sys; sys.argv[1:1] = ["-c","${conf}","-u","mustapha","-p","secret","-s","http://supervisor.mustap.com"]\n`,
      );
      expect(
        matchesDoctest(
          readFileSync(bin('memmon'), 'utf8'),
          "...\n\n...\n\nimport superlance.memmon\n\nif __name__ == '__main__':\n    superlance.memmon.main()",
        ),
      ).toBe(true);

      // The password is in the configuration and the control script only.
      expect([mode(conf), mode(bin('supervisorctl')), mode(bin('supervisord')), mode(bin('memmon'))]).toEqual([0o600, 0o700, 0o755, 0o755]);
      expect(
        installed.part.logs
          .filter((record) => record.message.startsWith('Generated script'))
          .map((record) => record.message)
          .sort(),
      ).toEqual(['crashmail', 'httpok', 'memmon', 'supervisorctl', 'supervisord'].map((name) => `Generated script '${bin(name)}'.`));
      expect(installed.part.logs).toContainEqual({
        level: 'warn',
        message: expect.stringContaining('port = 9001 makes supervisord listen on every network interface'),
      });

      // The control script runs with the virtualenv's supervisor.
      const help = spawnSync(bin('supervisorctl'), ['help'], { encoding: 'utf8' });
      expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('default commands')]);
    },
    SLOW,
  );

  it("installs the seed's second example without a virtualenv, with empty credentials", async () => {
    const directory = tempDirectory();
    const installed = await installPart(recipe, secondExample(directory));
    const conf = join(directory, 'parts', 'supervisor', 'supervisord.conf');
    expect(installed.paths).toEqual([conf, join(directory, 'bin', 'supervisord'), join(directory, 'bin', 'supervisorctl')]);
    expect(readFileSync(join(directory, 'bin', 'supervisorctl'), 'utf8')).toContain(
      `import sys; sys.argv[1:1] = ["-c","${conf}","-u","","-p","","-s","http://localhost:9005"]\n`,
    );
    expect(readFileSync(join(directory, 'bin', 'supervisord'), 'utf8').startsWith(`#!${SUPERVISOR_PYTHON}\n`)).toBe(true);
    // The configuration is the owner's only even without a password (a program's command may hold a secret).
    expect([mode(conf), mode(join(directory, 'bin', 'supervisorctl'))]).toEqual([0o600, 0o755]);
    expectSupervisorAccepts(conf);
  });

  it('update rewrites only what changed and restores what is missing', async () => {
    const directory = tempDirectory();
    const installed = await installPart(recipe, secondExample(directory));
    const conf = join(directory, 'parts', 'supervisor', 'supervisord.conf');
    const supervisord = join(directory, 'bin', 'supervisord');
    const before = [statSync(conf).mtimeMs, statSync(supervisord).mtimeMs];
    await new Promise((resolve) => setTimeout(resolve, 20));

    const unchanged = await updatePart(recipe, secondExample(directory));
    expect(unchanged.paths).toEqual(installed.paths);
    expect([statSync(conf).mtimeMs, statSync(supervisord).mtimeMs]).toEqual(before);
    expect(unchanged.part.logs.filter((record) => record.level === 'info')).toEqual([]);

    writeFileSync(conf, 'tampered');
    rmSync(supervisord);
    rmSync(join(directory, 'var'), { recursive: true });
    await updatePart(recipe, secondExample(directory));
    expect(readFileSync(conf, 'utf8')).toContain('[program:other]');
    expectSupervisorAccepts(conf);
    expect(existsSync(supervisord)).toBe(true);
    expect(existsSync(join(directory, 'var', 'log'))).toBe(true);
  });

  it(
    'uninstall removes what install made and keeps the logs',
    async () => {
      const directory = tempDirectory();
      await installPart(recipe, seedExample(directory));
      writeFileSync(join(directory, 'var', 'log', 'supervisord.log'), 'log line\n');
      await uninstallPart(recipe, seedExample(directory));
      expect(filesUnder(directory).filter((path) => !path.startsWith('superlance'))).toEqual([
        'bin',
        'parts',
        'var',
        'var/log',
        'var/log/supervisord.log',
      ]);
    },
    SLOW,
  );

  it('writes nothing when supervisord itself refuses the configuration', async () => {
    const directory = tempDirectory();
    const error = await failure(
      installPart(recipe, secondExample(directory, { programs: '10 web /bin/sleep [10] /tmp false no-such-user-4711' })),
    );
    expect(error.code).toBe(SupervisorErrorCodes.CONFIG_REJECTED);
    expect(error.message).toMatch(/^part supervisor: supervisord refuses the generated configuration: Invalid user name no-such-user-4711/);
    // var/log is made for supervisord's check; bin/ and parts/ are the buildout's own folders.
    expect(filesUnder(directory)).toEqual(['bin', 'parts', 'var', 'var/log']);
  });

  it('writes nothing for a line that does not parse', async () => {
    const directory = tempDirectory();
    const error = await failure(installPart(recipe, secondExample(directory, { programs: '10 web /bin/sleep [10] /tmp maybe www-data' })));
    expect(error.code).toBe(SupervisorErrorCodes.BAD_PROGRAM_LINE);
    expect(filesUnder(directory)).toEqual(['bin', 'parts']);
  });

  it('checks a configuration without [supervisord] (sections without global) through an including file', async () => {
    const directory = tempDirectory();
    const installed = await installPart(recipe, secondExample(directory, { sections: 'services', 'supervisord-conf': 'etc/web.conf' }));
    expect(installed.paths).toEqual([join(directory, 'etc', 'web.conf')]);
    expect(filesUnder(directory)).toEqual(['bin', 'etc', 'etc/web.conf', 'parts']);
    expectSupervisorAcceptsIncluded(join(directory, 'etc', 'web.conf'), tempDirectory());
    const error = await failure(
      installPart(recipe, secondExample(tempDirectory(), { sections: 'services', programs: '10 web (startsecs=soon) /bin/sleep' })),
    );
    expect(error.message).toContain("invalid literal for int() with base 10: 'soon'");
  });

  // The configuration is written over and removed with the part: where it goes must be the part's own.
  it("refuses a supervisord-conf that is buildout's own or someone's file, before anything is written", async () => {
    for (const [target, problem] of [
      ['buildout.cfg', 'is a configuration file of this buildout'],
      ['.installed.cfg', "is buildout's own state (installed parts, journal or lock)"],
      ['bin', "is one of buildout's folders"],
      [
        'notes.txt',
        'exists and is not a file this part recorded; it is left alone (the part would overwrite it, and remove it with the part)',
      ],
    ] as const) {
      const directory = tempDirectory();
      writeFileSync(join(directory, 'notes.txt'), 'my notes\n');
      writeFileSync(join(directory, '.installed.cfg'), '[buildout]\nparts =\n');
      const spec = secondExample(directory, { 'supervisord-conf': join(directory, target) });
      const error = await failure(installPart(recipe, spec));
      expect(error.code).toBe(SupervisorErrorCodes.BAD_OPTION);
      expect(error.message).toBe(`part supervisor, option supervisord-conf: ${join(directory, target)} ${problem}`);
      // The buildout.cfg the run wrote, not a supervisord.conf over it.
      expect(readFileSync(join(directory, 'buildout.cfg'), 'utf8')).toMatch(/^\[buildout\]\n/);
      expect(readFileSync(join(directory, 'buildout.cfg'), 'utf8')).not.toContain('[supervisord]');
      expect(readFileSync(join(directory, 'notes.txt'), 'utf8')).toBe('my notes\n');
      expect(readFileSync(join(directory, '.installed.cfg'), 'utf8')).toBe('[buildout]\nparts =\n');
      expect(readdirSync(join(directory, 'bin'))).toEqual([]);
    }
  });

  it(
    'writes its configuration again over the one it wrote, also one without [supervisord]',
    async () => {
      const directory = tempDirectory();
      const spec = secondExample(directory, { sections: 'services', 'supervisord-conf': 'etc/web.conf' });
      await installPart(recipe, spec);
      const again = await installPart(
        recipe,
        secondExample(directory, { sections: 'services', 'supervisord-conf': 'etc/web.conf', programs: '20 api /bin/sleep [20]' }),
      );
      expect(again.paths).toEqual([join(directory, 'etc', 'web.conf')]);
      expect(readFileSync(join(directory, 'etc', 'web.conf'), 'utf8')).toContain('[program:api]');
    },
    SLOW,
  );

  it('puts the configuration where supervisord-conf says, and scripts in bin-directory', async () => {
    const directory = tempDirectory();
    const spec = {
      ...secondExample(directory, { 'supervisord-conf': `${directory}/etc/supervisord.conf` }),
      buildout: { 'bin-directory': join(directory, 'scripts') },
    };
    const installed = await installPart(recipe, spec);
    expect(installed.paths).toEqual([
      join(directory, 'etc', 'supervisord.conf'),
      join(directory, 'scripts', 'supervisord'),
      join(directory, 'scripts', 'supervisorctl'),
    ]);
    expect(readFileSync(join(directory, 'scripts', 'supervisord'), 'utf8')).toContain(`"-c","${directory}/etc/supervisord.conf"`);
    expectSupervisorAccepts(join(directory, 'etc', 'supervisord.conf'));
  });

  it('passes %-escaped credentials literally to supervisorctl', async () => {
    const directory = tempDirectory();
    mkdirSync(join(directory, 'var'));
    await installPart(recipe, secondExample(directory, { user: 'admin', password: '50%%off' }));
    expect(readFileSync(join(directory, 'bin', 'supervisorctl'), 'utf8')).toContain('"-u","admin","-p","50%off"');
    expect(readFileSync(join(directory, 'parts', 'supervisor', 'supervisord.conf'), 'utf8')).toContain('password = 50%%off');
    expectSupervisorAccepts(join(directory, 'parts', 'supervisor', 'supervisord.conf'));
    const error = await failure(installPart(recipe, secondExample(tempDirectory(), { user: 'admin', password: '%(ENV_PW)s' })));
    expect(error.message).toBe(
      'part supervisor, option password: "%(ENV_PW)s" uses a %(...)s expansion that the supervisorctl script cannot make (only %(here)s and %%)',
    );
  });
});
