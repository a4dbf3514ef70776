import { describe, expect, it } from 'vitest';
import { BuildoutError } from '@buildout/config';
import { diffOptions, orderParts, planActions, type SectionGraph, type WantedPart } from './plan.js';
import type { InstalledPart } from './state.js';

/** Sections as `name -> { recipe?, refs?, deps?, options? }` (options: other option names). */
function graph(sections: Record<string, { recipe?: string; refs?: string[]; deps?: string[]; options?: string[] }>): SectionGraph {
  return {
    hasSection: (section) => section in sections,
    hasRecipe: (section) => (sections[section]?.recipe ?? '') !== '',
    optionNames: (section) => [...(sections[section]?.recipe === undefined ? [] : ['recipe']), ...(sections[section]?.options ?? [])],
    references: (section) => sections[section]?.refs ?? [],
    partDependencies: (section) => sections[section]?.deps ?? [],
    location: () => undefined,
  };
}

function thrown(action: () => unknown): BuildoutError {
  try {
    action();
  } catch (error) {
    if (error instanceof BuildoutError) return error;
    throw error;
  }
  throw new Error('expected a BuildoutError');
}

describe('orderParts', () => {
  it('keeps listed parts in order and puts referenced parts before the parts referring to them', () => {
    const sections = graph({
      buildout: {},
      web: { recipe: 'r', refs: ['db', 'settings'] },
      settings: { refs: ['cache'] },
      cache: { recipe: 'r' },
      db: { recipe: 'r' },
      tools: { recipe: 'r' },
    });
    const { order, dependencies } = orderParts(sections, ['tools', 'web']);
    expect(order).toEqual(['tools', 'db', 'cache', 'web']);
    expect(dependencies.get('web')).toEqual(['db', 'cache']);
  });

  it('installs each part once, however often it is referenced or listed', () => {
    const sections = graph({ a: { recipe: 'r', refs: ['c'] }, b: { recipe: 'r', refs: ['c'] }, c: { recipe: 'r' } });
    expect(orderParts(sections, ['a', 'b', 'a', 'c']).order).toEqual(['c', 'a', 'b']);
  });

  it('puts parts that [buildout] refers to first, and does not look through [buildout] for dependencies', () => {
    const sections = graph({
      buildout: { refs: ['tool'] },
      tool: { recipe: 'r', refs: ['buildout'] },
      app: { recipe: 'r', refs: ['buildout'] },
    });
    const { order, dependencies } = orderParts(sections, ['app']);
    expect(order).toEqual(['tool', 'app']);
    expect(dependencies.get('app')).toEqual([]);
  });

  it('orders => dependencies before the part', () => {
    const sections = graph({ a: { recipe: 'r', deps: ['b'] }, b: { recipe: 'r' } });
    expect(orderParts(sections, ['a']).order).toEqual(['b', 'a']);
  });

  it('skips a listed section whose recipe is empty, as zc.buildout does', () => {
    const sections = graph({ a: { recipe: 'r' }, notes: { recipe: '' } });
    expect(orderParts(sections, ['notes', 'a']).order).toEqual(['a']);
  });

  it('rejects a listed section without a recipe option, suggesting the misspelt one', () => {
    const typo = thrown(() => orderParts(graph({ hello: { options: ['recipie', 'text'] } }), ['hello']));
    expect(typo.code).toBe('NO_RECIPE');
    expect(typo.message).toBe('[hello] has no recipe option');
    expect(typo.hint).toBe('did you mean recipe instead of recipie?');
    const none = thrown(() => orderParts(graph({ hello: { options: ['text'] } }), ['hello']));
    expect(none.message).toBe('[hello] has no recipe option');
    expect(none.hint).toContain('add recipe = <recipe> to [hello]');
  });

  it('rejects a listed part without a section', () => {
    const error = thrown(() => orderParts(graph({}), ['ghost']));
    expect(error.code).toBe('PART_NOT_FOUND');
    expect(error.message).toContain("'ghost'");
  });

  // .installed.cfg's [buildout] lists the installed parts: a part of that name would be merged into it.
  it('refuses [buildout] as a part, listed (with or without a recipe) or as a => dependency', () => {
    for (const [sections, listed] of [
      [{ buildout: { recipe: 'r' } }, ['buildout']],
      [{ buildout: {} }, ['buildout']],
      [{ buildout: { recipe: 'r' }, a: { recipe: 'r', deps: ['buildout'] } }, ['a']],
    ] as const) {
      const error = thrown(() => orderParts(graph(sections), listed));
      expect(error).toMatchObject({
        code: 'RESERVED_NAME',
        part: 'buildout',
        message: "[buildout] holds buildout's own settings and cannot be a part",
      });
    }
  });

  // Recipes keep a part's files in parts/<name>: parts/.. is the buildout directory, parts/../../x anyone's.
  it('refuses a part whose name is not a folder name of its own, listed or reached', () => {
    for (const name of ['..', '.', 'a/b', '../../etc', 'a\\b']) {
      for (const [sections, listed] of [
        [{ [name]: { recipe: 'r' } }, [name]],
        [{ [name]: { recipe: 'r' }, a: { recipe: 'r', refs: [name] } }, ['a']],
      ] as const) {
        expect(thrown(() => orderParts(graph(sections), listed))).toMatchObject({ code: 'BAD_PART_NAME', part: name });
      }
    }
    expect(orderParts(graph({ '..x': { recipe: 'r' }, 'a.b': { recipe: 'r' } }), ['..x', 'a.b']).order).toEqual(['..x', 'a.b']);
  });

  it('names the whole cycle when parts depend on each other', () => {
    const sections = graph({
      a: { recipe: 'r', refs: ['b'] },
      b: { recipe: 'r', refs: ['link'] },
      link: { refs: ['c'] },
      c: { recipe: 'r', deps: ['a'] },
    });
    const error = thrown(() => orderParts(sections, ['a']));
    expect(error.code).toBe('PART_CYCLE');
    expect(error.message).toContain('a -> b -> c -> a');
  });

  it('does not call a section referring to itself a cycle', () => {
    const sections = graph({ a: { recipe: 'r', refs: ['shared'] }, shared: { refs: ['a'] } });
    expect(orderParts(sections, ['a']).order).toEqual(['a']);
  });
});

const recorded = (options: Record<string, string>, installed: string[] = [], signature = 'r@1'): InstalledPart => ({
  options,
  installed,
  signature,
});
const wanted = (options: Record<string, string>, signature = 'r@1'): WantedPart => ({ options, signature });

describe('planActions', () => {
  const base = { dependencies: new Map(), named: undefined, pathExists: () => true };

  it('installs new parts, updates unchanged ones and uninstalls removed ones in reverse installed order', () => {
    const plan = planActions({
      ...base,
      order: ['kept', 'fresh'],
      wanted: new Map([
        ['kept', wanted({ x: '1' })],
        ['fresh', wanted({ x: '2' })],
      ]),
      installed: {
        parts: new Map([
          ['old1', recorded({})],
          ['kept', recorded({ x: '1' })],
          ['old2', recorded({})],
        ]),
      },
    });
    expect(plan.steps.map((step) => [step.part, step.action, step.reason.kind])).toEqual([
      ['kept', 'update', 'unchanged'],
      ['fresh', 'install', 'new'],
    ]);
    expect(plan.uninstall.map((step) => [step.part, step.reason.kind])).toEqual([
      ['old2', 'not-wanted'],
      ['old1', 'not-wanted'],
    ]);
  });

  it('reinstalls a part whose options changed, naming each change old -> new', () => {
    const plan = planActions({
      ...base,
      order: ['p'],
      wanted: new Map([['p', wanted({ a: '1', b: 'new', added: 'x' })]]),
      installed: { parts: new Map([['p', recorded({ a: '1', b: 'old', gone: 'y' })]]) },
    });
    expect(plan.steps[0]).toEqual({
      part: 'p',
      action: 'install',
      reason: {
        kind: 'changed',
        recipe: undefined,
        options: [
          { option: 'b', old: 'old', new: 'new' },
          { option: 'gone', old: 'y', new: undefined },
          { option: 'added', old: undefined, new: 'x' },
        ],
      },
    });
    expect(plan.uninstall.map((step) => step.part)).toEqual(['p']);
  });

  it('reinstalls a part whose recipe version changed', () => {
    const plan = planActions({
      ...base,
      order: ['p'],
      wanted: new Map([['p', wanted({}, 'r@2')]]),
      installed: { parts: new Map([['p', recorded({}, [], 'r@1')]]) },
    });
    expect(plan.steps[0]!.reason).toEqual({ kind: 'changed', options: [], recipe: { old: 'r@1', new: 'r@2' } });
  });

  it('reinstalls a part when a recorded path is missing', () => {
    const plan = planActions({
      ...base,
      pathExists: (path) => path !== 'parts/p/b',
      order: ['p'],
      wanted: new Map([['p', wanted({})]]),
      installed: { parts: new Map([['p', recorded({}, ['parts/p/a', 'parts/p/b'])]]) },
    });
    expect(plan.steps[0]).toEqual({ part: 'p', action: 'install', reason: { kind: 'path-missing', path: 'parts/p/b' } });
  });

  it('touches only named parts; other installed parts are skipped, not uninstalled', () => {
    const plan = planActions({
      ...base,
      named: ['b'],
      order: ['a', 'b'],
      wanted: new Map([
        ['a', wanted({ x: 'changed' })],
        ['b', wanted({})],
      ]),
      installed: {
        parts: new Map([
          ['a', recorded({ x: 'old' })],
          ['gone', recorded({})],
        ]),
      },
    });
    expect(plan.partial).toBe(true);
    expect(plan.uninstall).toEqual([]);
    expect(plan.steps.map((step) => [step.part, step.action])).toEqual([
      ['a', 'skip'],
      ['b', 'install'],
      ['gone', 'skip'],
    ]);
  });
});

describe('diffOptions', () => {
  it('is empty for equal options', () => {
    expect(diffOptions({ a: '1', b: '2' }, { b: '2', a: '1' })).toEqual([]);
  });
});
