import { describe, expect, test } from 'vitest';
import { failure, fakePart, tree } from '../__fixtures__/support.js';
import { cacheSettings, DEFAULT_MAX_SIZE } from './settings.js';

function part(buildout: Record<string, string>, options: Record<string, string> = {}) {
  const root = tree({});
  const made = fakePart(root, 'build', { recipe: 'command', ...options }, { buildout: { directory: root, ...buildout } });
  return { root, made };
}

describe('cache settings', () => {
  test('defaults: .buildout-cache in the buildout directory, 5 GB, no remote', () => {
    const { root, made } = part({});
    expect(cacheSettings(made, {})).toEqual({ directory: `${root}/.buildout-cache`, maxSize: DEFAULT_MAX_SIZE, remote: undefined });
    expect(DEFAULT_MAX_SIZE).toBe(5 * 1024 ** 3);
  });

  test('cache = false on the part or in [buildout] turns it off', () => {
    expect(cacheSettings(part({}, { cache: 'false' }).made, {})).toBeUndefined();
    expect(cacheSettings(part({ cache: 'off' }).made, {})).toBeUndefined();
  });

  test('sizes, the remote, its team and token from the environment', () => {
    const { made } = part({
      'cache-directory': '/shared/cache',
      'cache-max-size': '500MB',
      'remote-cache': 'https://cache.example.com/',
      'remote-cache-team': 'team_abc',
      'remote-cache-read-only': 'yes',
      'remote-cache-timeout': '2.5',
    });
    expect(cacheSettings(made, { TURBO_TOKEN: 'turbo', BUILDOUT_CACHE_TOKEN: 'ours' })).toEqual({
      directory: '/shared/cache',
      maxSize: 500 * 1024 ** 2,
      remote: {
        url: 'https://cache.example.com',
        team: 'team_abc',
        token: 'ours',
        readOnly: true,
        timeoutMs: 2500,
        signatureKey: undefined,
      },
    });
    expect(cacheSettings(made, { TURBO_TOKEN: 'turbo' })?.remote?.token).toBe('turbo');
  });

  test.each([
    [{ 'cache-max-size': 'big' }, 'cache-max-size = big is not a size'],
    [{ cache: 'maybe' }, 'buildout:cache = maybe is not a boolean'],
    [{ 'remote-cache': 'ftp://x' }, 'remote-cache = ftp://x is not an http(s) URL'],
    [{ 'remote-cache': 'http://x', 'remote-cache-timeout': '-1' }, 'remote-cache-timeout = -1 is not a number of seconds'],
    [{ 'remote-cache': 'http://x', 'remote-cache-signature': 'true' }, 'remote-cache-signature = true, but no signature key is set'],
  ])('%j is refused with a clear message', async (buildout, message) => {
    expect(await failure(() => cacheSettings(part(buildout).made, {}))).toMatchObject({
      code: 'COMMAND_BAD_OPTION',
      message,
      part: 'build',
    });
  });
});
