// Secrets that reach the output by less direct ways: a recipe's declaration read by query, a command line that
// does not parse, [buildout]'s checks, a part uninstalled with its recorded options, a section an init defines,
// a secret-named variable in an env block.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildout, tree } from '../engine/cli.js';

function expectNone(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('secrets, indirectly', () => {
  test('query masks an option the recipe declares secret', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = app\n[app]\nrecipe = ./app.mjs\ndsn = DeclaredDsnValue9\n',
      'app.mjs': "export default { secretOptions: ['dsn'], install() { return []; } };\n",
    });
    const result = await buildout(['query', 'app:dsn'], root);
    expect(result).toMatchObject({ code: 0, stdout: '***\n' });
    expect((await buildout(['--show-secrets', 'query', 'app:dsn'], root)).stdout).toBe('DeclaredDsnValue9\n');
  });

  test('command-line arguments quoted by a usage or load error: a secret-named assignment is masked', async () => {
    const root = tree({ 'buildout.cfg': '[buildout]\nparts =\n[db]\nhost = x\n' });
    for (const args of [
      ['d b:token=CliSecretAAA', 'annotate'],
      ['annotate', 'db:password=MisplacedPw1'],
      ['install', 'db:password=MisplacedPw1'],
      ['--password=FlagSecret77', 'annotate'],
      ['-c', 'db:password=MisplacedPw1', 'annotate'],
    ]) {
      const result = await buildout(args, root);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toContain('***');
      expectNone(result.stderr, ['CliSecretAAA', 'MisplacedPw1', 'FlagSecret77']);
    }
  });

  test("[buildout]'s own checks quoting a value that holds a secret", async () => {
    const root = tree({ 'buildout.cfg': '[buildout]\nparts =\nnewest = ${creds:password}\n[creds]\npassword = BoolPw12345\n' });
    const result = await buildout(['plan'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("invalid value for buildout:newest: '***'");
    expectNone(result.stderr, ['BoolPw12345']);
  });

  test('a part taken out of the configuration: what its uninstall logs and fails with, from its recorded options', async () => {
    const recipe = `export default {
  secretOptions: ['dsn'],
  install() { return []; },
  uninstall(part) {
    part.log.info('dropping with ' + part.options.password + ' / ' + part.options.dsn);
    throw new Error('uninstall failed for ' + part.options.password);
  },
};
`;
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = app\n[app]\nrecipe = ./app.mjs\npassword = UninstPw-31337\ndsn = UninstDsn-4242\n',
      'app.mjs': recipe,
    });
    expect((await buildout([], root)).code).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), '[buildout]\nparts =\n');
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('dropping with *** / ***');
    expect(result.stderr).toContain('uninstall failed for ***');
    expectNone(result.stdout + result.stderr, ['UninstPw-31337', 'UninstDsn-4242']);
  });

  test("a section an init defines, and a secret-named variable of a command's env: masked in -v logs", async () => {
    const root = tree({
      'buildout.cfg': `[buildout]
parts = gen app
[gen]
recipe = ./gen.mjs
[app]
recipe = command
env =
    DB_PASSWORD = EnvPw-5150
command = echo "pw=\${creds:password} env=$DB_PASSWORD"
`,
      'gen.mjs':
        "export default { init(part) { part.defineSection('creds', { password: 'GenPw-' + 'fromInit77' }); }, install() { return []; } };\n",
    });
    const result = await buildout(['-v'], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app: pw=*** env=***');
    expectNone(result.stdout + result.stderr, ['GenPw-fromInit77', 'EnvPw-5150']);
  });

  test('an option with a secret name that install sets: masked in what it logs and in the error it fails with', async () => {
    const recipe = `export default {
  install(part) {
    part.options['session-token'] = 'Sess-' + 'tok-9911';
    part.log.info('got ' + part.options['session-token']);
    if (part.options.fail) throw new Error('refused ' + part.options['session-token']);
    return [];
  },
};
`;
    const root = tree({ 'buildout.cfg': '[buildout]\nparts = app\n[app]\nrecipe = ./app.mjs\n', 'app.mjs': recipe });
    const logged = await buildout([], root);
    expect(logged.code).toBe(0);
    expect(logged.stdout).toContain('app: got ***');
    const failed = await buildout(['app:fail=1'], root);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('refused ***');
    expectNone(logged.stdout + failed.stdout + failed.stderr, ['Sess-tok-9911']);
  });
});
