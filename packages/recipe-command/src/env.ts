import picomatch from 'picomatch';
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

/**
 * Variables every command gets from the environment buildout runs in, without
 * being declared or hashed: what a shell and the usual tools need to work.
 */
export const BASE_ENV: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_*',
  'TZ',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  // Windows
  'SYSTEMROOT',
  'SystemRoot',
  'COMSPEC',
  'ComSpec',
  'PATHEXT',
  'WINDIR',
  'APPDATA',
  'LOCALAPPDATA',
  'USERPROFILE',
];

const baseMatcher = picomatch([...BASE_ENV]);

/** The variables of `ambient` whose names match `patterns` (names or globs such as `NEXT_PUBLIC_*`), sorted by name. */
export function passedEnv(patterns: readonly string[], ambient: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const passed: Record<string, string> = {};
  if (patterns.length === 0) return passed;
  const matches = picomatch([...patterns]);
  for (const name of Object.keys(ambient).sort()) {
    const value = ambient[name];
    if (value !== undefined && matches(name)) passed[name] = value;
  }
  return passed;
}

/** What a command runs with: the base variables, then the passed ones (`pass-env`), then the set ones (`env`). */
export function commandEnv(
  passed: Readonly<Record<string, string>>,
  set: Readonly<Record<string, string>>,
  ambient: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(ambient)) if (value !== undefined && baseMatcher(name)) env[name] = value;
  return { ...env, ...passed, ...set };
}
