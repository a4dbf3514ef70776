import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesDoctest } from '../test-support/doctest-match.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { consoleScript, parseEntryPoint, shebang, supervisorctlScript, supervisordScript } from './scripts.js';

const tempDirectory = useTempDirectories();
const CONF = '/sample-buildout/parts/supervisor/supervisord.conf';

describe('scripts', () => {
  it("supervisord is the seed's", () => {
    const text = supervisordScript('/usr/bin/python3', 'supervisor', CONF);
    expect(text.startsWith('#!/usr/bin/python3\n')).toBe(true);
    expect(
      matchesDoctest(
        text,
        `...
<BLANKLINE>
...
<BLANKLINE>
import sys; sys.argv.extend(["-c","/sample-buildout/parts/supervisor/supervisord.conf"])
<BLANKLINE>
import supervisor.supervisord
<BLANKLINE>
if __name__ == '__main__':
    supervisor.supervisord.main()`,
      ),
    ).toBe(true);
  });

  it("supervisorctl is the seed's, with credentials and server URL", () => {
    const text = supervisorctlScript('/usr/bin/python3', 'supervisor', {
      conf: CONF,
      user: 'mustapha',
      password: 'secret',
      serverurl: 'http://supervisor.mustap.com',
    });
    expect(
      matchesDoctest(
        text,
        `...
<BLANKLINE>
...
<BLANKLINE>
import sys; sys.argv[1:1] = ["-c","/sample-buildout/parts/supervisor/supervisord.conf","-u","mustapha","-p","secret","-s","http://supervisor.mustap.com"]
<BLANKLINE>
import supervisor.supervisorctl
<BLANKLINE>
if __name__ == '__main__':
    supervisor.supervisorctl.main(sys.argv[1:])`,
      ),
    ).toBe(true);
  });

  it("supervisorctl passes empty credentials as the seed's second example shows", () => {
    const text = supervisorctlScript('/usr/bin/python3', 'supervisor', {
      conf: CONF,
      user: '',
      password: '',
      serverurl: 'http://localhost:9005',
    });
    expect(text).toContain(
      'import sys; sys.argv[1:1] = ["-c","/sample-buildout/parts/supervisor/supervisord.conf","-u","","-p","","-s","http://localhost:9005"]\n',
    );
  });

  it("a plugin's console script is the seed's memmon", () => {
    const text = consoleScript('/usr/bin/python3', 'supervisor', { module: 'superlance.memmon', attribute: 'main' });
    expect(
      matchesDoctest(
        text,
        `...
<BLANKLINE>
...
<BLANKLINE>
import superlance.memmon
<BLANKLINE>
if __name__ == '__main__':
    superlance.memmon.main()`,
      ),
    ).toBe(true);
  });

  it('quotes odd characters as Python reads them', () => {
    const text = supervisorctlScript('/usr/bin/python3', 'supervisor', {
      conf: CONF,
      user: 'a"b',
      password: 'back\\slash é',
      serverurl: 'http://x',
    });
    const result = spawnSync(
      '/usr/bin/python3',
      ['-c', `${text.split('\n').find((line) => line.startsWith('import sys;'))}\nimport json; print(json.dumps(sys.argv[1:7]))`],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(result.stdout)).toEqual(['-c', CONF, '-u', 'a"b', '-p', 'back\\slash é']);
  });

  it.each([
    ['superlance.memmon:main', { module: 'superlance.memmon', attribute: 'main' }],
    ['pkg.cli:App.run', { module: 'pkg.cli', attribute: 'App.run' }],
    ['pkg:main [extra]', { module: 'pkg', attribute: 'main' }],
    ['pkg', undefined],
    ['pkg:', undefined],
    ['os; import x:y', undefined],
  ])('reads the entry point %j', (entryPoint, expected) => {
    expect(parseEntryPoint(entryPoint)).toEqual(expected);
  });

  it('uses /bin/sh to reach an interpreter whose path has spaces or is too long for #!', () => {
    expect(shebang('/usr/bin/python3')).toBe('#!/usr/bin/python3');
    expect(shebang('/opt/my env/bin/python')).toBe('#!/bin/sh\n"exec" "/opt/my env/bin/python" "$0" "$@"');
    expect(shebang(`/${'x'.repeat(130)}/python`).startsWith('#!/bin/sh\n')).toBe(true);
  });

  it('runs a console script through the /bin/sh form', () => {
    const directory = tempDirectory();
    const interpreterFolder = join(directory, 'with space');
    mkdirSync(interpreterFolder);
    symlinkSync('/usr/bin/python3', join(interpreterFolder, 'python'));
    writeFileSync(join(directory, 'greeter.py'), 'import sys\ndef main():\n    print("hello", sys.argv[1:])\n');
    const script = join(directory, 'greet');
    writeFileSync(script, consoleScript(join(interpreterFolder, 'python'), 'supervisor', { module: 'greeter', attribute: 'main' }));
    chmodSync(script, 0o755);
    const result = spawnSync(script, ['a', 'b c'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: directory } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe("hello ['a', 'b c']\n");
  });
});
