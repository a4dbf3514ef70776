import { describe, expect, test } from 'vitest';
import type { Plan } from '@buildout/engine';
import { Redactor, secretAssignments } from './redact.js';

type ChangedReason = Extract<Plan['steps'][number]['reason'], { kind: 'changed' }>;

/** A plan that reinstalls `part` because these options changed. */
function changedPlan(part: string, options: ChangedReason['options']): Plan {
  return {
    order: [part],
    dependencies: new Map([[part, []]]),
    partial: false,
    uninstall: [],
    steps: [{ part, action: 'install', reason: { kind: 'changed', recipe: undefined, options } }],
  };
}

describe('Redactor', () => {
  test('secret options show ***; other text has every known secret value masked, also as JSON writes it', () => {
    const redactor = new Redactor();
    redactor.declare('db', ['dsn']);
    redactor.addSecret('pa"ss-word');
    redactor.addSecret('postgres://u:x@h/db');
    expect(redactor.option('sv', 'password', 'x')).toBe('***');
    expect(redactor.option('db', 'dsn', 'anything')).toBe('***');
    expect(redactor.option('other', 'dsn', 'plain')).toBe('plain');
    expect(redactor.option('sv', 'url', 'http://u:pa"ss-word@h/')).toBe('http://u:***@h/');
    expect(redactor.text(JSON.stringify({ url: 'http://u:pa"ss-word@h/' }))).toBe('{"url":"http://u:***@h/"}');
    expect(redactor.text('connect to postgres://u:x@h/db now')).toBe('connect to *** now');
  });

  test('short values and common words are masked only as a whole option value', () => {
    const redactor = new Redactor();
    for (const value of ['x', 'abc', 'true', 'off']) redactor.addSecret(value);
    expect(redactor.text('a true x abc off line')).toBe('a true x abc off line');
    expect(redactor.option('s', 'token', 'true')).toBe('***');
  });

  test('a multi-line secret: each line is masked, PEM markers are not', () => {
    const redactor = new Redactor();
    redactor.addSecret('-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----');
    expect(redactor.text('key line MIIBOgIBAAJBAK here')).toBe('key line *** here');
    expect(redactor.text('-----BEGIN KEY-----')).toBe('-----BEGIN KEY-----');
  });

  test('sections: secret options and known secret values masked; sections without either passed on as they are', () => {
    const redactor = new Redactor();
    redactor.declare('db', ['dsn']);
    redactor.addSecret('hunter22');
    const plain = { recipe: './r.mjs', port: '8080' };
    const sections = {
      db: { dsn: 'postgres://h/db', host: 'h' },
      web: { password: 'hunter22', url: 'http://u:hunter22@h/' },
      plain,
    };
    const shown = redactor.sections(sections);
    expect(shown).toEqual({ db: { dsn: '***', host: 'h' }, web: { password: '***', url: 'http://u:***@h/' }, plain });
    expect(shown.plain).toBe(plain);
    expect(sections.db.dsn).toBe('postgres://h/db');
  });

  test('disabled (--show-secrets): everything as it is', () => {
    const redactor = new Redactor();
    redactor.addSecret('hunter22');
    redactor.enabled = false;
    expect(redactor.option('s', 'password', 'hunter22')).toBe('hunter22');
    expect(redactor.text('hunter22')).toBe('hunter22');
  });

  test('a plan: old and new values of secret options, and secrets inside other changes and paths', () => {
    const plan = changedPlan('sv', [
      { option: 'password', old: 'old-secret', new: 'new-secret' },
      { option: 'serverurl', old: 'http://a:old-secret@h', new: 'http://a:new-secret@h' },
    ]);
    const redactor = new Redactor();
    redactor.learnPlan(plan, { secretOptions: () => new Set(), buildout: { sectionNames: () => [], hasSection: () => false } as never });
    expect(redactor.plan(plan).steps[0]!.reason).toEqual({
      kind: 'changed',
      recipe: undefined,
      options: [
        { option: 'password', old: '***', new: '***' },
        { option: 'serverurl', old: 'http://a:***@h', new: 'http://a:***@h' },
      ],
    });
  });

  test('a changed option holding a secret now: its old value is masked whole (it held the old secret, which nothing knows any more)', () => {
    const plan = changedPlan('app', [
      { option: 'command', old: 'serve --auth Hunter2Secret', new: 'serve --auth Hunter3Secret' },
      { option: 'dsn', old: 'postgres://admin:Hunter2Secret@db/x', new: 'postgres://admin:Hunter3Secret@db/x' },
      { option: 'port', old: '1', new: '2' },
      { option: 'added', old: undefined, new: 'serve --auth Hunter3Secret' },
    ]);
    const redactor = new Redactor();
    redactor.addSecret('Hunter3Secret');
    const [command, dsn, port, added] = (redactor.plan(plan).steps[0]!.reason as ChangedReason).options;
    expect(command).toEqual({ option: 'command', old: '***', new: 'serve --auth ***' });
    // A URL's password is masked as it is.
    expect(dsn).toEqual({ option: 'dsn', old: 'postgres://admin:***@db/x', new: 'postgres://admin:***@db/x' });
    expect(port).toEqual({ option: 'port', old: '1', new: '2' });
    expect(added).toEqual({ option: 'added', old: undefined, new: 'serve --auth ***' });
  });

  test('the password of any URL is masked, known or not; other URLs are left as they are', () => {
    const redactor = new Redactor();
    expect(redactor.text('cannot download http://deploy:UrlPass123@127.0.0.1:9/base.cfg (refused)')).toBe(
      'cannot download http://deploy:***@127.0.0.1:9/base.cfg (refused)',
    );
    expect(redactor.text('see https://example.com:8443/a@b and git+ssh://git@host/repo')).toBe(
      'see https://example.com:8443/a@b and git+ssh://git@host/repo',
    );
  });

  test('values assigned to secret-looking names inside a text: env lines, command-line flags, supervisor environments', () => {
    expect(secretAssignments('DB_PASSWORD=s3cret-one\nHOST=db\nexport API_TOKEN = "two words"')).toEqual(['s3cret-one', 'two words']);
    expect(secretAssignments('mysql --user=me --password=hunter22; echo done')).toEqual(['hunter22']);
    expect(secretAssignments(`A="1",SECRET_KEY='k-e-y',B=2`)).toEqual(['k-e-y']);
    expect(secretAssignments('http://h/?token=QueryTok123&page=2')).toEqual(['QueryTok123']);
    expect(secretAssignments('port=8080 user=me')).toEqual([]);
  });
});
