import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeListener, portListeners, socketListeners } from './listener-check.js';

const servers: Server[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function listening(target: number | string): Promise<Server> {
  const server = createServer();
  servers.push(server);
  return new Promise((resolve) => {
    if (typeof target === 'string') server.listen(target, () => resolve(server));
    else server.listen(target, '127.0.0.1', () => resolve(server));
  });
}

describe.runIf(process.platform === 'linux')('who listens, from /proc', () => {
  it('finds the process listening on a TCP port, and nobody on a free one', async () => {
    const server = await listening(0);
    const port = (server.address() as { port: number }).port;
    const [listener, ...others] = portListeners(port);
    expect(others).toEqual([]);
    expect(listener?.pid).toBe(process.pid);
    expect(describeListener(listener!)).toMatch(new RegExp(`^pid ${process.pid} \\(.*node`));
    expect(portListeners(port, process.pid)).toEqual([listener]);
    await new Promise((resolve) => server.close(resolve));
    expect(portListeners(port)).toEqual([]);
  });

  it('finds the process listening on a unix socket path', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'listener-'));
    folders.push(folder);
    const path = join(folder, 'supervisord.sock');
    expect(socketListeners(path)).toEqual([]);
    await listening(path);
    expect(socketListeners(path).map((listener) => listener.pid)).toEqual([process.pid]);
  });
});
