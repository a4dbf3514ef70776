// `corepack pnpm run pack`: writes each package of PUBLISHED as ONE tarball
// under artifacts/ that `npm install` takes with nothing but Node and npm.
// Every @buildout/* package it depends on (directly or not) travels inside it
// as a bundled dependency; third-party dependencies stay ordinary ones and
// come from the registry. Run after the build (the root script builds first).
//
// How: `pnpm pack` of each workspace package (it turns `workspace:*` into
// real versions), the tarball of the published package unpacked into a
// staging folder, those of its @buildout/* dependencies into its
// node_modules/, then `npm pack` of that folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const artifacts = join(root, 'artifacts');

/**
 * The published tarballs, one line each. `engineFromBundle`: the package runs
 * the engine bundled into its dist/buildout.mjs, so the @buildout/engine
 * inside it re-exports that module: recipes it ships then share the
 * command's engine (one copy: `instanceof` and error codes agree).
 */
const PUBLISHED = [
  { directory: 'packages/cli', engineFromBundle: true },
  // The recipe API: what a recipe package depends on to type-check.
  { directory: 'packages/engine' },
  // The test kit for recipe packages (zc.buildout.testing's counterpart).
  { directory: 'packages/testing' },
];

const SCOPE = '@buildout/';

const workspace = new Map(
  readdirSync(join(root, 'packages')).flatMap((folder) => {
    const file = join(root, 'packages', folder, 'package.json');
    if (!existsSync(file)) return [];
    const json = JSON.parse(readFileSync(file, 'utf8'));
    return [[json.name, { directory: join(root, 'packages', folder), json }]];
  }),
);

const scratch = mkdtempSync(join(tmpdir(), 'buildout-pack-'));
const packed = new Map();

/** `pnpm pack` of a workspace package, unpacked into `into` (once per package). */
function unpackWorkspacePackage(name, into) {
  let tarball = packed.get(name);
  if (!tarball) {
    const destination = join(scratch, 'tarballs', name.replace('/', '-'));
    mkdirSync(destination, { recursive: true });
    execFileSync('corepack', ['pnpm', 'pack', '--pack-destination', destination], {
      cwd: workspace.get(name).directory,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    tarball = join(
      destination,
      readdirSync(destination).find((file) => file.endsWith('.tgz')),
    );
    packed.set(name, tarball);
  }
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1']);
  return JSON.parse(readFileSync(join(into, 'package.json'), 'utf8'));
}

/** The @buildout/* packages `name` needs, directly or through others. */
function workspaceDependencies(name, found = new Set()) {
  for (const dependency of Object.keys(workspace.get(name).json.dependencies ?? {})) {
    if (!dependency.startsWith(SCOPE) || found.has(dependency)) continue;
    if (!workspace.has(dependency)) throw new Error(`${name} depends on ${dependency}, which is not in packages/`);
    found.add(dependency);
    workspaceDependencies(dependency, found);
  }
  return found;
}

function stage({ directory, engineFromBundle }) {
  const { name } = JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8'));
  const folder = join(scratch, 'stage', name.replace('/', '-'));
  const json = unpackWorkspacePackage(name, folder);
  const bundled = [...workspaceDependencies(name)].sort();
  const dependencies = { ...json.dependencies };
  for (const dependency of bundled) {
    const innerFolder = join(folder, 'node_modules', dependency);
    const inner = unpackWorkspacePackage(dependency, innerFolder);
    dependencies[dependency] = inner.version;
    // npm counts a bundled package's dependencies as part of the bundle too: its
    // third-party ones move up to the published package, which gets them from
    // the registry, and Node finds them from the bundled package's folder.
    for (const [thirdParty, range] of Object.entries(inner.dependencies ?? {})) {
      if (thirdParty.startsWith(SCOPE)) continue;
      dependencies[thirdParty] ??= range;
      delete inner.dependencies[thirdParty];
    }
    delete inner.devDependencies;
    writeFileSync(join(innerFolder, 'package.json'), `${JSON.stringify(inner, null, 2)}\n`);
  }
  if (engineFromBundle) {
    const engine = join(folder, 'node_modules', '@buildout/engine');
    if (!existsSync(engine)) throw new Error(`${name} does not bundle @buildout/engine`);
    const bundle = relative(join(engine, 'dist'), join(folder, 'dist/buildout.mjs'));
    if (!existsSync(join(folder, 'dist/buildout.mjs'))) throw new Error(`${name} has no dist/buildout.mjs: build first`);
    writeFileSync(
      join(engine, 'dist/index.js'),
      `// The engine of the command that bundles this package: one copy.\nexport * from '${bundle}';\n`,
    );
  }
  json.dependencies = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  json.bundleDependencies = bundled;
  delete json.devDependencies;
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(json, null, 2)}\n`);
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', artifacts], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'error', npm_config_update_notifier: 'false' },
  });
  const [{ filename }] = JSON.parse(output);
  return { name, file: join('artifacts', filename.replace(/^@/, '').replace('/', '-')), bundled };
}

try {
  mkdirSync(artifacts, { recursive: true });
  // Tarballs of earlier versions would leave `artifacts/<name>-*.tgz` ambiguous.
  for (const { directory } of PUBLISHED) {
    const stem = `${JSON.parse(readFileSync(join(root, directory, 'package.json'), 'utf8'))
      .name.replace(/^@/, '')
      .replace('/', '-')}-`;
    for (const file of readdirSync(artifacts)) {
      if (file.startsWith(stem) && /^\d/.test(file.slice(stem.length)) && file.endsWith('.tgz')) rmSync(join(artifacts, file));
    }
  }
  for (const published of PUBLISHED) {
    const { name, file, bundled } = stage(published);
    if (!existsSync(join(root, file))) throw new Error(`npm pack did not write ${file}`);
    console.log(`${file}  ${name}${bundled.length > 0 ? ` (bundles ${bundled.join(', ')})` : ''}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
