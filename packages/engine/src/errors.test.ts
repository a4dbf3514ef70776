import { describe, expect, it } from 'vitest';
import { BuildoutError } from '@buildout/config';
import { asBuildoutError, partFailure } from './errors.js';

const location = { file: '/b/buildout.cfg', line: 3, column: 1 };

describe('asBuildoutError', () => {
  it('keeps a complete BuildoutError as it is', () => {
    const error = new BuildoutError('X', 'broke', { part: 'a', location });
    expect(asBuildoutError(error, { code: 'RECIPE_FAILED', part: 'b', location })).toBe(error);
  });

  it('adds the part and location a BuildoutError lacks, keeping code, message and hint', () => {
    const error = asBuildoutError(new BuildoutError('X', 'broke', { hint: 'fix it' }), {
      code: 'RECIPE_FAILED',
      part: 'b',
      location,
      hint: 'other',
    });
    expect(error).toMatchObject({ code: 'X', message: 'broke', hint: 'fix it', part: 'b', location });
  });

  it('takes an error shaped like a BuildoutError from another copy of the package', () => {
    const foreign = Object.assign(new Error('no who'), { name: 'BuildoutError', code: 'HELLO_NO_WHO', hint: 'set who' });
    const error = asBuildoutError(foreign, { code: 'RECIPE_FAILED', part: 'hello' });
    expect(error).toBeInstanceOf(BuildoutError);
    expect(error).toMatchObject({ code: 'HELLO_NO_WHO', message: 'no who', hint: 'set who', part: 'hello' });
  });

  it('turns anything else into the blamed code, saying what was being done, with the thrown value as cause', () => {
    const thrown = new TypeError('x is undefined');
    const error = asBuildoutError(thrown, { code: 'EXTENSION_FAILED', doing: 'extension e failed while applying', location });
    expect(error).toMatchObject({
      code: 'EXTENSION_FAILED',
      message: 'extension e failed while applying: x is undefined',
      location,
      cause: thrown,
    });
    expect(asBuildoutError('a string', { code: 'RECIPE_FAILED' }).message).toBe('a string');
  });
});

describe('partFailure', () => {
  it('names the part, the action and the recipe module', () => {
    const error = partFailure(new Error('disk full'), { name: 'site', action: 'install', recipe: { spec: './r.mjs', file: '/b/r.mjs' } });
    expect(error).toMatchObject({
      code: 'RECIPE_FAILED',
      message: 'install failed: disk full',
      part: 'site',
      hint: 'the error came from recipe ./r.mjs (/b/r.mjs); run with -D for its stack trace',
    });
  });
});
