/**
 * Where a command part's outputs are cached, read from `[buildout]` and the
 * part: `cache-directory`, `cache-max-size`, `cache` (on a part or in
 * `[buildout]`), `remote-cache`, `remote-cache-team`, `remote-cache-read-only`,
 * `remote-cache-timeout`, `remote-cache-signature`; the remote's token and
 * signature key come from the environment, never from a file.
 */
import { resolve } from 'node:path';
import { BuildoutError, DEFAULT_CACHE_DIRECTORY, type Part } from '@buildout/engine';
import { CommandErrorCodes } from '../errors.js';
import { optional } from '../options.js';

export const DEFAULT_MAX_SIZE = 5 * 1024 ** 3;
export const DEFAULT_REMOTE_TIMEOUT_MS = 10_000;
/** Token variables, first found wins (Turborepo's own name second, so one token serves both tools). */
export const TOKEN_VARIABLES = ['BUILDOUT_CACHE_TOKEN', 'TURBO_TOKEN'] as const;
export const SIGNATURE_KEY_VARIABLES = ['BUILDOUT_CACHE_SIGNATURE_KEY', 'TURBO_REMOTE_CACHE_SIGNATURE_KEY'] as const;

export interface RemoteSettings {
  /** Base URL, without a trailing slash. */
  readonly url: string;
  readonly team: string | undefined;
  readonly token: string | undefined;
  readonly readOnly: boolean;
  readonly timeoutMs: number;
  /** HMAC-SHA256 key: artifacts are signed on upload and must carry a valid signature to be restored. */
  readonly signatureKey: string | undefined;
}

export interface CacheSettings {
  /** Absolute. */
  readonly directory: string;
  readonly maxSize: number;
  readonly remote: RemoteSettings | undefined;
}

/** The part's cache settings; undefined when caching is off for it. */
export function cacheSettings(part: Part, env: Readonly<Record<string, string | undefined>> = process.env): CacheSettings | undefined {
  const setting = (name: string): string | undefined => {
    const value = part.buildout.getOptional('buildout', name)?.trim();
    return value === '' ? undefined : value;
  };
  if (!flag(part, optional(part.options, 'cache'), 'cache', true) || !flag(part, setting('cache'), 'buildout:cache', true))
    return undefined;
  const url = setting('remote-cache');
  const signed = flag(part, setting('remote-cache-signature'), 'buildout:remote-cache-signature', false);
  const signatureKey = firstOf(env, SIGNATURE_KEY_VARIABLES);
  if (url !== undefined && signed && signatureKey === undefined) {
    throw badSetting(
      part,
      'remote-cache-signature = true, but no signature key is set',
      `set ${SIGNATURE_KEY_VARIABLES.join(' or ')} in the environment`,
    );
  }
  if (url !== undefined && !/^https?:\/\/[^/]/.test(url)) {
    throw badSetting(
      part,
      `remote-cache = ${url} is not an http(s) URL`,
      'write remote-cache = https://cache.example.com (the server of the Turborepo remote-cache API)',
    );
  }
  return {
    directory: resolve(part.directory, setting('cache-directory') ?? DEFAULT_CACHE_DIRECTORY),
    maxSize: parseSize(part, setting('cache-max-size')),
    remote:
      url === undefined
        ? undefined
        : {
            url: url.replace(/\/+$/, ''),
            team: setting('remote-cache-team'),
            token: firstOf(env, TOKEN_VARIABLES),
            readOnly: flag(part, setting('remote-cache-read-only'), 'buildout:remote-cache-read-only', false),
            timeoutMs: parseSeconds(part, setting('remote-cache-timeout')),
            signatureKey: signed ? signatureKey : undefined,
          },
  };
}

function firstOf(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): string | undefined {
  for (const name of names) if (env[name]) return env[name];
  return undefined;
}

function flag(part: Part, value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw badSetting(part, `${name} = ${value} is not a boolean`, `write ${name} = true or ${name} = false`);
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
};

/** `cache-max-size`: bytes, or a number with K/M/G/T (binary units: 1 GB = 1024³ bytes). */
export function parseSize(part: Part, value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_SIZE;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined)
    throw badSetting(part, `cache-max-size = ${value} is not a size`, 'write a size such as 500MB, 5GB or a number of bytes');
  return Math.floor(Number(match[1]) * unit);
}

function parseSeconds(part: Part, value: string | undefined): number {
  if (value === undefined) return DEFAULT_REMOTE_TIMEOUT_MS;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw badSetting(part, `remote-cache-timeout = ${value} is not a number of seconds`, 'write e.g. remote-cache-timeout = 10');
  return seconds * 1000;
}

function badSetting(part: Part, message: string, hint: string): BuildoutError {
  return new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, message, { part: part.name, hint });
}
