/**
 * Which option names look like they hold a secret. The name is split into
 * words (`db-password`, `api_key`, `apiKey`, `AUTH.TOKEN`) and matched word by
 * word, so `password-file` or `apiKey` count but `tokenizer` or `keyword` do not.
 * Recipes can declare more (`Recipe.secretOptions`); the CLI shows both as `***`.
 */

const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'secrets',
  'token',
  'tokens',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
]);

/** Two words that make a secret together: `api-key`, `private-key`, `access-key`, `auth-key`. */
const SECRET_PAIRS = new Set(['api key', 'private key', 'access key', 'auth key', 'signing key', 'client secret']);

/** Answers by name: a buildout of thousands of parts asks about the same few option names again and again. */
const answers = new Map<string, boolean>();

export function isSecretOptionName(option: string): boolean {
  let secret = answers.get(option);
  if (secret === undefined) {
    secret = looksSecret(option);
    answers.set(option, secret);
  }
  return secret;
}

function looksSecret(option: string): boolean {
  const words = option
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  for (let index = 0; index < words.length; index++) {
    if (SECRET_WORDS.has(words[index]!)) return true;
    if (index > 0 && SECRET_PAIRS.has(`${words[index - 1]} ${words[index]}`)) return true;
  }
  return false;
}
