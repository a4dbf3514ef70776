import { BuildoutError } from '@buildout/config';
import { describe, expect, it } from 'vitest';
import { renderError } from './render.js';

describe('renderError', () => {
  it('names the part unless the message already does', () => {
    const render = (message: string, part: string) => renderError(new BuildoutError('X', message, { part }), false, '/').text;
    expect(render('part web: port is taken', 'web')).toBe('buildout: part web: port is taken\n');
    expect(render('[hello] has no recipe option', 'hello')).toBe('buildout: [hello] has no recipe option\n');
    // The name inside another name or word does not count.
    expect(render('recipe hello-recipe failed', 'hello')).toBe('buildout: part hello: recipe hello-recipe failed\n');
    expect(render('cannot run as nobody', 'b')).toBe('buildout: part b: cannot run as nobody\n');
  });

  it('exits 2 for a usage error and 1 otherwise, and calls anything else an internal error', () => {
    expect(renderError(new BuildoutError('USAGE', 'bad flag'), false).exitCode).toBe(2);
    expect(renderError(new BuildoutError('SYNTAX', 'bad line'), false).exitCode).toBe(1);
    expect(renderError(new Error('boom'), false).text).toMatch(/^buildout: internal error: boom\n {2}hint: this is a bug/);
  });
});
