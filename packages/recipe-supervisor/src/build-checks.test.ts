import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { listenerWarnings, programWarnings } from './build-checks.js';
import { readSettings } from './options.js';

const tempDirectory = useTempDirectories();

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

function listening(target: string | number): Promise<Server> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve) =>
    typeof target === 'string' ? server.listen(target, () => resolve(server)) : server.listen(target, '127.0.0.1', () => resolve(server)),
  );
}

function settingsFor(directory: string, options: Record<string, string>) {
  return readSettings('supervisor', options, { directory, binDirectory: join(directory, 'bin'), partsDirectory: join(directory, 'parts') });
}

describe.runIf(process.platform === 'linux')('a port or socket another process listens on', () => {
  it("names the port and the process, unless it is the part's own supervisord", async () => {
    const server = await listening(0);
    const port = (server.address() as { port: number }).port;
    const settings = settingsFor(tempDirectory(), { port: `127.0.0.1:${port}` });
    const [warning, ...more] = listenerWarnings(settings, undefined);
    expect(more).toEqual([]);
    expect(warning).toMatch(
      new RegExp(`^port 127\\.0\\.0\\.1:${port} is already in use by pid ${process.pid} \\(.*\\); this part's supervisord would not start`),
    );
    expect(listenerWarnings(settings, process.pid)).toEqual([]);
  });

  it('names the socket file and the process', async () => {
    const directory = tempDirectory();
    const file = join(directory, 'supervisord.sock');
    const settings = settingsFor(directory, { 'http-socket': 'unix', file });
    expect(listenerWarnings(settings, undefined)).toEqual([]);
    await listening(file);
    expect(listenerWarnings(settings, undefined)).toEqual([
      expect.stringMatching(new RegExp(`^the socket ${file} is already in use by pid ${process.pid} `)),
    ]);
  });
});

function warningsFor(directory: string, programs: string, extra: Record<string, string> = {}): string[] {
  const layout = { directory, binDirectory: join(directory, 'bin'), partsDirectory: join(directory, 'parts') };
  return programWarnings(readSettings('supervisor', { programs, ...extra }, layout));
}

describe('programs whose command or directory is not there', () => {
  it('names the line of a missing command, a file that is not executable, a missing directory, a name not on PATH', () => {
    const directory = tempDirectory();
    writeFileSync(join(directory, 'plain.txt'), 'not a program');
    chmodSync(join(directory, 'plain.txt'), 0o644);
    mkdirSync(join(directory, 'tool'));
    const warnings = warningsFor(
      directory,
      [
        '10 fine /bin/sleep [10]',
        '20 missing /opt/none/run',
        `30 text ${directory}/plain.txt`,
        `40 folder ${directory}/tool`,
        '50 elsewhere /bin/sleep [10] /no/such/folder',
        '60 bare sleep [10]',
        '70 unknown no-such-command-4711',
        '80 expanded %(ENV_HOME)s/bin/run',
      ].join('\n'),
    );
    expect(warnings).toEqual([
      'part supervisor, option programs, line 2 "20 missing /opt/none/run": the command /opt/none/run does not exist',
      'part supervisor, option programs, line 2 "20 missing /opt/none/run": the directory /opt/none does not exist; supervisord would fail to start the program',
      `part supervisor, option programs, line 3 "30 text ${directory}/plain.txt": the command ${directory}/plain.txt is not an executable file`,
      `part supervisor, option programs, line 4 "40 folder ${directory}/tool": the command ${directory}/tool is not an executable file`,
      'part supervisor, option programs, line 5 "50 elsewhere /bin/sleep [10] /no/such/folder": the directory /no/such/folder does not exist; supervisord would fail to start the program',
      expect.stringMatching(
        /^part supervisor, option programs, line 7 "70 unknown no-such-command-4711": the command no-such-command-4711 is not found on PATH/,
      ),
    ]);
  });

  it('looks for a bare command on env-path when it is set', () => {
    const directory = tempDirectory();
    expect(warningsFor(directory, '10 bare sleep [10]', { 'env-path': join(directory, 'empty') })).toEqual([
      `part supervisor, option programs, line 1 "10 bare sleep [10]": the command sleep is not found on PATH (${join(directory, 'empty')})`,
    ]);
  });
});
