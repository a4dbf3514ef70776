/**
 * A client of Turborepo's remote-cache HTTP API (`/v8/artifacts/:hash`,
 * GET/PUT/HEAD, bearer token, `teamId` or `slug` query), so any server of
 * that API serves: Vercel's, or the self-hosted turborepo-remote-cache.
 * A remote that fails or does not answer in time is given up for the rest of
 * the run after one warning: the build goes on locally. With a signature key,
 * uploads carry turbo's `x-artifact-tag` (HMAC-SHA256 of hash, team and
 * artifact, base64) and downloads without a valid one are refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RemoteSettings } from './settings.js';

export type Warn = (message: string) => void;

export type RemoteLookup = { readonly found: true; readonly data: Buffer } | { readonly found: false; readonly why?: string };

export class RemoteCache {
  private down = false;

  /** `warn` gets one message, the first time the remote fails in this process. */
  constructor(readonly settings: RemoteSettings) {}

  /** The artifact, when the remote has one whose signature (if required) is valid. */
  async fetch(key: string, warn: Warn): Promise<RemoteLookup> {
    const response = await this.request('GET', key, warn);
    if (!response) return { found: false };
    if (response.status === 404) return { found: false };
    if (!response.ok) {
      this.giveUp(warn, `GET answered ${await statusOf(response)}`);
      return { found: false };
    }
    let data: Buffer;
    try {
      data = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      this.giveUp(warn, `the download of ${key} broke off (${(error as Error).message})`);
      return { found: false };
    }
    const { signatureKey } = this.settings;
    if (signatureKey !== undefined && !this.signatureMatches(key, data, response.headers.get('x-artifact-tag'))) {
      return { found: false, why: 'its signature is missing or does not match' };
    }
    return { found: true, data };
  }

  /** Whether the remote has the artifact (plan time). */
  async has(key: string, warn: Warn): Promise<boolean> {
    const response = await this.request('HEAD', key, warn);
    return response?.ok ?? false;
  }

  /** Uploads an artifact, unless the remote is read-only or down. */
  async store(key: string, data: Buffer, durationMs: number, warn: Warn): Promise<void> {
    if (this.settings.readOnly) return;
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'x-artifact-duration': String(Math.round(durationMs)),
    };
    if (this.settings.signatureKey !== undefined) headers['x-artifact-tag'] = this.sign(key, data);
    const response = await this.request('PUT', key, warn, data, headers);
    if (response && !response.ok) this.giveUp(warn, `PUT answered ${await statusOf(response)}`);
    else await response?.arrayBuffer().catch(() => undefined);
  }

  private url(key: string): string {
    const { url, team } = this.settings;
    // Turborepo's convention: a team id starts with team_, anything else is a slug.
    const query = team === undefined ? '' : `?${team.startsWith('team_') ? 'teamId' : 'slug'}=${encodeURIComponent(team)}`;
    return `${url}/v8/artifacts/${encodeURIComponent(key)}${query}`;
  }

  private async request(
    method: string,
    key: string,
    warn: Warn,
    body?: Buffer,
    extra: Record<string, string> = {},
  ): Promise<Response | undefined> {
    if (this.down) return undefined;
    const headers: Record<string, string> = { ...extra };
    if (this.settings.token !== undefined) headers.authorization = `Bearer ${this.settings.token}`;
    try {
      const response = await fetch(this.url(key), { method, headers, body, signal: AbortSignal.timeout(this.settings.timeoutMs) });
      if (response.status === 401 || response.status === 403) {
        this.giveUp(
          warn,
          `it refused the token (${response.status}${this.settings.token === undefined ? '; no BUILDOUT_CACHE_TOKEN or TURBO_TOKEN is set' : ''})`,
        );
        return undefined;
      }
      if (response.status >= 500) {
        this.giveUp(warn, `${method} answered ${await statusOf(response)}`);
        return undefined;
      }
      return response;
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.settings.timeoutMs / 1000} s` : describe(error);
      this.giveUp(warn, reason);
      return undefined;
    }
  }

  private giveUp(warn: Warn, reason: string): void {
    if (this.down) return;
    this.down = true;
    warn(`remote cache ${this.settings.url} is not usable (${reason}); building locally for the rest of this run`);
  }

  private sign(key: string, data: Buffer): string {
    return createHmac('sha256', this.settings.signatureKey!)
      .update(key)
      .update(this.settings.team ?? '')
      .update(data)
      .digest('base64');
  }

  private signatureMatches(key: string, data: Buffer, tag: string | null): boolean {
    if (!tag) return false;
    const expected = Buffer.from(this.sign(key, data));
    const given = Buffer.from(tag);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** `400 Bad Request: <the server's message>`. */
async function statusOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // Not JSON: the text as it is.
  }
  const detail = message.trim().slice(0, 200);
  return `${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
