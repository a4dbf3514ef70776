/** The output cache shared through Turborepo's remote-cache API, with a real turborepo-remote-cache server on loopback. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './engine/cli.js';
import { built, clearEvents, output, workspace } from './monorepo-support.js';
import { freePort, silentServer, startRemoteCache } from './remote-cache-server.js';
import { readArtifact } from '../packages/recipe-command/src/cache/artifact.js';
import { archive, archivedFile } from '../packages/recipe-command/src/cache/test-support.js';

const PACKAGES = [{ name: 'core' }, { name: 'ui', dependencies: ['core'] }, { name: 'app', dependencies: ['ui'] }];
const NAMES = ['app', 'core', 'ui'];

function clone(url: string, extra = ''): string {
  return workspace(PACKAGES, `\n[buildout]\nremote-cache = ${url}\nremote-cache-team = buildout-tests\n${extra}`);
}

async function install(root: string, env: Record<string, string>, args: string[] = []) {
  clearEvents(root);
  const result = await buildout(args, root, env);
  // -v says which configuration file it uses.
  expect(result.stderr.replace(/^buildout: using .*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return result;
}

/** Files the server stored, wherever in its folder. */
function stored(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((path) => statSync(join(folder, path)).isFile());
}

function warnings(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.includes('warning: remote cache'));
}

describe('remote cache (turborepo-remote-cache server)', () => {
  it('two clones sharing one server: the second builds nothing, everything comes from the remote', async () => {
    const server = await startRemoteCache();
    const first = clone(server.url);
    await install(first, { BUILDOUT_CACHE_TOKEN: server.token });
    expect(built(first)).toEqual(NAMES);
    expect(stored(server.storage).length).toBeGreaterThanOrEqual(3);

    // Turborepo's own token variable works too.
    const second = clone(server.url);
    const result = await install(second, { TURBO_TOKEN: server.token }, ['-v']);
    expect(built(second)).toEqual([]);
    expect(result.stdout).toMatch(/Done in .*: 3 restored from cache \(0 local, 3 remote\)\n$/);
    expect(result.stdout).toContain('build-app: restored from the remote cache');
    expect(result.stdout).toMatch(/^Installed build-app from the remote cache \(/m);
    for (const name of NAMES) expect(output(second, name)).toBe(output(first, name));
    // What came from the remote is in the local cache now.
    expect(readdirSync(join(second, '.buildout-cache')).filter((name) => name.endsWith('.tar.gz'))).toHaveLength(3);
  });

  it("an output that is a symbolic link to a user's folder: nothing of what it points to reaches the server", async () => {
    const server = await startRemoteCache();
    const root = tree({
      'userdata/notes.txt': 'the user notes',
      'clone/buildout.cfg': `[buildout]
parts = link
remote-cache = ${server.url}
remote-cache-team = buildout-tests

[link]
recipe = command
command = ln -sfn ../userdata current
outputs = current
`,
    });
    const result = await buildout([], join(root, 'clone'), { BUILDOUT_CACHE_TOKEN: server.token });
    expect(result.code).toBe(0);
    expect(stored(server.storage)).toEqual([]);
    expect(result.stdout).toContain('link: warning: current is a symbolic link: the outputs are not cached');
  });

  it('a server that is down: one warning, the build runs locally, exit 0', async () => {
    const root = clone(`http://127.0.0.1:${await freePort()}`);
    const result = await install(root, { BUILDOUT_CACHE_TOKEN: 'x' });
    expect(built(root)).toEqual(NAMES);
    expect(warnings(result.stdout)).toHaveLength(1);
    expect(warnings(result.stdout)[0]).toMatch(/is not usable \(ECONNREFUSED\); building locally for the rest of this run/);
  });

  it('a server that does not answer: one warning after remote-cache-timeout, the build runs locally', async () => {
    const root = clone(await silentServer(), 'remote-cache-timeout = 0.5');
    const result = await install(root, { BUILDOUT_CACHE_TOKEN: 'x' });
    expect(built(root)).toEqual(NAMES);
    expect(warnings(result.stdout)).toHaveLength(1);
    expect(warnings(result.stdout)[0]).toContain('no answer within 0.5 s');
  });

  it('a wrong token: one warning, the build runs locally', async () => {
    const server = await startRemoteCache();
    const root = clone(server.url);
    const result = await install(root, { BUILDOUT_CACHE_TOKEN: 'wrong' });
    expect(built(root)).toEqual(NAMES);
    expect(warnings(result.stdout)).toHaveLength(1);
    expect(stored(server.storage)).toEqual([]);
  });

  it('remote-cache-read-only: restores from the remote but never uploads', async () => {
    const server = await startRemoteCache();
    const env = { BUILDOUT_CACHE_TOKEN: server.token };
    const readOnly = clone(server.url, 'remote-cache-read-only = true');
    await install(readOnly, env);
    expect(built(readOnly)).toEqual(NAMES);
    expect(stored(server.storage)).toEqual([]);

    const writer = clone(server.url);
    await install(writer, env);
    const reader = clone(server.url, 'remote-cache-read-only = true');
    await install(reader, env);
    expect(built(reader)).toEqual([]);
  });

  it("artifacts that would write where the part's outputs are not (buildout.cfg, a source) or set a set-user-ID bit are refused: built instead", async () => {
    const server = await startRemoteCache();
    const env = { BUILDOUT_CACHE_TOKEN: server.token };
    await install(clone(server.url), env);
    // Whoever can write to the server replaces each part's artifact with one of the same key.
    const hostile: Record<string, (output: string) => ReturnType<typeof archivedFile>[]> = {
      core: (output) => [archivedFile('packages/core/dist/out.txt', output), archivedFile('buildout.cfg', '[buildout]\nparts =\n')],
      ui: (output) => [archivedFile('packages/ui/dist/out.txt', output), archivedFile('packages/ui/src/index.txt', 'ui v0\n')],
      app: (output) => [archivedFile('packages/app/dist/out.txt', output, { mode: 0o4755 })],
    };
    for (const file of stored(server.storage).map((path) => join(server.storage, path))) {
      const key = basename(file);
      const { manifest, contents } = readArtifact(readFileSync(file), key, { isOutput: () => true });
      const name = /^packages\/(\w+)\/dist\/out\.txt$/.exec(manifest.files[0]!.path)![1]!;
      writeFileSync(file, archive(key, hostile[name]!(contents.get(manifest.files[0]!.path)!.toString())));
    }

    const victim = clone(server.url);
    const config = readFileSync(join(victim, 'buildout.cfg'), 'utf8');
    const result = await install(victim, env);
    expect(built(victim)).toEqual(NAMES);
    expect(result.stdout).toContain("it names buildout.cfg, which is none of the part's outputs");
    expect(result.stdout).toContain("it names packages/ui/src/index.txt, which is none of the part's outputs");
    expect(result.stdout).toContain('it gives packages/app/dist/out.txt the mode 0o4755, beyond read, write and execute permissions');
    expect(readFileSync(join(victim, 'buildout.cfg'), 'utf8')).toBe(config);
    expect(readFileSync(join(victim, 'packages/ui/src/index.txt'), 'utf8')).toBe('ui v1\n');
    expect(statSync(join(victim, 'packages/app/dist/out.txt')).mode & 0o7000).toBe(0);
  });

  it('signed artifacts: restored with the right key, refused (and built) with another', async () => {
    const server = await startRemoteCache({ signatureKey: 'server-side' });
    const signed = 'remote-cache-signature = true';
    const writer = clone(server.url, signed);
    await install(writer, { BUILDOUT_CACHE_TOKEN: server.token, BUILDOUT_CACHE_SIGNATURE_KEY: 'team secret' });

    const trusted = clone(server.url, signed);
    await install(trusted, { BUILDOUT_CACHE_TOKEN: server.token, TURBO_REMOTE_CACHE_SIGNATURE_KEY: 'team secret' });
    expect(built(trusted)).toEqual([]);

    const other = clone(server.url, signed);
    const result = await install(other, { BUILDOUT_CACHE_TOKEN: server.token, BUILDOUT_CACHE_SIGNATURE_KEY: 'another secret' });
    expect(built(other)).toEqual(NAMES);
    expect(result.stdout).toContain("not using the remote cache's artifact");
    expect(result.stdout).toContain('its signature is missing or does not match');

    const missingKey = await buildout([], clone(server.url, signed), { BUILDOUT_CACHE_TOKEN: server.token });
    expect(missingKey.code).toBe(1);
    expect(missingKey.stderr).toContain('remote-cache-signature = true, but no signature key is set');
  });
});
