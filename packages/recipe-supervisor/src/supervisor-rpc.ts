/**
 * supervisord's XML-RPC interface (the one supervisorctl uses), through the
 * `xmlrpc` package, over a TCP port or a unix socket (node's http.request
 * takes `socketPath`), with HTTP basic credentials and a timeout per call.
 */
import { Agent } from 'node:http';
import xmlrpc from 'xmlrpc';

export type Endpoint =
  | { readonly kind: 'inet'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string };

export interface Connection {
  readonly endpoint: Endpoint;
  /** Empty when supervisord asks for no credentials. */
  readonly user: string;
  readonly password: string;
}

/** supervisord answered with a fault (a refused call), as opposed to not answering. */
export class SupervisorFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`${faultString} (fault ${faultCode})`);
  }
}

/** supervisor.xmlrpc.Faults, the codes this recipe looks at. */
export const Faults = { BAD_NAME: 10, NOT_RUNNING: 70, SHUTDOWN_STATE: 6, FAILED: 30 } as const;

export function describeEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === 'inet' ? `http://${endpoint.host}:${endpoint.port}` : `unix://${endpoint.path}`;
}

/** Quick calls answer at once (10 s leaves room for a loaded machine); stopping a group waits for its programs (stopwaitsecs, 10 s by default). */
export const QUICK_CALL_MS = 10_000;
export const STOPPING_CALL_MS = 120_000;

/** Calls `method`; rejects with a SupervisorFault, or an Error saying why supervisord did not answer. */
export function callSupervisor<T = unknown>(
  connection: Connection,
  method: string,
  params: readonly unknown[] = [],
  timeoutMs = QUICK_CALL_MS,
): Promise<T> {
  const { endpoint } = connection;
  // No keep-alive: one call, one connection, nothing left open when buildout exits.
  const agent = new Agent({ keepAlive: false });
  const headers: Record<string, string> = {};
  // Set here rather than through the package's basic_auth (it uses the deprecated Buffer constructor).
  if (connection.user !== '') {
    headers.Authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
  }
  // The package hands its options to http.request, which also takes socketPath, agent and signal (not in its types).
  const options: Record<string, unknown> = {
    ...(endpoint.kind === 'inet' ? { host: endpoint.host, port: endpoint.port } : { socketPath: endpoint.path }),
    path: '/RPC2',
    headers,
    agent,
    signal: AbortSignal.timeout(timeoutMs),
  };
  const client = xmlrpc.createClient(options as Parameters<typeof xmlrpc.createClient>[0]);
  return new Promise<T>((resolve, reject) => {
    client.methodCall(method, [...params], (error: unknown, value: unknown) => {
      agent.destroy();
      if (error === null || error === undefined) return resolve(value as T);
      reject(explain(error, endpoint, timeoutMs));
    });
  });
}

function explain(error: unknown, endpoint: Endpoint, timeoutMs: number): Error {
  const details = error as { faultCode?: number; faultString?: string; code?: string; name?: string; res?: { statusCode?: number } };
  if (typeof details.faultCode === 'number') return new SupervisorFault(details.faultCode, details.faultString ?? 'fault');
  const where = describeEndpoint(endpoint);
  if (details.name === 'AbortError' || details.name === 'TimeoutError' || details.code === 'ABORT_ERR') {
    return new Error(`no answer from ${where} within ${timeoutMs / 1000} s`);
  }
  if (details.res?.statusCode === 401) return new Error(`${where} refuses this part's user and password`);
  if (details.code === 'ECONNREFUSED' || details.code === 'ENOENT') return new Error(`nothing listens on ${where}`);
  return new Error(`${where}: ${(error as Error).message ?? String(error)}`);
}
