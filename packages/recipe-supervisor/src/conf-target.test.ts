/**
 * supervisord-conf is written over and removed with the part: a file already
 * there is replaced only when the part recorded it or it is empty. A file
 * that merely looks like a supervisor configuration (an `[include]` in a
 * ~/.gitconfig, another buildout's buildout.cfg with a [supervisord] part,
 * another part's or buildout's supervisord.conf) is refused, before
 * anything is written; buildout's own files are refused by any spelling.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failure } from '../test-support/errors.js';
import { installPart, uninstallPart, type PartSpec } from '../test-support/part-runs.js';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { SupervisorErrorCodes } from './errors.js';
import recipe from './recipe.js';

const tempDirectory = useTempDirectories();
const SLOW = 60_000;

function spec(directory: string, conf?: string): PartSpec {
  return {
    directory,
    buildout: { offline: 'true' },
    options: {
      python: SUPERVISOR_PYTHON,
      port: '127.0.0.1:39871',
      programs: '10 web /bin/sleep [10]',
      ...(conf === undefined ? {} : { 'supervisord-conf': conf }),
    },
  };
}

async function expectRefused(directory: string, conf: string, problem: string): Promise<void> {
  const before = readFileSync(conf, 'utf8');
  const error = await failure(installPart(recipe, spec(directory, conf)));
  expect(error.code).toBe(SupervisorErrorCodes.BAD_OPTION);
  expect(error.message).toBe(`part supervisor, option supervisord-conf: ${conf} ${problem}`);
  expect(error.hint).toContain('remove it yourself and run buildout again');
  expect(readFileSync(conf, 'utf8')).toBe(before);
  expect(readdirSync(join(directory, 'bin'))).toEqual([]);
}

const UNRECORDED =
  'exists and is not a file this part recorded; it is left alone (the part would overwrite it, and remove it with the part)';

describe('an existing supervisord-conf the part did not record', () => {
  it('is refused when it has a supervisor-like section: a ~/.gitconfig with [include], a buildout.cfg with a [supervisord] part', async () => {
    const directory = tempDirectory();
    const home = join(directory, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.gitconfig'), '[user]\n\tname = Me\n[include]\n\tpath = x\n');
    await expectRefused(directory, join(home, '.gitconfig'), UNRECORDED);

    const other = join(directory, 'other-buildout');
    mkdirSync(other);
    writeFileSync(join(other, 'buildout.cfg'), '[buildout]\nparts = supervisord\n\n[supervisord]\nrecipe = collective.recipe.supervisor\n');
    await expectRefused(directory, join(other, 'buildout.cfg'), UNRECORDED);
  });

  it.skipIf(skipWithoutSupervisor)(
    `is refused when it is a supervisord.conf another buildout's part wrote, and left there on uninstall${needsSupervisor}`,
    async () => {
      const first = tempDirectory();
      await installPart(recipe, spec(first));
      const generated = join(first, 'parts', 'supervisor', 'supervisord.conf');
      const directory = tempDirectory();
      const conf = join(directory, 'etc', 'supervisord.conf');
      mkdirSync(join(directory, 'etc'));
      copyFileSync(generated, conf);
      await expectRefused(directory, conf, UNRECORDED);
      // The refused run recorded nothing, so removing the part removes nothing.
      await uninstallPart(recipe, spec(directory, conf));
      expect(readFileSync(conf, 'utf8')).toBe(readFileSync(generated, 'utf8'));
    },
    SLOW,
  );

  it.skipIf(skipWithoutSupervisor)(
    `is written over when it is empty, and then is the part's own${needsSupervisor}`,
    async () => {
      const directory = tempDirectory();
      const conf = join(directory, 'supervisord.conf');
      writeFileSync(conf, '\n');
      const installed = await installPart(recipe, spec(directory, conf));
      expect(installed.paths).toContain(conf);
      expect(readFileSync(conf, 'utf8')).toContain('[program:web]');
      await uninstallPart(recipe, spec(directory, conf));
      expect(existsSync(conf)).toBe(false);
    },
    SLOW,
  );
});

describe("buildout's own files, by any spelling", () => {
  it('are refused through a symbolic link to the buildout directory', async () => {
    const directory = tempDirectory();
    const link = join(tempDirectory(), 'link');
    symlinkSync(directory, link);
    for (const [target, problem] of [
      ['.installed.cfg', "is buildout's own state (installed parts, journal or lock)"],
      ['buildout.cfg', 'is a configuration file of this buildout'],
      ['bin', "is one of buildout's folders"],
    ] as const) {
      const conf = join(link, target);
      const error = await failure(installPart(recipe, spec(directory, conf)));
      expect(error.code).toBe(SupervisorErrorCodes.BAD_OPTION);
      expect(error.message).toBe(`part supervisor, option supervisord-conf: ${conf} ${problem}`);
      expect(readFileSync(join(directory, 'buildout.cfg'), 'utf8')).not.toContain('[supervisord]');
      expect(readdirSync(join(directory, 'bin'))).toEqual([]);
    }
  });
});
