/**
 * A recipe bundled with the command, through the whole lifecycle: examples/supervisor
 * (`recipe = collective.recipe.supervisor`, which no package.json of the buildout
 * declares) installed, updated and uninstalled by the compiled CLI.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { needsSupervisor, skipWithoutSupervisor } from '../../packages/recipe-supervisor/test-support/supervisor-python.js';
import { buildout } from './cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/supervisor', import.meta.url));
let copy: string | undefined;
afterEach(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe.skipIf(skipWithoutSupervisor)(`the bundled supervisor recipe${needsSupervisor}`, () => {
  it('installs, updates and uninstalls examples/supervisor', async () => {
    copy = mkdtempSync(join(tmpdir(), 'buildout-bundled-'));
    cpSync(EXAMPLE, copy, { recursive: true, filter: (path) => !/\/(bin|parts|var|\.installed\.cfg)$/.test(path) });

    const install = await buildout(['-U'], copy);
    expect(install.stderr).toBe('');
    expect(install.stdout).toMatch(/Installed supervisor \(.+\)\nDone in .+: 1 built\n$/);
    expect(readFileSync(join(copy, 'parts/supervisor/supervisord.conf'), 'utf8')).toContain('[program:zeo]');
    expect(existsSync(join(copy, 'bin/supervisorctl'))).toBe(true);
    expect(readFileSync(join(copy, '.installed.cfg'), 'utf8')).toContain('__buildout_signature__ = @buildout/recipe-supervisor@');

    const update = await buildout(['-U'], copy);
    expect(update.stdout).toMatch(/Updated supervisor \(.+\)\nDone in .+: 1 unchanged\n$/);

    const remove = await buildout(['-U', 'buildout:parts='], copy);
    expect(remove.stdout).toMatch(/Uninstalled supervisor \(.+\)\nDone in .+: 1 uninstalled\n$/);
    expect(existsSync(join(copy, 'parts/supervisor'))).toBe(false);
    expect(existsSync(join(copy, 'bin/supervisorctl'))).toBe(false);
    expect(existsSync(join(copy, '.installed.cfg'))).toBe(false);
  }, 120_000);
});
