/**
 * The eggs folder (`${buildout:eggs-directory}`, zc.buildout's name): an npm
 * project of its own (`package.json`, `node_modules/`) into which buildout
 * installs the recipe and extension packages a buildout names, with npm.
 *
 * Why npm itself (spawned: the npm that comes with Node) rather than a
 * library such as pacote or @npmcli/arborist: it is on every machine that
 * has Node, it honours the user's npm set-up (.npmrc registries, tokens,
 * proxies, cache) and installs a package's own dependencies exactly as
 * `npm install` would; the libraries are npm's internals, large, and would
 * tie the engine to one npm's version of them.
 *
 * `eggs/.engine` is a package named `@buildout/engine` that forwards to the
 * running engine (see engineModuleUrl): installed packages that import the
 * engine (a peer dependency) get the running one without any loader hook.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// Only the functions used: the whole package builds every range class and regular expression at start-up.
import valid from 'semver/functions/valid.js';
import rcompare from 'semver/functions/rcompare.js';
import { engineModuleUrl, engineVersion, type InstalledPackage, type PackageJson } from './modules.js';
import { childProcess } from '@buildout/config';

const ENGINE_FOLDER = '.engine';

/** What kind of failure an npm run had (none of these: npm could not fetch or install). */
export interface NpmFailureKind {
  /** The registry has no such package (or version). */
  readonly notFound?: boolean;
  /** It has the package, but no version matching what was asked (a pin it never had). */
  readonly noSuchVersion?: boolean;
  /** The [buildout] option that led to what failed, when it is not the registry's (`index`). */
  readonly option?: 'find-links';
}

/** What an npm run failed with: its own words, for the error buildout shows. */
export class NpmFailure extends Error {
  override readonly name = 'NpmFailure';
  readonly notFound: boolean;
  readonly noSuchVersion: boolean;
  readonly option: 'find-links' | undefined;
  constructor(message: string, kind: NpmFailureKind = {}) {
    super(message);
    this.notFound = kind.notFound ?? false;
    this.noSuchVersion = kind.noSuchVersion ?? false;
    this.option = kind.option;
  }
}

export interface NpmOptions {
  /** `index = URL`: the registry (npm's own setting otherwise). */
  readonly registry: string | undefined;
  /** Nothing from the network: npm works from its cache. */
  readonly offline: boolean;
  /** The run's: aborting it (Ctrl-C) stops npm, which would otherwise go on writing into the eggs folder after buildout exits. */
  readonly signal?: AbortSignal | undefined;
}

/** The installed package `name` in the eggs folder, read afresh (npm may just have replaced it). */
export function installedEgg(eggs: string, name: string): InstalledPackage | undefined {
  const directory = join(eggs, 'node_modules', name);
  try {
    return { directory, json: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageJson };
  } catch {
    return undefined;
  }
}

/** The name of the eggs folder's package.json: a folder whose package.json says otherwise is someone's project. */
const EGGS_PACKAGE_NAME = 'buildout-eggs';

/** What npm owns in a project folder besides package.json. */
const NPM_PROJECT_FILES = ['node_modules', 'package-lock.json', 'npm-shrinkwrap.json'];

/** The eggs folder cannot be one: it is a file, or it holds another project's package.json (`eggs-directory = .` in an npm project). */
export class ForeignEggsFolder extends Error {
  override readonly name = 'ForeignEggsFolder';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Throws ForeignEggsFolder when the path is no folder, or a folder holding another project's package.json. */
export function checkEggsFolder(eggs: string): void {
  if (existsSync(eggs) && !statSync(eggs).isDirectory()) {
    throw new ForeignEggsFolder(`${eggs} is a file, not a folder`, 'name a folder (it is made if missing), such as eggs-directory = eggs');
  }
  const manifest = join(eggs, 'package.json');
  if (!existsSync(manifest)) {
    // npm makes the folder its project: it would prune a node_modules of what buildout does not list, and replace the lock.
    const npmOwn = NPM_PROJECT_FILES.find((name) => existsSync(join(eggs, name)));
    if (npmOwn === undefined) return;
    throw new ForeignEggsFolder(
      `${join(eggs, npmOwn)} is there, but no package.json of buildout`,
      `npm would prune or replace it; give buildout a folder of its own (eggs-directory = eggs), or move ${npmOwn} away`,
    );
  }
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson).name;
  } catch {
    name = undefined;
  }
  if (name !== EGGS_PACKAGE_NAME) {
    throw new ForeignEggsFolder(
      `${manifest} is ${typeof name === 'string' ? `the package.json of ${name}` : 'no package.json of buildout'}`,
      "npm would add buildout's packages to that project and prune its node_modules; give buildout a folder of its own (eggs-directory = eggs)",
    );
  }
}

/**
 * Creates the eggs folder's package.json and (again, when the command moved) the engine forwarder.
 * A folder with another project's package.json is refused before anything is written: npm would add
 * buildout's packages to that project and prune its node_modules of what it does not list.
 */
export function prepareEggs(eggs: string): void {
  checkEggsFolder(eggs);
  const manifest = join(eggs, 'package.json');
  mkdirSync(join(eggs, ENGINE_FOLDER), { recursive: true });
  if (!existsSync(manifest)) {
    const json = {
      name: EGGS_PACKAGE_NAME,
      private: true,
      description: 'Recipe and extension packages fetched by buildout (buildout:eggs-directory); buildout manages this folder.',
      dependencies: { '@buildout/engine': `file:${ENGINE_FOLDER}` },
    };
    writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
  }
  const url = engineModuleUrl();
  const forwarder = {
    name: '@buildout/engine',
    version: engineVersion(),
    private: true,
    type: 'module',
    exports: './index.js',
    buildout: { engineModule: url },
  };
  writeIfChanged(join(eggs, ENGINE_FOLDER, 'package.json'), `${JSON.stringify(forwarder, null, 2)}\n`);
  writeIfChanged(
    join(eggs, ENGINE_FOLDER, 'index.js'),
    `// The engine of the buildout command that runs this buildout (rewritten when it moves).\nexport * from ${JSON.stringify(url)};\n`,
  );
}

function writeIfChanged(file: string, text: string): void {
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // not there yet
  }
  writeFileSync(file, text);
}

/** `npm install SOURCE` in the eggs folder (SOURCE: `name@version`, a tarball path or URL). */
export async function npmInstall(eggs: string, source: string, options: NpmOptions): Promise<void> {
  const args = ['install', source, '--save-exact', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];
  if (options.offline) args.push('--offline');
  await npm(eggs, args, options);
}

/** The version `npm install name` would pick now (the registry's `latest`). */
export async function npmLatestVersion(eggs: string, name: string, options: NpmOptions): Promise<string> {
  const output = await npm(eggs, ['view', `${name}@latest`, 'version', '--json', '--no-update-notifier', '--loglevel=error'], options);
  const version = JSON.parse(output.trim() || '""') as unknown;
  const found = Array.isArray(version) ? version.at(-1) : version;
  if (typeof found !== 'string' || valid(found) === null) throw new NpmFailure(`npm view ${name} gave no version`);
  return found;
}

function npm(cwd: string, args: string[], options: NpmOptions): Promise<string> {
  const [command, prefix] = npmCommand();
  const full = [...prefix, ...args, '--prefix', cwd];
  if (options.registry !== undefined) full.push('--registry', options.registry);
  mkdirSync(cwd, { recursive: true });
  return new Promise((resolvePromise, reject) => {
    const settings = {
      cwd,
      encoding: 'utf8' as const,
      maxBuffer: 64 * 1024 * 1024,
      signal: options.signal,
      killSignal: 'SIGTERM' as const,
    };
    childProcess().execFile(command, full, settings, (error, stdout, stderr) => {
      if (!error) return resolvePromise(stdout);
      // npm's own words: not its stack frames, its pointers to logs and to `npm help`, nor a line twice.
      const said = [
        ...new Set(
          `${stderr}\n${stdout}`
            .split('\n')
            .map((line) => line.replace(/^npm (error|ERR!) ?/, '').trim())
            .filter((line) => line !== '' && !/^(at |A complete log|Log files were not written|Note that you can also install)/.test(line)),
        ),
      ];
      const noSuchVersion = said.some((line) => /\bETARGET\b/.test(line));
      const notFound = noSuchVersion || said.some((line) => /\bE404\b|404 Not Found/.test(line));
      reject(new NpmFailure(said.slice(0, 6).join('; ') || error.message, { notFound, noSuchVersion }));
    });
  });
}

/** The npm that comes with the running Node (next to it), else `npm` on PATH. */
function npmCommand(): [string, string[]] {
  const bundled = resolve(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
  if (existsSync(bundled)) return [process.execPath, [bundled]];
  const windows = resolve(dirname(process.execPath), 'node_modules/npm/bin/npm-cli.js');
  if (existsSync(windows)) return [process.execPath, [windows]];
  return ['npm', []];
}

/** npm pack's file name for a package: `@scope/name` -> `scope-name`. */
function tarballStem(name: string): string {
  return name.replace(/^@/, '').replace('/', '-');
}

export interface Tarball {
  readonly version: string;
  /** A file path or URL, as npm install takes it. */
  readonly source: string;
}

/**
 * `find-links = DIR|URL ...`: tarballs of `name` (`name-1.2.3.tgz`, as npm
 * pack names them) in folders, at URLs of tarballs, or linked from pages at
 * other URLs. The exact `version` when given, else the highest.
 */
export async function findLinksTarball(links: readonly string[], name: string, version: string | undefined): Promise<Tarball | undefined> {
  const stem = `${tarballStem(name)}-`;
  const candidates: Tarball[] = [];
  const consider = (file: string, source: string): void => {
    if (!file.startsWith(stem) || !file.endsWith('.tgz')) return;
    const candidate = valid(file.slice(stem.length, -'.tgz'.length));
    if (candidate !== null) candidates.push({ version: candidate, source });
  };
  for (const link of links) {
    if (!/^https?:\/\//.test(link)) {
      const folder = link.startsWith('file://') ? fileURLToPath(link) : link;
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder)) consider(file, join(folder, file));
      continue;
    }
    const url = new URL(link);
    const file = url.pathname.split('/').pop() ?? '';
    if (file.endsWith('.tgz')) {
      consider(decodeURIComponent(file), url.href);
      continue;
    }
    for (const href of await linkedTarballs(url)) consider(decodeURIComponent(href.pathname.split('/').pop() ?? ''), href.href);
  }
  const matching = candidates.filter((candidate) => version === undefined || candidate.version === version);
  return matching.sort((a, b) => rcompare(a.version, b.version))[0];
}

/** The `.tgz` links of an HTML page (a folder listing). */
async function linkedTarballs(page: URL): Promise<URL[]> {
  let text: string;
  try {
    const response = await fetch(page);
    if (!response.ok) throw new NpmFailure(`${page.href} answered ${response.status} ${response.statusText}`);
    text = await response.text();
  } catch (error) {
    if (error instanceof NpmFailure) throw error;
    throw new NpmFailure(`cannot read find-links page ${page.href}: ${(error as Error).message}`);
  }
  const links: URL[] = [];
  for (const match of text.matchAll(/href\s*=\s*["']([^"']+\.tgz)["']/gi)) links.push(new URL(match[1]!, page));
  return links;
}
