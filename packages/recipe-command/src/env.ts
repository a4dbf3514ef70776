import { BuildoutError } from '@buildout/engine';
import { CommandErrorCodes } from './errors.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `env` option: one `KEY=VALUE` per line, blank lines and `#` comments
 * ignored. The value is everything after the first `=`, taken literally
 * (no quotes are removed, no variables expanded).
 */
export function parseEnv(text: string, part: string): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    const key = equals < 0 ? line : line.slice(0, equals).trim();
    if (equals < 0 || !NAME.test(key)) {
      throw new BuildoutError(CommandErrorCodes.COMMAND_BAD_OPTION, `env line ${index + 1} '${line}' is not KEY=VALUE`, {
        part,
        option: 'env',
        hint: 'write one variable per line, e.g. NODE_ENV=production; names are letters, digits and _ and do not start with a digit',
      });
    }
    env[key] = line.slice(equals + 1).trim();
  }
  return env;
}
