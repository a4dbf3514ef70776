/**
 * `buildout init --recipe NAME [FOLDER]`: a recipe package to start from, in
 * a new folder. Its recipe is TypeScript the engine runs as it is (no build
 * step); its test uses @buildout/testing; `npm install && npm test` passes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildoutError } from '@buildout/config';
import { RECIPE_API_VERSION } from '@buildout/engine';
import { CliErrorCodes } from '../errors.js';
import { usageError } from '../args.js';

/** npm's rule for package names (lower case, URL-safe, optionally scoped); it is the recipe's name too. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** The versions of buildout's packages the scaffold depends on: this CLI's, or tarballs in a folder. */
export interface ScaffoldSources {
  /** `--from FOLDER`: `npm pack` tarballs of @buildout/* packages, used instead of the registry. */
  readonly tarballs?: string | undefined;
}

/** Writes the package; returns the folder and the files written (relative). */
export function scaffoldRecipe(
  name: string,
  folder: string | undefined,
  cwd: string,
  sources: ScaffoldSources = {},
): { folder: string; files: string[] } {
  if (!PACKAGE_NAME.test(name) || name.length > 214) {
    throw usageError(
      `init --recipe: ${JSON.stringify(name)} is not a package name (lower case letters, digits, - . _ ~, optionally @scope/)`,
    );
  }
  const target = resolve(cwd, folder ?? basename(name));
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new BuildoutError(CliErrorCodes.FOLDER_EXISTS, `${target} already exists and is not empty`, {
      hint: 'name a new folder: buildout init --recipe NAME FOLDER',
    });
  }
  const files = recipeFiles(name, dependencyVersions(sources));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(target, path)), { recursive: true });
    writeFileSync(join(target, path), text);
  }
  return { folder: target, files: Object.keys(files) };
}

const OWN_PACKAGES = ['@buildout/cli', '@buildout/engine', '@buildout/testing'] as const;

function dependencyVersions(sources: ScaffoldSources): Record<(typeof OWN_PACKAGES)[number], string> {
  // @buildout/testing keeps the version of the recipe API it tests against.
  const api = `^${RECIPE_API_VERSION}.0`;
  const versions = { '@buildout/cli': `^${cliVersion()}`, '@buildout/engine': api, '@buildout/testing': api };
  if (sources.tarballs === undefined) return versions;
  const folder = resolve(sources.tarballs);
  const tarballs = existsSync(folder) ? readdirSync(folder).filter((file) => file.endsWith('.tgz')) : [];
  for (const name of OWN_PACKAGES) {
    // npm pack names @buildout/engine 1.0.0 buildout-engine-1.0.0.tgz
    const found = tarballs.filter((file) => file.startsWith(`${name.slice(1).replace('/', '-')}-`)).sort();
    if (found.length === 0) {
      throw new BuildoutError(CliErrorCodes.USAGE, `init --recipe --from ${folder}: no tarball of ${name} there`, {
        hint: 'build them with `corepack pnpm run pack` (they go to artifacts/), or leave --from out to use the registry',
      });
    }
    versions[name] = `file:${join(folder, found.at(-1)!)}`;
  }
  return versions;
}

/** This CLI's version, from the package.json above this module (its depth differs in src/, dist/ and the bundle). */
function cliVersion(): string {
  for (let folder = dirname(fileURLToPath(import.meta.url)); folder !== dirname(folder); folder = dirname(folder)) {
    const file = join(folder, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
    if (json.name === '@buildout/cli') return json.version;
  }
  throw new Error('the package.json of @buildout/cli is not above its code');
}

/** A code for the recipe's own errors: its short name, upper case (`@acme/hello-world` -> HELLO_WORLD). */
function codePrefix(name: string): string {
  return (
    basename(name)
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'RECIPE'
  );
}

function recipeFiles(name: string, versions: Record<string, string>): Record<string, string> {
  const code = `${codePrefix(name)}_NO_TEXT`;
  const packageJson = {
    name,
    version: '0.1.0',
    description: `The ${name} buildout recipe`,
    type: 'module',
    license: 'MIT',
    engines: { node: '>=20.19' },
    files: ['src', 'README.md'],
    // buildout finds the recipe here: `recipe = ${name}` in a part.
    buildout: { recipes: { [name]: './src/recipe.ts' } },
    scripts: { test: 'vitest run' },
    peerDependencies: { '@buildout/engine': versions['@buildout/engine'] },
    devDependencies: { ...versions, vitest: '^4.1.12' },
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          skipLibCheck: true,
        },
        include: ['src', 'test'],
      },
      null,
      2,
    )}\n`,
    'src/recipe.ts': `/**
 * The ${name} recipe: writes \`text\` to \`message.txt\` in the part's folder.
 * The recipe API and its lifecycle: docs/recipes.md of buildout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BuildoutError, defineRecipe, type Part } from '@buildout/engine';

function folderOf(part: Part): string {
  return resolve(part.directory, part.buildout.get('buildout', 'parts-directory'), part.name);
}

export default defineRecipe({
  // Runs for every part before anything is installed: check options here, and
  // set those other parts may use (\${part:location}).
  init(part) {
    if (!part.options.text) {
      throw new BuildoutError('${code}', 'option text is missing or empty', {
        part: part.name,
        hint: 'add text = <what to write> to the part',
      });
    }
    part.options.location ??= folderOf(part);
  },

  // Creates the part; what it returns is removed when the part is uninstalled.
  install(part) {
    const { location = folderOf(part), text } = part.options;
    mkdirSync(location, { recursive: true });
    part.created(location);
    writeFileSync(join(location, 'message.txt'), \`\${text}\\n\`);
    part.log.info(\`wrote \${join(location, 'message.txt')}\`);
    return [location];
  },

  // Same options as last time: nothing to do.
  update() {},
});
`,
    'test/recipe.test.ts': `import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { configText, createBuildout, failure, removeTemporaryFolders } from '@buildout/testing';
import recipe from '../src/recipe.ts';

afterEach(removeTemporaryFolders);

const RECIPE = fileURLToPath(new URL('../src/recipe.ts', import.meta.url));

function buildoutWith(options: Record<string, string>) {
  return createBuildout({ 'buildout.cfg': configText({ buildout: { parts: 'message' }, message: { recipe: RECIPE, ...options } }) });
}

test('init sets the location; install writes the message there and returns it', async () => {
  const buildout = buildoutWith({ text: 'hello' });
  await recipe.init!(await buildout.part('message', 'init'));
  const part = await buildout.part('message', 'install');
  expect(part.options.location).toBe(\`\${buildout.directory}/parts/message\`);
  expect(await recipe.install(part)).toEqual([part.options.location]);
  expect(buildout.read('parts/message/message.txt')).toBe('hello\\n');
  expect(part.registered).toEqual([part.options.location]);
});

test('a missing text is an error naming the part', async () => {
  const buildout = buildoutWith({});
  const error = await failure(async () => recipe.init!(await buildout.part('message', 'init')));
  expect(error).toMatchObject({ code: '${code}', part: 'message', message: 'option text is missing or empty' });
});

test('buildout installs it, as a user runs it', async () => {
  const buildout = buildoutWith({ text: 'hello' });
  const { exitCode, stdout, stderr } = await buildout.run();
  expect(stderr).toBe('');
  expect(exitCode).toBe(0);
  expect(buildout.normalize(stdout)).toBe(
    'Installing message...\\nmessage: wrote /sample-buildout/parts/message/message.txt\\nInstalled message (TIME)\\nDone in TIME: 1 built\\n',
  );
  expect(buildout.ls('parts/message')).toEqual(['message.txt']);
});
`,
    'README.md': `# ${name}

A [buildout](https://www.npmjs.com/package/@buildout/cli) recipe: writes \`text\` to
\`parts/<part>/message.txt\`.

\`\`\`ini
[buildout]
parts = message

[message]
recipe = ${name}
text = hello
\`\`\`

| option     | meaning                                                        |
| ---------- | -------------------------------------------------------------- |
| \`text\`     | what to write (required)                                       |
| \`location\` | the part's folder; set by the recipe, \`\${message:location}\` |

## Developing

    npm install
    npm test

The recipe is TypeScript that buildout runs as it is: \`src/recipe.ts\`. The tests
(\`test/recipe.test.ts\`) use @buildout/testing: a temporary buildout, the real
\`buildout\` command, and real Part objects for one method at a time.
`,
  };
}
