import { describe, expect, test } from 'vitest';
import type { Plan } from '@buildout/engine';
import { Redactor } from './redact.js';

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
    const plan: Plan = {
      order: ['sv'],
      dependencies: new Map([['sv', []]]),
      partial: false,
      uninstall: [],
      steps: [
        {
          part: 'sv',
          action: 'install',
          reason: {
            kind: 'changed',
            recipe: undefined,
            options: [
              { option: 'password', old: 'old-secret', new: 'new-secret' },
              { option: 'serverurl', old: 'http://a:old-secret@h', new: 'http://a:new-secret@h' },
            ],
          },
        },
      ],
    };
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
});
