import { describe, expect, it } from 'vitest';
import type { Plan } from '@buildout/engine';
import { formatPlan, planToJson } from './plan-output.js';
import { styleFor } from './style.js';
import { PassThrough } from 'node:stream';

const plain = styleFor(new PassThrough(), {});

const plan: Plan = {
  order: ['web', 'db', 'tools', 'docs', 'cache'],
  dependencies: new Map([['web', ['db']]]),
  partial: false,
  uninstall: [
    { part: 'old', action: 'uninstall', reason: { kind: 'not-wanted' } },
    { part: 'web', action: 'uninstall', reason: { kind: 'changed', options: [], recipe: { old: 'r@1', new: 'r@2' } } },
  ],
  steps: [
    { part: 'db', action: 'update', reason: { kind: 'unchanged' } },
    {
      part: 'web',
      action: 'install',
      reason: {
        kind: 'changed',
        recipe: { old: 'r@1', new: 'r@2' },
        options: [
          { option: 'port', old: '80', new: '8080' },
          { option: 'gone', old: 'x', new: undefined },
          { option: 'added', old: undefined, new: 'two\nlines' },
        ],
      },
    },
    { part: 'tools', action: 'install', reason: { kind: 'path-missing', path: 'bin/tool' } },
    { part: 'docs', action: 'install', reason: { kind: 'new' } },
    { part: 'cache', action: 'skip', reason: { kind: 'not-named' } },
  ],
};

describe('formatPlan', () => {
  it('gives one line per part and why, uninstalls of removed parts first, changes old -> new', () => {
    expect(formatPlan(plan, plain)).toBe(
      [
        'uninstall old    no longer in parts',
        'update    db     unchanged',
        'install   web    reinstall: options and recipe changed',
        '                 recipe: r@1 -> r@2',
        '                 port: "80" -> "8080"',
        '                 gone: removed (was "x")',
        '                 added: added "two\\nlines"',
        'install   tools  reinstall: bin/tool is missing',
        'install   docs   new part',
        'skip      cache  not named on the command line',
        'Plan: 3 to install, 1 to update, 1 to uninstall, 1 to skip',
        '',
      ].join('\n'),
    );
  });

  it('gives JSON with the dependencies as an object', () => {
    const json = JSON.parse(planToJson(plan));
    expect(json.dependencies).toEqual({ web: ['db'] });
    expect(json.uninstall[1].reason.recipe).toEqual({ old: 'r@1', new: 'r@2' });
  });

  it('lists per part the paths an uninstall removes outside the buildout directory, and the ones it keeps', () => {
    const removing: Plan = {
      order: ['site'],
      dependencies: new Map(),
      partial: false,
      uninstall: [
        { part: 'old', action: 'uninstall', reason: { kind: 'not-wanted' }, outside: ['/srv/www/old'], kept: ['/bo/bin'] },
        { part: 'site', action: 'uninstall', reason: { kind: 'path-missing', path: 'x' }, outside: ['/srv/www/site'] },
      ],
      steps: [{ part: 'site', action: 'install', reason: { kind: 'path-missing', path: 'x' } }],
    };
    expect(formatPlan(removing, plain)).toBe(
      [
        'uninstall old   no longer in parts',
        '                removes /srv/www/old (outside the buildout directory)',
        "                keeps /bo/bin (buildout's own)",
        'install   site  reinstall: x is missing',
        '                removes /srv/www/site (outside the buildout directory)',
        'Plan: 1 to install, 0 to update, 1 to uninstall, 0 to skip',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(planToJson(removing)).uninstall[0].outside).toEqual(['/srv/www/old']);
  });
});
