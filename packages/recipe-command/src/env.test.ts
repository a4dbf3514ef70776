import { expect, test } from 'vitest';
import { isBuildoutError } from '@buildout/engine';
import { parseEnv } from './env.js';

test('KEY=VALUE lines; blank lines and comments ignored; the value is literal after the first =', () => {
  expect(parseEnv('NODE_ENV=production\n\n# comment\n  OPTS = --a=b "c"  \nEMPTY=', 'p')).toEqual({
    NODE_ENV: 'production',
    OPTS: '--a=b "c"',
    EMPTY: '',
  });
  expect(parseEnv('', 'p')).toEqual({});
});

test.each([
  ['NODE_ENV', "env line 1 'NODE_ENV' is not KEY=VALUE"],
  ['A=1\n1X=2', "env line 2 '1X=2' is not KEY=VALUE"],
  ['=x', "env line 1 '=x' is not KEY=VALUE"],
  ['MY-VAR=1', "env line 1 'MY-VAR=1' is not KEY=VALUE"],
])('%j is refused with the line', (text, message) => {
  let caught: unknown;
  try {
    parseEnv(text, 'build');
  } catch (error) {
    caught = error;
  }
  expect(isBuildoutError(caught)).toBe(true);
  expect(caught).toMatchObject({ code: 'COMMAND_BAD_OPTION', message, part: 'build' });
});
