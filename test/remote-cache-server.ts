/**
 * A real Turborepo remote-cache server for tests: the `turborepo-remote-cache`
 * npm package (local disk storage) on a free loopback port, stopped by pid
 * after each test, also when the test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@buildout/testing';
import { afterEach } from 'vitest';

const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('turborepo-remote-cache/package.json')), 'dist/cli.js');

const running: { child: ChildProcess; storage: string }[] = [];
const servers: { server: Server; sockets: Set<Socket> }[] = [];
afterEach(async () => {
  for (const { child, storage } of running.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
    rmSync(storage, { recursive: true, force: true });
  }
  for (const { server, sockets } of servers.splice(0)) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback port nothing listens on (at the time of asking). */
export { freePort };

export interface RemoteCacheServer {
  readonly url: string;
  readonly token: string;
  /** Where the server keeps the artifacts. */
  readonly storage: string;
}

export async function startRemoteCache(options: { signatureKey?: string } = {}): Promise<RemoteCacheServer> {
  const port = await freePort();
  const storage = mkdtempSync(join(tmpdir(), 'remote-cache-'));
  const token = 'test-token';
  const child = spawn(process.execPath, [CLI], {
    env: {
      PATH: process.env.PATH ?? '',
      STORAGE_PROVIDER: 'local',
      STORAGE_PATH: storage,
      STORAGE_PATH_USE_TMP_FOLDER: 'false',
      HOST: '127.0.0.1',
      PORT: String(port),
      TURBO_TOKEN: token,
      LOG_LEVEL: 'warn',
      ...(options.signatureKey ? { TURBO_REMOTE_CACHE_SIGNATURE_KEY: options.signatureKey } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.push({ child, storage });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`turborepo-remote-cache exited with ${child.exitCode}: ${stderr}`);
    try {
      await fetch(`${url}/v8/artifacts/status`);
      return { url, token, storage };
    } catch {
      if (Date.now() > until) throw new Error(`turborepo-remote-cache did not start on ${url}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A loopback server that accepts connections and never answers (a remote that hangs). */
export async function silentServer(): Promise<string> {
  const sockets = new Set<Socket>();
  // Keeps every connection open and says nothing.
  const server = createServer((socket) => void sockets.add(socket));
  servers.push({ server, sockets });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}
