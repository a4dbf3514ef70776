/**
 * Issue 11 end to end, through the CLI and real supervisord started from the
 * generated script: a rerun of buildout brings the running supervisord in
 * step (no supervisorctl run by hand), `on-change = none` leaves it alone, a
 * refused change leaves everything as it was, server settings are reported
 * or reloaded, removing the part stops supervisord, and a port taken by
 * another process is a warning. Every supervisord started here is stopped
 * by pid after the test, also when it fails.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../packages/recipe-supervisor/test-support/supervisor-python.js';
import {
  freePort,
  isAlive,
  startDaemon,
  supervisorctl,
  waitUntilRunning,
} from '../packages/recipe-supervisor/test-support/supervisord-process.js';
import { buildout, tree } from './engine/cli.js';

const STAND_IN_SUPERLANCE = fileURLToPath(new URL('../examples/supervisor/superlance', import.meta.url));
const SLOW = 180_000;

interface Setup {
  readonly port: number;
  readonly programs: readonly string[];
  readonly extra?: string;
  readonly parts?: string;
}

function config({ port, programs, extra = '', parts = 'supervisor' }: Setup): string {
  return `[buildout]
parts = ${parts}
offline = true

[supervisor]
recipe = collective.recipe.supervisor
python = ${SUPERVISOR_PYTHON}
port = 127.0.0.1:${port}
user = admin
password = s3cret
${process.getuid?.() === 0 ? 'supervisord-user = root\n' : ''}${extra}programs =
${programs.map((line) => `      ${line}`).join('\n')}
`;
}

/** name -> pid of the RUNNING programs, from `supervisorctl status` (read only). */
function runningPids(bin: string): Map<string, number> {
  const status = supervisorctl(bin, 'status');
  const pids = new Map<string, number>();
  for (const match of status.stdout.matchAll(/^(\S+)\s+RUNNING\s+pid (\d+)/gm)) pids.set(match[1]!, Number(match[2]));
  return pids;
}

function programNames(bin: string): string[] {
  return supervisorctl(bin, 'status')
    .stdout.split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(/\s+/)[0]!)
    .sort();
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe.skipIf(skipWithoutSupervisor)(`a running supervisord kept in step by buildout${needsSupervisor}`, () => {
  it(
    'starts the added program, restarts the changed one, removes the removed one, leaves the rest; none, refused, removed',
    async () => {
      const port = await freePort();
      const root = tree({});
      cpSync(STAND_IN_SUPERLANCE, join(root, 'superlance'), { recursive: true });
      const plugins = 'plugins = ./superlance\n';
      const write = (setup: Omit<Setup, 'port'>): void =>
        writeFileSync(join(root, 'buildout.cfg'), config({ port, ...setup, extra: `${plugins}${setup.extra ?? ''}` }));
      const bin = join(root, 'bin');
      const conf = join(root, 'parts', 'supervisor', 'supervisord.conf');

      write({ programs: ['10 keeper /bin/sleep [3600]', '20 changer /bin/sleep [3601]', '30 leaver /bin/sleep [3602]'] });
      const install = await buildout([], root);
      expect(install.stderr).toBe('');
      expect(install.code).toBe(0);
      const supervisord = await startDaemon(root);
      await waitUntilRunning(bin, ['keeper', 'changer', 'leaver']);
      const before = runningPids(bin);
      const [venv] = readdirSync(join(root, 'parts', 'supervisor')).filter((name) => name.startsWith('venv-'));
      const venvRecord = join(root, 'parts', 'supervisor', venv!, '.buildout-environment.json');
      const venvBuilt = statSync(venvRecord).mtimeMs;

      // Add one, change one's command, remove one; rerun buildout and nothing else.
      write({ programs: ['10 keeper /bin/sleep [3600]', '20 changer /bin/sleep [3611]', '40 newcomer /bin/sleep [3603]'] });
      const rerun = await buildout([], root);
      expect(rerun.stderr).toBe('');
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain('supervisor: started newcomer, restarted changer, removed leaver\n');
      expect(rerun.stdout).not.toContain('Creating a virtualenv');
      expect(statSync(venvRecord).mtimeMs).toBe(venvBuilt);
      const status = await waitUntilRunning(bin, ['keeper', 'changer', 'newcomer']);
      const after = runningPids(bin);
      expect(after.get('keeper'), status).toBe(before.get('keeper'));
      expect(after.get('changer')).not.toBe(before.get('changer'));
      expect(isAlive(before.get('changer')!)).toBe(false);
      expect(isAlive(before.get('leaver')!)).toBe(false);
      expect(readFileSync(`/proc/${after.get('changer')}/cmdline`, 'utf8')).toBe('/bin/sleep\x003611\x00');
      expect(readFileSync(`/proc/${supervisord}/cmdline`, 'utf8')).toContain(`${venv}/bin/python`);

      // on-change = none: the file changes, supervisord does not.
      const withIgnored = [
        '10 keeper /bin/sleep [3600]',
        '20 changer /bin/sleep [3611]',
        '40 newcomer /bin/sleep [3603]',
        '50 ignored /bin/sleep [3604]',
      ];
      write({
        programs: withIgnored,
        extra: 'on-change = none\n',
      });
      const untouched = await buildout([], root);
      expect(untouched.code).toBe(0);
      expect(untouched.stdout).toContain(`supervisor: supervisord (pid ${supervisord}) left as it is (on-change = none)`);
      expect(readFileSync(conf, 'utf8')).toContain('[program:ignored]');
      expect(programNames(bin)).toEqual(['changer', 'keeper', 'newcomer']);
      expect(runningPids(bin)).toEqual(after);

      // A change supervisord's own parser refuses changes nothing.
      const confBefore = readFileSync(conf, 'utf8');
      const scriptsBefore = readdirSync(bin).map((name) => [name, readFileSync(join(bin, name), 'utf8')]);
      write({ programs: ['10 keeper /bin/sleep [3600] /tmp false no-such-user-4711'] });
      const refused = await buildout([], root);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('supervisord refuses the generated configuration: Invalid user name no-such-user-4711');
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(conf, 'utf8')).toBe(confBefore);
      expect(readdirSync(bin).map((name) => [name, readFileSync(join(bin, name), 'utf8')])).toEqual(scriptsBefore);
      expect(isAlive(supervisord)).toBe(true);
      expect(runningPids(bin)).toEqual(after);
      // The refused run left the part recorded: a rerun with the old options changes nothing.
      write({
        programs: withIgnored,
        extra: 'on-change = none\n',
      });
      const back = await buildout([], root);
      expect(back.code).toBe(0);
      expect(back.stdout).toMatch(/1 unchanged/);

      // Back to on-change = update: what `none` left behind is applied, though the file stays the same.
      write({
        programs: withIgnored,
      });
      const caughtUp = await buildout([], root);
      expect(caughtUp.code).toBe(0);
      expect(caughtUp.stdout).toContain('supervisor: started ignored\n');
      await waitUntilRunning(bin, ['keeper', 'changer', 'newcomer', 'ignored']);
      expect(runningPids(bin).get('keeper')).toBe(before.get('keeper'));

      // The part leaves parts: supervisord and its programs stop before the files go.
      const programs = [...runningPids(bin).values()];
      const removed = await buildout(['buildout:parts='], root);
      expect(removed.code).toBe(0);
      expect(removed.stdout).toContain(`supervisor: stopped supervisord (pid ${supervisord}) and its programs`);
      expect(isAlive(supervisord)).toBe(false);
      for (const pid of programs) expect(isAlive(pid)).toBe(false);
      expect(existsSync(join(root, 'parts', 'supervisor'))).toBe(false);
      expect(readdirSync(bin)).toEqual([]);
    },
    SLOW,
  );

  it(
    'reports server settings update cannot apply, applies them with on-change = reload, and keeps supervisord with stop-on-uninstall = false',
    async () => {
      const port = await freePort();
      const root = tree({ 'buildout.cfg': config({ port, programs: ['10 sleeper /bin/sleep [3620]'] }) });
      const bin = join(root, 'bin');
      expect((await buildout([], root)).code).toBe(0);
      const supervisord = await startDaemon(root);
      await waitUntilRunning(bin, ['sleeper']);
      const sleeper = runningPids(bin).get('sleeper');

      writeFileSync(join(root, 'buildout.cfg'), config({ port, programs: ['10 sleeper /bin/sleep [3620]'], extra: 'loglevel = debug\n' }));
      const reported = await buildout([], root);
      expect(reported.code).toBe(0);
      expect(reported.stdout).toContain(
        `supervisor: warning: [supervisord] loglevel changed, which supervisord reads only when it starts; apply with: ${bin}/supervisorctl reload`,
      );
      expect(runningPids(bin).get('sleeper')).toBe(sleeper);

      writeFileSync(
        join(root, 'buildout.cfg'),
        config({
          port,
          programs: ['10 sleeper /bin/sleep [3620]'],
          extra: 'loglevel = warn\non-change = reload\nstop-on-uninstall = false\n',
        }),
      );
      const reloaded = await buildout([], root);
      expect(reloaded.code).toBe(0);
      expect(reloaded.stdout).toContain(`supervisor: reloaded supervisord (pid ${supervisord}): [supervisord] loglevel changed`);
      await waitUntilRunning(bin, ['sleeper']);
      expect(runningPids(bin).get('sleeper')).not.toBe(sleeper);
      expect(isAlive(supervisord)).toBe(true);

      // A supervisord that does not answer (stopped by a signal here) is a warning, not a failure.
      const reloadExtra = 'loglevel = warn\non-change = reload\nstop-on-uninstall = false\n';
      process.kill(supervisord, 'SIGSTOP');
      try {
        writeFileSync(
          join(root, 'buildout.cfg'),
          config({ port, programs: ['10 sleeper /bin/sleep [3620]', '20 late /bin/sleep [3621]'], extra: reloadExtra }),
        );
        const silent = await buildout([], root);
        expect(silent.code).toBe(0);
        expect(silent.stdout).toContain(
          `supervisor: warning: supervisord (pid ${supervisord}) runs with this part's pid file but does not answer (no answer from http://127.0.0.1:${port} within 10 s); apply the change with: ${bin}/supervisorctl update`,
        );
      } finally {
        process.kill(supervisord, 'SIGCONT');
      }

      const removed = await buildout(['buildout:parts='], root);
      expect(removed.code).toBe(0);
      expect(removed.stdout).toContain(`supervisor: warning: supervisord (pid ${supervisord}) keeps running (stop-on-uninstall = false)`);
      expect(isAlive(supervisord)).toBe(true);
    },
    SLOW,
  );

  it(
    'keeps supervisord through the reinstall of a part installed because another part refers to it (not in parts)',
    async () => {
      const port = await freePort();
      const root = tree({ 'app.mjs': 'export default { install() { return []; }, update() {} };\n' });
      const app = '\n[app]\nrecipe = ./app.mjs\nconf = ${supervisor:supervisord-conf}\n';
      const write = (programs: string[]): void => writeFileSync(join(root, 'buildout.cfg'), config({ port, programs, parts: 'app' }) + app);
      const bin = join(root, 'bin');
      write(['10 sleeper /bin/sleep [3640]']);
      expect((await buildout([], root)).code).toBe(0);
      const supervisord = await startDaemon(root);
      await waitUntilRunning(bin, ['sleeper']);

      write(['10 sleeper /bin/sleep [3640]', '20 second /bin/sleep [3641]']);
      const rerun = await buildout([], root);
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain('Uninstalling supervisor...');
      expect(rerun.stdout).toContain('supervisor: started second\n');
      expect(rerun.stdout).not.toContain('stopped supervisord');
      expect(isAlive(supervisord)).toBe(true);
      await waitUntilRunning(bin, ['sleeper', 'second']);
    },
    SLOW,
  );

  it('warns at build time about a port another process listens on, and a program whose command is missing', async () => {
    const server = createServer();
    servers.push(server);
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    const root = tree({ 'buildout.cfg': config({ port, programs: ['10 sleeper /bin/sleep [3630]', '20 ghost /no/such/program [x]'] }) });
    const result = await buildout([], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`supervisor: warning: port 127.0.0.1:${port} is already in use by pid ${process.pid} (`);
    expect(result.stdout).toContain(
      'supervisor: warning: part supervisor, option programs, line 2 "20 ghost /no/such/program [x]": the command /no/such/program does not exist',
    );
    expect(result.stdout).toContain('the directory /no/such does not exist');
    expect(result.stdout).not.toContain('line 1');
  });
});
