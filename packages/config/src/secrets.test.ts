import { describe, expect, test } from 'vitest';
import { isSecretOptionName } from './secrets.js';

describe('isSecretOptionName', () => {
  test('names whose words say secret', () => {
    for (const name of [
      'password',
      'db-password',
      'PASSWORD',
      'passwd',
      'secret',
      'client_secret',
      'token',
      'auth.token',
      'apiToken',
      'api-key',
      'api_key',
      'apiKey',
      'apikey',
      'private-key',
      'credentials',
      'aws-access-key',
      // Numbered, plural, run together (all capitals), or one word ending so.
      'password2',
      'token1',
      'api-key-2',
      'passwords',
      'tokens',
      'secrets',
      'DBPASSWORD',
      'DB_PASSWORD',
      'apitoken',
      'authtoken',
      'secretkey',
      'htpasswd',
      'clientsecret',
    ]) {
      expect(isSecretOptionName(name), name).toBe(true);
    }
  });

  test('names that only contain such letters do not count', () => {
    for (const name of [
      'recipe',
      'tokenizer',
      'keyword',
      'key',
      'passport',
      'user',
      'serverurl',
      'secretary',
      'api',
      'monkey',
      'pass-env',
      'bypass',
      'port2',
      'tokenizers',
    ]) {
      expect(isSecretOptionName(name), name).toBe(false);
    }
  });
});
