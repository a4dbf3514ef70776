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
  'token',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'secretkey',
]);

/** Words run together with another (`DBPASSWORD`, `apitoken`, `htpasswd`): one that ends so counts. */
const SECRET_ENDINGS = ['password', 'passwd', 'passphrase', 'token', 'secret', 'apikey', 'privatekey', 'credentials'];

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
    .map(singular)
    .filter(Boolean);
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (SECRET_WORDS.has(word) || SECRET_ENDINGS.some((ending) => word.endsWith(ending))) return true;
    if (index > 0 && SECRET_PAIRS.has(`${words[index - 1]} ${word}`)) return true;
  }
  return false;
}

/** `password2` and `passwords` are `password`: a number or a plural ending does not make a secret name plain. */
function singular(word: string): string {
  const stem = word.replace(/\d+$/, '');
  return stem.endsWith('s') && SECRET_WORDS.has(stem.slice(0, -1)) ? stem.slice(0, -1) : stem;
}
