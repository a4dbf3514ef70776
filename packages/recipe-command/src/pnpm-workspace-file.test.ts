import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { readPnpmWorkspace, readSimplePackagesList } from './pnpm-workspace-file.js';
import { failure, tree } from '@buildout/testing';

describe('readPnpmWorkspace', () => {
  test('reads the packages list; no file is undefined; no list is empty', async () => {
    expect(
      await readPnpmWorkspace(
        tree({ 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - apps/**\n  - '!**/test/**'\ncatalog:\n  x: 1\n" }),
      ),
    ).toEqual(['packages/*', 'apps/**', '!**/test/**']);
    expect(await readPnpmWorkspace(tree({}))).toBeUndefined();
    expect(await readPnpmWorkspace(tree({ 'pnpm-workspace.yaml': 'onlyBuiltDependencies: []\n' }))).toEqual([]);
  });

  test('a layout the direct reader does not know goes to the YAML parser', async () => {
    const text = 'packages: &globs\n  - packages/*\n---\n';
    expect(readSimplePackagesList(text)).toBeUndefined();
    expect(await readPnpmWorkspace(tree({ 'pnpm-workspace.yaml': 'packages:\n  - "pack\\u0061ges/*"\n' }))).toEqual(['packages/*']);
  });

  test('broken YAML is an error at its line; packages that are not a list of strings too', async () => {
    const root = tree({ 'pnpm-workspace.yaml': 'packages:\n  - a\n - b: [\n' });
    expect(await failure(() => readPnpmWorkspace(root))).toMatchObject({
      code: 'WORKSPACE_BAD_FILE',
      message: expect.stringContaining('pnpm-workspace.yaml is not valid YAML'),
      location: { file: join(root, 'pnpm-workspace.yaml'), line: expect.any(Number) },
    });
    expect(await failure(() => readPnpmWorkspace(tree({ 'pnpm-workspace.yaml': 'packages: packages/*\n' })))).toMatchObject({
      code: 'WORKSPACE_BAD_FILE',
      message: expect.stringContaining('packages must be a list of folder globs'),
    });
  });
});

describe('readSimplePackagesList agrees with a YAML parser', () => {
  const examples = [
    'packages:\n  - packages/*\n  - apps/*\n',
    "# the workspace\npackages:\n  # libraries\n  - 'packages/*' # all of them\n  - \"apps/{web,admin}\"\n  - '!**/test/**'\n\ncatalog:\n  react: ^18\n  '@types/node': ^20\nonlyBuiltDependencies:\n  - esbuild\n",
    "packages: ['packages/*', apps/*]\n",
    'packages: []\n',
    'catalog:\n  a: 1\n',
    'packages:\r\n  - a/*\r\n',
    'packages:\n- a/*\n',
  ];
  test.each(examples)('%j', (text) => {
    const simple = readSimplePackagesList(text);
    expect(simple).toBeDefined();
    expect(simple).toEqual((parse(text) as { packages?: string[] } | null)?.packages ?? []);
  });

  test.each([
    'packages:\n  - !!str a\n',
    'packages:\n  - *alias\n',
    'packages:\n  - a: b\n',
    'packages:\n  -   - nested\n',
    'packages: [a, {b: c}]\n',
    'packages:\n\t- a\n',
    '"packages":\n  - a\n',
    'packages:\n  - a\npackages:\n  - b\n',
  ])('leaves %j to the parser', (text) => {
    expect(readSimplePackagesList(text)).toBeUndefined();
  });

  test('on generated files, whenever it answers', () => {
    const glob = fc.stringMatching(/^[-a-z0-9_./*!{},'" #:@[\]&\\?|>%`~+\t]{1,16}$/);
    const style = fc.constantFrom('plain', 'single', 'double');
    const render = (item: string, how: string) => (how === 'single' ? `'${item}'` : how === 'double' ? `"${item}"` : item);
    fc.assert(
      fc.property(fc.array(fc.tuple(glob, style), { maxLength: 5 }), fc.boolean(), fc.boolean(), (items, flow, trailingKey) => {
        const list = flow
          ? `packages: [${items.map(([item, how]) => render(item, how)).join(', ')}]\n`
          : `packages:\n${items.map(([item, how]) => `  - ${render(item, how)}\n`).join('')}`;
        const text = list + (trailingKey ? 'catalog:\n  x: "1"\n' : '');
        const simple = readSimplePackagesList(text);
        if (simple === undefined) return;
        let expected: unknown;
        try {
          expected = (parse(text) as { packages?: unknown } | null)?.packages ?? [];
        } catch {
          throw new Error(`read ${JSON.stringify(simple)} from a file the parser refuses: ${JSON.stringify(text)}`);
        }
        expect(simple).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
