import { describe, expect, test } from 'vitest';
import { configText, createBuildout, failure } from '@buildout/testing';
import { cacheSettings, DEFAULT_MAX_SIZE } from './settings.js';

async function part(buildout: Record<string, string>, options: Record<string, string> = {}) {
  const sample = createBuildout({
    'buildout.cfg': configText({ buildout: { parts: 'build', ...buildout }, build: { recipe: 'command', command: 'true', ...options } }),
  });
  return { root: sample.directory, made: await sample.part('build') };
}

describe('cache settings', () => {
  test('defaults: .buildout-cache in the buildout directory, 5 GB, no remote', async () => {
    const { root, made } = await part({});
    expect(cacheSettings(made, {})).toEqual({ directory: `${root}/.buildout-cache`, maxSize: DEFAULT_MAX_SIZE, remote: undefined });
    expect(DEFAULT_MAX_SIZE).toBe(5 * 1024 ** 3);
  });

  test('cache = false on the part or in [buildout] turns it off', async () => {
    expect(cacheSettings((await part({}, { cache: 'false' })).made, {})).toBeUndefined();
    expect(cacheSettings((await part({ cache: 'off' })).made, {})).toBeUndefined();
  });

  test('sizes, the remote, its team and token from the environment', async () => {
    const { made } = await part({
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
    const { made } = await part(buildout);
    expect(await failure(() => cacheSettings(made, {}))).toMatchObject({
      code: 'COMMAND_BAD_OPTION',
      message,
      part: 'build',
    });
  });
});
