/** Recipes and extensions in TypeScript and in packages, loaded by the compiled CLI in a real process. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './cli.js';

describe('TypeScript recipes', () => {
  it('runs a .ts recipe (types, a .ts helper imported as .js, defineRecipe from the engine) and caches the transpiled code', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = hello\n[hello]\nrecipe = ./recipes/hello.ts\nwho = world\n',
      'recipes/hello.ts': `
import { writeFileSync } from 'node:fs';
import { defineRecipe, type Part } from '@buildout/engine';
import { greeting } from './greeting.js';

interface Options { who: string }

export default defineRecipe({
  install(part: Part): string[] {
    const options = part.options as unknown as Options;
    const file = \`\${part.name}.txt\`;
    writeFileSync(file, greeting(options.who));
    return [file];
  },
});
`,
      'recipes/greeting.ts': 'export function greeting(who: string): string {\n  return `hello ${who}`;\n}\n',
    });
    const env = { XDG_CACHE_HOME: join(root, 'cache') };
    const result = await buildout([], root, env);
    expect(result.stderr).toBe('');
    expect(readFileSync(join(root, 'hello.txt'), 'utf8')).toBe('hello world');
    expect(readdirSync(join(root, 'cache/buildout/typescript')).filter((name) => name.endsWith('.js'))).toHaveLength(2);
    expect((await buildout(['plan'], root, env)).stdout).toContain('update    hello  unchanged');
  });

  it('reports a syntax error in a .ts recipe as an invalid recipe of its part', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = bad\n[bad]\nrecipe = ./recipes/typo.ts\n',
      'recipes/typo.ts': 'export default { install( { return [] } };\n',
    });
    const result = await buildout([], root, { XDG_CACHE_HOME: join(root, 'cache') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^buildout.cfg:4:1: part bad: recipe \.\/recipes\/typo\.ts cannot be loaded: /);
  });
});

describe('recipes that fail as they are imported', () => {
  it('say the line of the recipe that threw', async () => {
    const root = tree({
      'buildout.cfg': '[buildout]\nparts = x\n[x]\nrecipe = ./recipes/bad.mjs\n',
      'recipes/bad.mjs': 'const settings = undefined;\nsettings.boom;\nexport default { install() { return []; } };\n',
    });
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `part x: recipe ./recipes/bad.mjs cannot be loaded (${join(root, 'recipes/bad.mjs')}:2:10): Cannot read properties of undefined`,
    );
  });
});

describe('recipe and extension packages', () => {
  it('resolves recipe = NAME[:ENTRY] from a package the buildout depends on, and loads an extension package', async () => {
    const root = tree({
      'package.json': JSON.stringify({ private: true, dependencies: { 'acme-recipes': '1.0.0', 'acme-timer': '1.0.0' } }),
      'node_modules/acme-recipes/package.json': JSON.stringify({
        name: 'acme-recipes',
        version: '1.4.0',
        type: 'module',
        buildout: { recipes: { 'acme.file': './file.js', 'acme.file:upper': './upper.js' } },
      }),
      'node_modules/acme-recipes/file.js': `import { writeFileSync } from 'node:fs';\nexport default { install(part) { writeFileSync(part.name, part.options.text); return [part.name]; }, update() {} };\n`,
      'node_modules/acme-recipes/upper.js': `import { writeFileSync } from 'node:fs';\nexport default { install(part) { writeFileSync(part.name, part.options.text.toUpperCase()); return [part.name]; }, update() {} };\n`,
      'node_modules/acme-timer/package.json': JSON.stringify({
        name: 'acme-timer',
        version: '0.1.0',
        type: 'module',
        buildout: { extension: './plugin.js' },
      }),
      'node_modules/acme-timer/plugin.js': `export default (engine) => {\n  engine.hooks.afterPart.for('install').tap('acme-timer', (run) => run.part.log.info('timed by acme'));\n};\n`,
      'buildout.cfg': `[buildout]
parts = plain loud
extensions = acme-timer
[plain]
recipe = acme.file
text = hi
[loud]
recipe = acme.file:upper
text = hi
`,
    });
    const result = await buildout([], root);
    expect(result.stderr).toBe('');
    expect(readFileSync(join(root, 'plain'), 'utf8')).toBe('hi');
    expect(readFileSync(join(root, 'loud'), 'utf8')).toBe('HI');
    expect(result.stdout).toContain('plain: timed by acme');
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toContain('__buildout_signature__ = acme-recipes@1.4.0');
  });

  it('lists the installed recipes when one is unknown', async () => {
    const root = tree({ 'buildout.cfg': '[buildout]\nparts = x\n[x]\nrecipe = acme.nothing\n' });
    // Offline: a recipe found nowhere would be fetched from the registry (test/eggs covers that).
    const result = await buildout(['-o'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^buildout.cfg:4:1: part x: unknown recipe 'acme.nothing'; installed recipes: .*buildout:offline is true/,
    );
  });

  it('a package.json whose recipe declaration is no module path of the package: the error says what it should hold', async () => {
    const project = (recipes: unknown) =>
      tree({
        'package.json': JSON.stringify({ private: true, dependencies: { 'acme-recipes': '1.0.0' } }),
        'node_modules/acme-recipes/package.json': JSON.stringify({
          name: 'acme-recipes',
          version: '1.0.0',
          type: 'module',
          buildout: { recipes },
        }),
        'buildout.cfg': '[buildout]\nparts = x\n[x]\nrecipe = acme.file\n',
      });
    for (const [recipes, said] of [
      [{ 'acme.file': 5 }, "declares its recipe 'acme.file' as 5: that is not a path"],
      [{ 'acme.file': './missing.js' }, `declares its recipe 'acme.file' as "./missing.js": there is no such file in `],
    ] as const) {
      const result = await buildout(['-o'], project(recipes));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^buildout.cfg:4:1: part x: package acme-recipes@1\.0\.0 /);
      expect(result.stderr).toContain(said);
      expect(result.stderr).toContain('hint: its package.json needs "buildout": { "recipes": { "acme.file": "./path/to/module.js" } }');
    }
    // A list names no recipe (not "0").
    const listed = await buildout(['-o'], project(['./index.mjs']));
    expect(listed.stderr).not.toMatch(/acme-recipes@1\.0\.0 \(|\b0 \(/);
    expect(listed.stderr).toContain("unknown recipe 'acme.file'");
  });
});
