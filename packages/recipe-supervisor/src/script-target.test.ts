/**
 * The scripts in bin/ are written over and removed with the part: a script
 * path already there is taken only when the part recorded it or it is a
 * script this recipe generated for the same part. A hand-written wrapper,
 * another part's script or a symbolic link is refused before anything is
 * written, and so is never removed by the part's uninstall.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configText, openBuildout } from '@buildout/testing';
import { describe, expect, it } from 'vitest';
import { failure } from '../test-support/errors.js';
import { installPart, uninstallPart, type PartSpec } from '../test-support/part-runs.js';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { SupervisorErrorCodes } from './errors.js';
import recipe from './recipe.js';
import { generatedFor, supervisorctlScript } from './scripts.js';

const tempDirectory = useTempDirectories();
const STAND_IN_SUPERLANCE = fileURLToPath(new URL('../../../examples/supervisor/superlance', import.meta.url));
const SLOW = 90_000;
const WRAPPER = '#!/bin/sh\n# my own wrapper\nexec supervisorctl -c /etc/supervisor/supervisord.conf "$@"\n';

function spec(directory: string, extra: Record<string, string> = {}): PartSpec {
  return {
    directory,
    buildout: { offline: 'true' },
    options: { python: SUPERVISOR_PYTHON, port: '127.0.0.1:39871', programs: '10 web /bin/sleep [10]', ...extra },
  };
}

function withBin(directory: string, files: Record<string, string>): void {
  mkdirSync(join(directory, 'bin'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, 'bin', name), text, { mode: 0o755 });
}

describe('generatedFor', () => {
  it('names the part a generated script is for, in either #! form, and nothing for another file', () => {
    const control = { conf: '/c', user: '', password: '', serverurl: 'http://localhost:9001' };
    expect(generatedFor(supervisorctlScript('/usr/bin/python3', 'sv', control))).toBe('sv');
    expect(generatedFor(supervisorctlScript('/with space/python3', 'a]b', control))).toBe('a]b');
    expect(generatedFor(WRAPPER)).toBeUndefined();
  });
});

describe.skipIf(skipWithoutSupervisor)(`a script path that is not the part's${needsSupervisor}`, () => {
  it(
    'a hand-written bin/supervisorctl is refused before anything is written, and the uninstall leaves it',
    async () => {
      const directory = tempDirectory();
      withBin(directory, { supervisorctl: WRAPPER });
      const script = join(directory, 'bin', 'supervisorctl');
      const error = await failure(installPart(recipe, spec(directory)));
      expect(error.code).toBe(SupervisorErrorCodes.BAD_OPTION);
      expect(error.message).toBe(
        `part supervisor, option sections: ${script} exists and is not a script this part generated; it is left alone (the part would overwrite it, and remove it with the part)`,
      );
      expect(error.hint).toBe('move it away (or rename it) and run buildout again, or leave bin/supervisorctl out (sections without ctl)');
      expect(readFileSync(script, 'utf8')).toBe(WRAPPER);
      expect(readdirSync(join(directory, 'bin'))).toEqual(['supervisorctl']);
      expect(existsSync(join(directory, 'parts', 'supervisor', 'supervisord.conf'))).toBe(false);
      await uninstallPart(recipe, spec(directory));
      expect(readFileSync(script, 'utf8')).toBe(WRAPPER);
    },
    SLOW,
  );

  it(
    'a symbolic link at bin/supervisord is refused',
    async () => {
      const directory = tempDirectory();
      writeFileSync(join(directory, 'mine'), WRAPPER);
      mkdirSync(join(directory, 'bin'));
      symlinkSync(join(directory, 'mine'), join(directory, 'bin', 'supervisord'));
      const error = await failure(installPart(recipe, spec(directory)));
      expect(error.message).toBe(
        `part supervisor, option sections: ${join(directory, 'bin', 'supervisord')} is a symbolic link; it is left alone`,
      );
      expect(readFileSync(join(directory, 'mine'), 'utf8')).toBe(WRAPPER);
    },
    SLOW,
  );

  it(
    "two parts do not overwrite each other's scripts",
    async () => {
      const directory = tempDirectory();
      const buildout = openBuildout(directory);
      const part = (port: string): Record<string, string> => ({
        recipe: 'collective.recipe.supervisor',
        ...spec(directory, { port }).options,
      });
      buildout.write(
        'buildout.cfg',
        configText({
          buildout: { parts: 'first second', offline: 'true' },
          first: part('127.0.0.1:39871'),
          second: part('127.0.0.1:39872'),
        }),
      );
      const { error } = await buildout.install({ recipes: { 'collective.recipe.supervisor': recipe } });
      expect(error?.message).toBe(
        `part second, option sections: ${join(directory, 'bin', 'supervisord')} is the script of part first; it is left alone (two parts cannot share a script)`,
      );
      expect((error as { hint?: string } | undefined)?.hint).toBe('leave it out of one of the parts (sections without global)');
      expect(readFileSync(join(directory, 'bin', 'supervisorctl'), 'utf8')).toContain('127.0.0.1:39871');
    },
    SLOW,
  );

  it(
    "a plugin's console script over a hand-written file is refused, also when the plugin is added to an installed part",
    async () => {
      const directory = tempDirectory();
      cpSync(STAND_IN_SUPERLANCE, join(directory, 'superlance'), { recursive: true });
      withBin(directory, { memmon: WRAPPER });
      const error = await failure(installPart(recipe, spec(directory, { plugins: './superlance' })));
      expect(error.message).toBe(
        `part supervisor, option plugins: ${join(directory, 'bin', 'memmon')} exists and is not a script this part generated; it is left alone (the part would overwrite it, and remove it with the part)`,
      );
      expect(readdirSync(join(directory, 'bin'))).toEqual(['memmon']);
      expect(readFileSync(join(directory, 'bin', 'memmon'), 'utf8')).toBe(WRAPPER);

      // Added to an installed part: refused by the reinstall before the part's old files are removed.
      await installPart(recipe, spec(directory));
      const again = await failure(installPart(recipe, spec(directory, { plugins: './superlance' })));
      expect(again.message).toBe(error.message);
      expect(readdirSync(join(directory, 'bin')).sort()).toEqual(['memmon', 'supervisorctl', 'supervisord']);
      expect(readFileSync(join(directory, 'bin', 'memmon'), 'utf8')).toBe(WRAPPER);
      expect(existsSync(join(directory, 'parts', 'supervisor', 'supervisord.conf'))).toBe(true);
    },
    SLOW,
  );

  it(
    "the part's own scripts are written over when its record is lost",
    async () => {
      const directory = tempDirectory();
      await installPart(recipe, spec(directory));
      rmSync(join(directory, '.installed.cfg'));
      rmSync(join(directory, 'parts', 'supervisor', 'supervisord.conf'));
      const installed = await installPart(recipe, spec(directory, { port: '127.0.0.1:39873' }));
      expect(installed.paths).toContain(join(directory, 'bin', 'supervisorctl'));
      expect(readFileSync(join(directory, 'bin', 'supervisorctl'), 'utf8')).toContain('127.0.0.1:39873');
    },
    SLOW,
  );
});
