import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callSupervisor, SupervisorFault } from './supervisor-rpc.js';

const servers: Server[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function serve(handler: (request: IncomingMessage, body: string) => { status: number; body: string } | undefined): Server {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const answer = handler(request, body);
      if (answer === undefined) return; // never answers
      response.writeHead(answer.status, { 'Content-Type': 'text/xml' });
      response.end(answer.body);
    });
  });
  servers.push(server);
  return server;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

const INT_RESPONSE = '<?xml version="1.0"?><methodResponse><params><param><value><int>4242</int></value></param></params></methodResponse>';
const FAULT_RESPONSE =
  '<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>10</int></value></member><member><name>faultString</name><value><string>BAD_NAME: x</string></value></member></struct></value></fault></methodResponse>';

describe('XML-RPC calls to supervisord', () => {
  it('talks over a unix socket, with basic credentials', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rpc-'));
    folders.push(folder);
    const socket = join(folder, 'sv.sock');
    const seen: string[] = [];
    const server = serve((request, body) => {
      seen.push(
        String(request.headers.authorization),
        request.url ?? '',
        body.includes('<methodName>supervisor.getPID</methodName>') ? 'getPID' : body,
      );
      return { status: 200, body: INT_RESPONSE };
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    const pid = await callSupervisor({ endpoint: { kind: 'unix', path: socket }, user: 'admin', password: 'p:w' }, 'supervisor.getPID');
    expect(pid).toBe(4242);
    expect(seen).toEqual([`Basic ${Buffer.from('admin:p:w').toString('base64')}`, '/RPC2', 'getPID']);
  });

  it('says when supervisord refuses the credentials, faults, does not answer, or is not there', async () => {
    const port = await listen(
      serve((request) => {
        if (request.headers.authorization === undefined) return { status: 401, body: '<html>Unauthorized</html>' };
        if (request.headers.authorization.endsWith(Buffer.from('slow:x').toString('base64'))) return undefined;
        return { status: 200, body: FAULT_RESPONSE };
      }),
    );
    const endpoint = { kind: 'inet', host: '127.0.0.1', port } as const;
    await expect(callSupervisor({ endpoint, user: '', password: '' }, 'supervisor.getPID')).rejects.toThrow(
      `http://127.0.0.1:${port} refuses this part's user and password`,
    );
    const fault = await callSupervisor({ endpoint, user: 'a', password: 'b' }, 'supervisor.addProcessGroup', ['x']).catch((error) => error);
    expect(fault).toBeInstanceOf(SupervisorFault);
    expect(fault.faultCode).toBe(10);
    await expect(callSupervisor({ endpoint, user: 'slow', password: 'x' }, 'supervisor.getPID', [], 300)).rejects.toThrow(
      `no answer from http://127.0.0.1:${port} within 0.3 s`,
    );
    const closed = await listen(serve(() => undefined));
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(callSupervisor({ endpoint: { ...endpoint, port: closed }, user: '', password: '' }, 'supervisor.getPID')).rejects.toThrow(
      `nothing listens on http://127.0.0.1:${closed}`,
    );
  });
});
