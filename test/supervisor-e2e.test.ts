/**
 * Issue 4 end to end, through the compiled CLI and real supervisord: buildout
 * installs the part, supervisord runs the programs, a change of `programs`
 * reaches the running supervisord, and removing the part removes its files.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../packages/recipe-supervisor/test-support/supervisor-python.js';
import {
  freePort,
  isAlive,
  startForeground,
  supervisorctl,
  waitFor,
  waitUntilRunning,
} from '../packages/recipe-supervisor/test-support/supervisord-process.js';
import { buildout, tree } from './engine/cli.js';

function config(port: number, programs: string[]): string {
  return `[buildout]
parts = supervisor

[supervisor]
recipe = collective.recipe.supervisor
python = ${SUPERVISOR_PYTHON}
port = 127.0.0.1:${port}
user = admin
password = s3cret
${process.getuid?.() === 0 ? 'supervisord-user = root\n' : ''}programs =
${programs.map((line) => `      ${line}`).join('\n')}
`;
}

describe.skipIf(skipWithoutSupervisor)(`buildout and real supervisord${needsSupervisor}`, () => {
  it('installs, runs, changes programs, shuts down and uninstalls', async () => {
    const port = await freePort();
    const root = tree({ 'buildout.cfg': config(port, ['10 sleeper /bin/sleep [3600]', '20 napper /bin/sleep [3601]']) });
    const bin = join(root, 'bin');

    const install = await buildout(['-U'], root);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    const conf = join(root, 'parts/supervisor/supervisord.conf');
    expect(readFileSync(join(bin, 'supervisorctl'), 'utf8')).toContain(`"-s","http://127.0.0.1:${port}"`);

    const supervisord = startForeground(bin);
    const status = await waitUntilRunning(bin, ['sleeper', 'napper']).catch((error: Error) => {
      throw new Error(`${error.message}\nsupervisord said:\n${supervisord.output()}`);
    });
    expect(status).toMatch(/^sleeper\s+RUNNING\s+pid \d+/m);

    // A changed `programs` reinstalls the part, and buildout brings the running supervisord in step.
    writeFileSync(join(root, 'buildout.cfg'), config(port, ['10 sleeper /bin/sleep [3600]', '30 dozer /bin/sleep [3602]']));
    const rerun = await buildout(['-U'], root);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/Installed supervisor/);
    expect(readFileSync(conf, 'utf8')).toContain('[program:dozer]');
    expect(rerun.stdout).toContain('supervisor: started dozer, removed napper\n');
    await waitUntilRunning(bin, ['sleeper', 'dozer']);

    expect(supervisorctl(bin, 'shutdown').status).toBe(0);
    expect(await waitFor(() => !isAlive(supervisord.pid), 15_000)).toBe(true);

    const removed = await buildout(['-U', 'buildout:parts='], root);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/Uninstalled supervisor/);
    for (const path of [conf, join(bin, 'supervisord'), join(bin, 'supervisorctl'), join(root, '.installed.cfg')]) {
      expect(existsSync(path), path).toBe(false);
    }
    // Logs are not the part's to remove.
    expect(existsSync(join(root, 'var/log/supervisord.log'))).toBe(true);
  }, 120_000);
});
