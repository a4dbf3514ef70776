import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { parseCommandLine } from './args.js';
import { isBuildoutError } from '@buildout/config';

describe('command line grammar', () => {
  test('options, assignments and the command, as zc.buildout reads them', () => {
    expect(parseCommandLine(['-Uo', '-c', 'x.cfg', 'parts=a', '-vv', 's:o+=1', 'annotate', '--json', 'a'])).toEqual({
      kind: 'run',
      global: {
        configFile: 'x.cfg',
        userDefaults: false,
        assignments: ['buildout:offline=true', 'parts=a', 's:o+=1'],
        verbosity: 2,
        debug: false,
        jobs: availableParallelism(),
        showSecrets: false,
      },
      command: 'annotate',
      args: ['--json', 'a'],
    });
  });

  test('--show-secrets is a global option, before the command', () => {
    expect(parseCommandLine(['--show-secrets', 'plan'])).toMatchObject({ kind: 'run', global: { showSecrets: true }, command: 'plan' });
    expect(parseCommandLine(['plan', '--show-secrets'])).toMatchObject({ global: { showSecrets: false }, args: ['--show-secrets'] });
  });

  test('-cFILE, -j N, -q, -O, -n, -N, -D', () => {
    const line = parseCommandLine(['-cother.cfg', '-j', '4', '-q', '-O', '-nND']);
    expect(line).toMatchObject({
      kind: 'run',
      command: undefined,
      global: {
        configFile: 'other.cfg',
        jobs: 4,
        verbosity: -1,
        debug: true,
        assignments: ['buildout:offline=false', 'buildout:newest=true', 'buildout:newest=false'],
      },
    });
  });

  test('help and version', () => {
    expect(parseCommandLine(['-U', '--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
  });

  test.each([[['-x']], [['--frobnicate']], [['-c']], [['-j', '0']], [['-j', 'many']]])('%j is a usage error', (argv) => {
    try {
      parseCommandLine(argv);
      throw new Error('expected a usage error');
    } catch (error) {
      expect(isBuildoutError(error) && error.code).toBe('USAGE');
    }
  });
});
