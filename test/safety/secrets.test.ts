// Issue 8 point 8: secret option values are *** in everything the CLI prints, unless --show-secrets.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildout, tree } from '../engine/cli.js';

// Every secret value of the fixture: none may be printed.
const SECRETS = ['n3w-pass', '0ld-pass', 'dsn-s3cret', 'old-dsn-s3cret', 'key-12345', 'old-key-999'];

const CONFIG = `[buildout]
parts = app sv

[app]
recipe = ./recipes/app.mjs
dsn = postgres://u:dsn-s3cret@db/app
api-key = key-12345
note = calls with \${app:api-key}

[sv]
recipe = collective.recipe.supervisor
python = /usr/bin/python3
user = admin
password = n3w-pass
serverurl = http://admin:\${sv:password}@localhost:9001
programs = 10 web /bin/true
`;

// The recipe declares dsn secret (its name does not look secret); it logs and fails with values in its messages.
const RECIPE = `export default {
  secretOptions: ['dsn'],
  install(part) {
    part.log.info('connecting to ' + part.options.dsn + ' with ' + part.options['api-key']);
    if (part.options.fail) throw new Error('cannot connect to ' + part.options.dsn);
    return [];
  },
};
`;

// What an earlier run recorded: the old values.
const INSTALLED = `[buildout]
parts = app sv

[app]
__buildout_installed__ =
__buildout_signature__ = old
recipe = ./recipes/app.mjs
dsn = postgres://u:old-dsn-s3cret@db/app
api-key = old-key-999

[sv]
__buildout_installed__ =
__buildout_signature__ = old
recipe = collective.recipe.supervisor
password = 0ld-pass
`;

function project(): string {
  const root = tree({ 'buildout.cfg': CONFIG, 'recipes/app.mjs': RECIPE });
  writeFileSync(join(root, '.installed.cfg'), INSTALLED);
  return root;
}

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('secrets', () => {
  test('plan shows old and new secret values as ***, also inside other values', async () => {
    const result = await buildout(['plan'], project());
    expect(result.stderr).toBe('');
    expectNoSecret(result.stdout);
    expect(result.stdout).toContain('password: "***" -> "***"');
    expect(result.stdout).toContain('dsn: "***" -> "***"');
    expect(result.stdout).toContain('api-key: "***" -> "***"');
    expect(result.stdout).toContain('serverurl: added "http://admin:***@localhost:9001"');
  });

  test('plan --json and install --dry-run (text and --json)', async () => {
    const root = project();
    for (const args of [
      ['plan', '--json'],
      ['install', '--dry-run', '--json'],
    ]) {
      const result = await buildout(args, root);
      expectNoSecret(result.stdout);
      const plan = JSON.parse(result.stdout) as {
        steps: { part: string; reason: { options: { option: string; old?: string; new?: string }[] } }[];
      };
      const sv = plan.steps.find((step) => step.part === 'sv')!;
      expect(sv.reason.options.find((change) => change.option === 'password')).toEqual({ option: 'password', old: '***', new: '***' });
    }
    const dryRun = await buildout(['install', '--dry-run'], root);
    expectNoSecret(dryRun.stdout);
    expect(dryRun.stdout).toContain('password: "***" -> "***"');
  });

  test('annotate, text and --json: secret names, recipe-declared secrets and values holding them', async () => {
    const root = project();
    const text = await buildout(['annotate'], root);
    expectNoSecret(text.stdout);
    expect(text.stdout).toContain('dsn= ***');
    expect(text.stdout).toContain('api-key= ***');
    expect(text.stdout).toContain('note= calls with ***');
    expect(text.stdout).toContain('serverurl= http://admin:***@localhost:9001');
    const json = await buildout(['annotate', '--json'], root);
    expectNoSecret(json.stdout);
    const { sections } = JSON.parse(json.stdout) as { sections: Record<string, Record<string, string>> };
    expect(sections.sv!.password).toBe('***');
    expect(sections.app!.dsn).toBe('***');
  });

  test('annotate masks what a recipe declares in every part that uses it (the recipe is loaded once)', async () => {
    const config = `[buildout]\nparts = one two\n\n[one]\nrecipe = ./recipes/app.mjs\ndsn = one-s3cret-dsn\n\n[two]\nrecipe = ./recipes/app.mjs\ndsn = two-s3cret-dsn\n`;
    const root = tree({ 'buildout.cfg': config, 'recipes/app.mjs': RECIPE });
    const json = await buildout(['annotate', '--json'], root);
    expect(json.stdout).not.toContain('s3cret');
    const { sections } = JSON.parse(json.stdout) as { sections: Record<string, Record<string, string>> };
    expect([sections.one!.dsn, sections.two!.dsn]).toEqual(['***', '***']);
  });

  test('-v logs and error messages, including a refusal that echoes a value', async () => {
    const root = project();
    const logs = await buildout(['-v', 'install', 'app'], root);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('app: connecting to *** with ***');
    expectNoSecret(logs.stdout + logs.stderr);

    const failed = await buildout(['app:fail=1', 'install', 'app'], root);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('cannot connect to ***');
    expectNoSecret(failed.stdout + failed.stderr);

    // The supervisor recipe refuses the line and quotes it.
    const refused = await buildout(['sv:programs=10 web (bogus=1) /bin/n3w-pass', 'plan'], root);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('/bin/***');
    expectNoSecret(refused.stderr);
  });

  // The init sets the values (a token it fetched, say), logs them after an await, and may fail quoting them.
  const SETS_IN_INIT = `export default {
  secretOptions: ['key'],
  async init(part) {
    part.options['api-token'] = 'tok-' + 'from-init-42';
    part.options.key = 'key-' + 'from-init-77';
    await new Promise((resolve) => setTimeout(resolve, 20));
    part.log.info('init with ' + part.options['api-token'] + ' and ' + part.options.key);
    if (part.options.fail) throw new Error('refused ' + part.options['api-token'] + ' and ' + part.options.key);
  },
  install(part) {
    return [];
  },
};
`;

  test('values an init sets: masked in what the init logs and in the error it fails with (install, plan, graph)', async () => {
    const root = tree({ 'buildout.cfg': '[buildout]\nparts = svc\n\n[svc]\nrecipe = ./init.mjs\n', 'init.mjs': SETS_IN_INIT });
    const set = ['tok-from-init-42', 'key-from-init-77'];
    const installed = await buildout(['-v'], root);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain('svc: init with *** and ***');
    for (const args of [['svc:fail=1'], ['svc:fail=1', 'plan'], ['svc:fail=1', 'graph']]) {
      const failed = await buildout(args, root);
      expect(failed.code, args.join(' ')).toBe(1);
      expect(failed.stderr).toContain('init failed: refused *** and ***');
      for (const secret of set) expect(failed.stdout + failed.stderr).not.toContain(secret);
    }
    const shown = await buildout(['--show-secrets', 'svc:fail=1'], root);
    expect(shown.stderr).toContain('refused tok-from-init-42 and key-from-init-77');
  });

  test('--show-secrets shows them', async () => {
    const result = await buildout(['--show-secrets', 'plan'], project());
    expect(result.stdout).toContain('password: "0ld-pass" -> "n3w-pass"');
    expect(result.stdout).toContain('dsn: "postgres://u:old-dsn-s3cret@db/app" -> "postgres://u:dsn-s3cret@db/app"');
    const annotate = await buildout(['--show-secrets', 'annotate', 'sv'], project());
    expect(annotate.stdout).toContain('password= n3w-pass');
  });
});
