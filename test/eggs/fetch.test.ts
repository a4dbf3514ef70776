/**
 * Recipe and extension packages fetched from a real npm registry (verdaccio,
 * test/eggs/registry.ts) into the buildout's eggs folder, through the
 * compiled command, with zc.buildout's options: [versions], index,
 * find-links, offline, newest, allow-picked-versions, show-picked-versions,
 * update-versions-file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildout as run, tree, type Result } from '../engine/cli.js';
import { recipePackage, startRegistry, type Registry } from './registry.mjs';

let registry: Registry;
const SLOW = 120_000;

beforeAll(async () => {
  registry = await startRegistry();
  for (const version of ['1.0.0', '1.1.0', '2.0.0']) await registry.publish(recipePackage('hello-recipe', version));
  await registry.publish(recipePackage('@acme/scoped-recipe', '0.3.0'));
  await registry.publish({
    'package.json': JSON.stringify({
      name: 'hello-extension',
      version: '1.0.0',
      type: 'module',
      buildout: { extension: './extension.js' },
    }),
    'extension.js': `import { writeFileSync } from 'node:fs';
export default {
  apply(engine) {
    engine.hooks.runDone.tap('hello-extension', (summary) => {
      writeFileSync('extension-ran.txt', 'installed: ' + summary.installed.join(' ') + '\\n');
    });
  },
};
`,
  });
}, SLOW);

afterAll(async () => {
  await registry?.close();
});

function buildout(args: string[], cwd: string): Promise<Result> {
  return run(['-U', ...args], cwd, registry.env);
}

function config(lines: string[]): Record<string, string> {
  return { 'buildout.cfg': `${lines.join('\n')}\n` };
}

/** A buildout of one part `hello` whose recipe comes from the test registry. */
function helloBuildout(buildoutLines: string[] = [], more: string[] = [], recipe = 'hello-recipe'): string {
  return tree(
    config([
      '[buildout]',
      'parts = hello',
      `index = ${registry.url}`,
      ...buildoutLines,
      '',
      '[hello]',
      `recipe = ${recipe}`,
      'text = hi',
      ...more,
    ]),
  );
}

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');
const GOT = (name: string, version: string) =>
  new RegExp(`^Got ${name} ${version.replaceAll('.', '\\.')} from http://127\\.0\\.0\\.1:\\d+/ \\(\\d+(\\.\\d+)? m?s\\)$`, 'm');

function succeeded(result: Result): Result {
  if (result.code !== 0) throw new Error(`buildout failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

describe('recipe packages from the registry', () => {
  it(
    'fetches an unpinned recipe (the newest) into eggs/, runs it, and records name@version in the signature',
    async () => {
      const root = helloBuildout();
      const first = succeeded(await buildout([], root));
      // Said before npm runs, as zc.buildout says it.
      expect(first.stdout).toMatch(/^Getting distribution for 'hello-recipe'\.\nGot hello-recipe 2\.0\.0 /m);
      expect(first.stdout).toMatch(GOT('hello-recipe', '2.0.0'));
      expect(read(root, 'parts/hello.txt')).toBe('hello-recipe@2.0.0 hi\n');
      expect(JSON.parse(read(root, 'eggs/package.json')).dependencies).toMatchObject({ 'hello-recipe': '2.0.0' });
      expect(read(root, '.installed.cfg')).toContain('__buildout_signature__ = hello-recipe@2.0.0');
      // Newest mode asks the registry again, finds nothing newer and fetches nothing.
      const again = succeeded(await buildout([], root));
      expect(again.stdout).not.toMatch(/^Got |^Getting /m);
      expect(again.stdout).toMatch(/1 unchanged|Updated hello/);
    },
    SLOW,
  );

  it(
    'installs a pinned recipe at exactly its pin, scoped names included',
    async () => {
      const root = helloBuildout(
        [],
        ['', '[versions]', 'hello-recipe = 1.0.0', '@acme/scoped-recipe = 0.3.0', '', '[scoped]', 'recipe = @acme/scoped-recipe'],
      );
      writeFileSync(join(root, 'buildout.cfg'), read(root, 'buildout.cfg').replace('parts = hello', 'parts = hello scoped'));
      const result = succeeded(await buildout([], root));
      expect(result.stdout).toMatch(GOT('hello-recipe', '1.0.0'));
      expect(result.stdout).toMatch(GOT('@acme/scoped-recipe', '0.3.0'));
      expect(read(root, 'parts/hello.txt')).toBe('hello-recipe@1.0.0 hi\n');
      expect(read(root, 'parts/scoped.txt')).toBe('@acme/scoped-recipe@0.3.0 \n');
    },
    SLOW,
  );

  it(
    'a changed pin installs that version and reinstalls the parts using the recipe; an unchanged one fetches nothing',
    async () => {
      const root = helloBuildout([], ['', '[versions]', 'hello-recipe = 1.0.0']);
      succeeded(await buildout([], root));
      writeFileSync(join(root, 'buildout.cfg'), read(root, 'buildout.cfg').replace('hello-recipe = 1.0.0', 'hello-recipe = 1.1.0'));
      const changed = succeeded(await buildout([], root));
      expect(changed.stdout).toMatch(GOT('hello-recipe', '1.1.0'));
      expect(changed.stdout).toMatch(/^Uninstalled hello /m);
      expect(changed.stdout).toMatch(/^Installed hello /m);
      expect(read(root, 'parts/hello.txt')).toBe('hello-recipe@1.1.0 hi\n');
      expect(read(root, '.installed.cfg')).toContain('__buildout_signature__ = hello-recipe@1.1.0');
      const again = succeeded(await buildout([], root));
      expect(again.stdout).not.toMatch(/^Got |^Installed /m);
    },
    SLOW,
  );

  it(
    'offline (-o) with the package missing: an error naming the package and the option, and nothing changes',
    async () => {
      const root = helloBuildout(['parts-directory = parts'], ['', '[versions]', 'hello-recipe = 1.0.0']);
      const missing = await buildout(['-o'], root);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /^buildout\.cfg:7:1: part hello: unknown recipe 'hello-recipe'; .*package 'hello-recipe' 1\.0\.0 is not installed/,
      );
      expect(missing.stderr).toContain('buildout:offline is true: nothing is downloaded');
      expect(missing.stderr).toMatch(/hint: set offline = false in \[buildout\] \(or run buildout -O\) to fetch it/);
      expect(existsSync(join(root, 'eggs'))).toBe(false);
      expect(existsSync(join(root, '.installed.cfg'))).toBe(false);

      // Installed at 1.0.0, pinned to 1.1.0, offline: refused; the installed part and its files stay as they were.
      succeeded(await buildout([], root));
      const state = read(root, '.installed.cfg');
      writeFileSync(join(root, 'buildout.cfg'), read(root, 'buildout.cfg').replace('hello-recipe = 1.0.0', 'hello-recipe = 1.1.0'));
      const pinned = await buildout(['-o'], root);
      expect(pinned.code).toBe(1);
      expect(pinned.stderr).toContain("package 'hello-recipe' 1.1.0 is not installed (eggs has 1.0.0), and buildout:offline is true");
      expect(read(root, '.installed.cfg')).toBe(state);
      expect(read(root, 'parts/hello.txt')).toBe('hello-recipe@1.0.0 hi\n');
    },
    SLOW,
  );

  it(
    'newest = false (-N) keeps the installed version without asking the registry; newest = true asks for the newest',
    async () => {
      const root = helloBuildout();
      await registry.publish(recipePackage('newest-recipe', '1.0.0'));
      writeFileSync(join(root, 'buildout.cfg'), read(root, 'buildout.cfg').replace('recipe = hello-recipe', 'recipe = newest-recipe'));
      succeeded(await buildout([], root));
      expect(read(root, 'parts/hello.txt')).toBe('newest-recipe@1.0.0 hi\n');

      await registry.publish(recipePackage('newest-recipe', '1.1.0'));
      await registry.stop();
      try {
        // No registry at all: -N still works, so it asked nothing.
        const kept = succeeded(await buildout(['-N'], root));
        expect(kept.stdout).not.toMatch(/^Got /m);
        expect(read(root, 'parts/hello.txt')).toBe('newest-recipe@1.0.0 hi\n');
        // Newest mode (the default) asks, says it could not, and uses what it has (zc.buildout's "Using our best").
        const asked = succeeded(await buildout([], root));
        expect(asked.stdout).toMatch(
          /warning: cannot ask for the newest newest-recipe \(cannot fetch package 'newest-recipe': .*ECONNREFUSED.*\); using the installed 1\.0\.0/,
        );
        expect(read(root, 'parts/hello.txt')).toBe('newest-recipe@1.0.0 hi\n');
      } finally {
        await registry.start();
      }
      const newest = succeeded(await buildout([], root));
      expect(newest.stdout).toMatch(GOT('newest-recipe', '1.1.0'));
      expect(read(root, 'parts/hello.txt')).toBe('newest-recipe@1.1.0 hi\n');
    },
    SLOW,
  );

  it(
    'allow-picked-versions = false refuses an unpinned package and prints the [versions] line to add',
    async () => {
      const root = helloBuildout(['allow-picked-versions = false']);
      const refused = await buildout([], root);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        "package 'hello-recipe' has no version pin in [versions], and buildout:allow-picked-versions is false",
      );
      expect(refused.stderr).toContain('add to [versions]: hello-recipe = 2.0.0');
      expect(existsSync(join(root, 'parts/hello.txt'))).toBe(false);
      writeFileSync(join(root, 'buildout.cfg'), `${read(root, 'buildout.cfg')}\n[versions]\nhello-recipe = 2.0.0\n`);
      succeeded(await buildout([], root));
      expect(read(root, 'parts/hello.txt')).toBe('hello-recipe@2.0.0 hi\n');
    },
    SLOW,
  );

  it(
    'show-picked-versions prints the picked [versions] lines; update-versions-file appends them, and pins them once extended',
    async () => {
      const root = helloBuildout(
        ['show-picked-versions = true', 'update-versions-file = versions.cfg'],
        ['', '[versions]', '@acme/scoped-recipe = 0.3.0'],
      );
      const result = succeeded(await buildout([], root));
      expect(result.stdout).toContain(
        'Versions had to be automatically picked.\nThe following part definition lists the versions picked:\n[versions]\nhello-recipe = 2.0.0\n',
      );
      expect(read(root, 'versions.cfg')).toMatch(/^\[versions\]\n\n# Added by buildout at \S+\nhello-recipe = 2\.0\.0\n$/);
      // With the file extended, the version is pinned: nothing is picked any more.
      writeFileSync(join(root, 'buildout.cfg'), read(root, 'buildout.cfg').replace('[buildout]', '[buildout]\nextends = versions.cfg'));
      const pinned = succeeded(await buildout([], root));
      expect(pinned.stdout).not.toContain('Versions had to be automatically picked');
      expect(read(root, 'versions.cfg').match(/hello-recipe/g)).toHaveLength(1);
    },
    SLOW,
  );

  it(
    'find-links: a folder or a URL of tarballs is tried first (the registry is not asked)',
    async () => {
      const links = tree({});
      const source = tree(recipePackage('linked-recipe', '3.1.0'));
      await registry.pack(source, links);
      const root = helloBuildout([`find-links = ${links}`], [], 'linked-recipe');
      // The index is a closed port: the package can only come from find-links.
      writeFileSync(
        join(root, 'buildout.cfg'),
        read(root, 'buildout.cfg').replace(`index = ${registry.url}`, 'index = http://127.0.0.1:9/'),
      );
      const result = succeeded(await buildout([], root));
      expect(result.stdout).toMatch(new RegExp(`^Got linked-recipe 3\\.1\\.0 from ${links}/linked-recipe-3\\.1\\.0\\.tgz`, 'm'));
      expect(read(root, 'parts/hello.txt')).toBe('linked-recipe@3.1.0 hi\n');

      const byUrl = helloBuildout([`find-links = ${registry.url}hello-recipe/-/hello-recipe-1.1.0.tgz`]);
      const fromUrl = succeeded(await buildout([], byUrl));
      expect(fromUrl.stdout).toMatch(
        /^Got hello-recipe 1\.1\.0 from http:\/\/127\.0\.0\.1:\d+\/hello-recipe\/-\/hello-recipe-1\.1\.0\.tgz/m,
      );
      expect(read(byUrl, 'parts/hello.txt')).toBe('hello-recipe@1.1.0 hi\n');
    },
    SLOW,
  );

  it(
    'an extension package is fetched the same way (and pinned)',
    async () => {
      const root = helloBuildout(['extensions = hello-extension'], ['', '[versions]', 'hello-extension = 1.0.0', 'hello-recipe = 1.0.0']);
      const result = succeeded(await buildout([], root));
      expect(result.stdout).toMatch(GOT('hello-extension', '1.0.0'));
      expect(read(root, 'extension-ran.txt')).toBe('installed: hello\n');
    },
    SLOW,
  );

  it(
    'a name the registry does not have is an unknown recipe, listing what is installed',
    async () => {
      const root = helloBuildout([], [], 'no-such-recipe');
      const result = await buildout([], root);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^buildout\.cfg:6:1: part hello: unknown recipe 'no-such-recipe'; installed recipes: .*collective\.recipe\.supervisor/,
      );
      expect(result.stderr).toMatch(/cannot fetch package 'no-such-recipe'.*404/);
    },
    SLOW,
  );

  it('an index that is no http(s) URL is refused where it is written: npm would ask its public registry instead', async () => {
    for (const index of ['not-a-url', 'ftp://127.0.0.1/', '127.0.0.1:4873']) {
      const root = tree(config(['[buildout]', 'parts = hello', `index = ${index}`, '', '[hello]', 'recipe = hello-recipe']));
      const result = await buildout([], root);
      expect(result.code, index).toBe(1);
      expect(result.stderr, index).toMatch(
        new RegExp(`^buildout\\.cfg:3:1: .*index = ${index.replaceAll('.', '\\.')} is not an http\\(s\\) URL`),
      );
      expect(existsSync(join(root, 'eggs', 'node_modules')), index).toBe(false);
    }
  });

  it("an eggs-directory holding another project's package.json is refused before npm touches it", async () => {
    const project = JSON.stringify({ name: 'my-app', version: '1.0.0', private: true });
    const root = tree({
      ...config(['[buildout]', 'parts = hello', `index = ${registry.url}`, 'eggs-directory = .', '', '[hello]', 'recipe = hello-recipe']),
      'package.json': project,
      'node_modules/my-local-lib/index.js': 'export default 1;\n',
    });
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`buildout.cfg:4:1: `);
    expect(result.stderr).toContain(
      `eggs-directory ${root} cannot be buildout's eggs folder: ${join(root, 'package.json')} is the package.json of my-app`,
    );
    expect(result.stderr).toContain("hint: npm would add buildout's packages to that project and prune its node_modules");
    expect(read(root, 'package.json')).toBe(project);
    expect(existsSync(join(root, 'node_modules/my-local-lib/index.js'))).toBe(true);
    expect(existsSync(join(root, '.engine'))).toBe(false);
    expect(existsSync(join(root, 'package-lock.json'))).toBe(false);
  });

  it('an eggs-directory holding a node_modules or an npm lock but no package.json is refused before npm prunes it', async () => {
    for (const [file, text] of [
      ['node_modules/leftpad/index.js', 'export default 1;\n'],
      ['package-lock.json', '{"lockfileVersion": 3}\n'],
    ] as const) {
      const root = tree({
        ...config([
          '[buildout]',
          'parts = hello',
          `index = ${registry.url}`,
          'eggs-directory = shared',
          '',
          '[hello]',
          'recipe = hello-recipe',
        ]),
        [`shared/${file}`]: text,
      });
      const result = await buildout([], root);
      expect(result.code, file).toBe(1);
      expect(result.stderr, file).toContain(
        `eggs-directory ${join(root, 'shared')} cannot be buildout's eggs folder: ${join(root, 'shared', file.split('/')[0]!)} is there, but no package.json of buildout`,
      );
      expect(read(root, `shared/${file}`), file).toBe(text);
      expect(existsSync(join(root, 'shared', 'package.json')), file).toBe(false);
    }
  });

  it('a pin the registry has no version for: said at the pin, with the newest version, and no npm noise', async () => {
    const root = helloBuildout([], ['', '[versions]', 'hello-recipe = 9.9.9']);
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^buildout\.cfg:10:1: /);
    expect(result.stderr).toContain(
      `[versions] hello-recipe = 9.9.9: ${registry.url} has no version 9.9.9 of hello-recipe (its newest is 2.0.0)`,
    );
    expect(result.stderr).toContain('hint: pin a version the registry has: hello-recipe = 2.0.0');
    expect(result.stderr).not.toMatch(/unknown recipe|\bat \S+ \(|-N keeps/);
  });

  it('an eggs-directory that is a file is said so at its line', async () => {
    const root = tree({
      ...config([
        '[buildout]',
        'parts = hello',
        `index = ${registry.url}`,
        'eggs-directory = afile',
        '',
        '[hello]',
        'recipe = hello-recipe',
      ]),
      afile: 'not a folder\n',
    });
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`buildout.cfg:4:1: `);
    expect(result.stderr).toContain(
      `eggs-directory ${join(root, 'afile')} cannot be buildout's eggs folder: ${join(root, 'afile')} is a file, not a folder`,
    );
    expect(read(root, 'afile')).toBe('not a folder\n');
  });

  it('a find-links tarball npm cannot install: the error names it and points at the find-links line', async () => {
    const links = tree({ 'broken-recipe-1.0.0.tgz': 'not a tarball\n' });
    const root = helloBuildout([`find-links = ${links}`], [], 'broken-recipe');
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    // find-links is line 4 (index is line 3).
    expect(result.stderr).toMatch(/^buildout\.cfg:4:1: /);
    expect(result.stderr).toContain(`cannot fetch package 'broken-recipe': ${join(links, 'broken-recipe-1.0.0.tgz')}: `);
  });

  it('an extension the registry does not have: said of the extension, at the extensions line', async () => {
    const root = helloBuildout(['extensions = no-such-extension']);
    const result = await buildout([], root);
    expect(result.code).toBe(1);
    // extensions is line 4 (index is line 3).
    expect(result.stderr).toMatch(/^buildout\.cfg:4:1: extension 'no-such-extension': cannot fetch package 'no-such-extension': .*404/);
  });
});
