/**
 * A real npm registry for tests: verdaccio on a free loopback port, with a
 * temporary storage folder and config (no uplinks: it never reaches the
 * public registry; anyone may publish), stopped by pid after the tests, also
 * when they fail. npm runs with a temporary cache and user config, so the
 * machine's npm set-up is neither used nor touched. Plain JavaScript, so
 * that the benchmarks (bench/) use it too; types in registry.d.mts.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@buildout/testing';

const run = promisify(execFile);
const VERDACCIO = join(dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')), 'bin/verdaccio');

/** Starts verdaccio; see registry.d.mts for what the returned object does. */
export async function startRegistry() {
  const root = mkdtempSync(join(tmpdir(), 'buildout-registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(root, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(root, 'storage'))}`,
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $anonymous',
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(root, 'htpasswd'))}`,
      '    max_users: -1',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'npmrc'), '');
  const env = {
    npm_config_cache: join(root, 'npm-cache'),
    npm_config_userconfig: join(root, 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // A stopped registry fails at once instead of after npm's retries.
    npm_config_fetch_retries: '0',
  };
  let child;
  let output = '';
  let counter = 0;

  const start = async () => {
    output = '';
    child = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: root },
    });
    child.stdout.on('data', (chunk) => (output += chunk.toString()));
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    const until = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${output}`);
      try {
        if ((await fetch(`${url}-/ping`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) {
        // Nobody else could stop it: the caller gets no registry to close.
        process.kill(child.pid, 'SIGKILL');
        throw new Error(`verdaccio did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running?.pid || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    process.kill(running.pid, 'SIGTERM');
    const timer = setTimeout(() => running.exitCode === null && process.kill(running.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  const npm = (args, cwd) => run('npm', args, { cwd, env: { ...process.env, ...env } });

  return {
    url,
    env,
    async publish(files) {
      counter += 1;
      const folder = join(root, 'packages', String(counter));
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(folder, path)), { recursive: true });
        writeFileSync(join(folder, path), text);
      }
      await npm(['publish', '--registry', url, `--//127.0.0.1:${port}/:_authToken=test`], folder);
      return folder;
    },
    async pack(folder, destination) {
      mkdirSync(destination, { recursive: true });
      const { stdout } = await npm(['pack', '--json', '--pack-destination', destination], folder);
      const [{ filename }] = JSON.parse(stdout);
      return join(destination, filename.replace(/^@/, '').replace('/', '-'));
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A recipe package: its recipe writes `parts/NAME.txt` with `name@version` and the part's `text` option. */
export function recipePackage(name, version, extra = {}) {
  return {
    'package.json': JSON.stringify({ name, version, type: 'module', buildout: { recipes: { [name]: './recipe.js' } }, ...extra }, null, 2),
    'recipe.js': `import { writeFileSync } from 'node:fs';
export default {
  install(part) {
    const file = 'parts/' + part.name + '.txt';
    writeFileSync(file, ${JSON.stringify(`${name}@${version}`)} + ' ' + (part.options.text ?? '') + '\\n');
    return [file];
  },
  update() {},
};
`,
  };
}
