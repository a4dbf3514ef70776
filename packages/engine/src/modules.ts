/**
 * Finding and importing the modules a buildout names: local files (relative
 * to the buildout directory) and installed npm packages (looked up from the
 * buildout directory upwards, as Node does). TypeScript files go through the
 * loader hooks in ../loader/typescript-hooks.mjs, registered on first use.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crypto, importModule } from '@buildout/config';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** `./x.mjs`, `../x.ts`, `/abs/x.js`: a file rather than a package name. */
export function isLocalSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec);
}

export function resolveLocal(directory: string, spec: string): string {
  return resolve(directory, spec);
}

/**
 * Up to this size, hashed in JavaScript (@noble/hashes): loading node:crypto
 * costs a run about 3 ms, more than hashing a recipe file. Larger inputs (the
 * files of a develop package) go to node:crypto, which is some 20x faster per
 * byte. Both are SHA-256, so the hashes are the same either way.
 */
const HASHED_IN_JAVASCRIPT = 64 * 1024;

/** The first 16 hex digits of the SHA-256 of `text` (UTF-8). */
export function contentHash(text: string | Uint8Array): string {
  const bytes = typeof text === 'string' ? utf8ToBytes(text) : text;
  if (bytes.length <= HASHED_IN_JAVASCRIPT) return bytesToHex(sha256(bytes)).slice(0, 16);
  return crypto().createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  buildout?: { recipes?: Record<string, string>; extension?: string; engineModule?: string };
}

export interface InstalledPackage {
  readonly directory: string;
  readonly json: PackageJson;
}

const packageJsonCache = new Map<string, PackageJson | undefined>();

export function readPackageJson(directory: string): PackageJson | undefined {
  if (packageJsonCache.has(directory)) return packageJsonCache.get(directory);
  let json: PackageJson | undefined;
  try {
    json = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    json = undefined;
  }
  packageJsonCache.set(directory, json);
  return json;
}

/** The installed package `name` as Node would find it from `from`: `node_modules/name` in `from` or a parent. */
export function findPackage(name: string, from: string): InstalledPackage | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name);
    const json = readPackageJson(candidate);
    if (json) return { directory: candidate, json };
    if (dirname(directory) === directory) return undefined;
  }
}

/** Every package.json folder from `from` up to the root (the projects a buildout directory belongs to). */
export function enclosingProjects(from: string): string[] {
  const projects: string[] = [];
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) projects.push(directory);
    if (dirname(directory) === directory) return projects;
  }
}

/** The file `import(name)` would load for a package: its `exports` "." (import/default), else `main`, else index.js. */
export function packageEntry(installed: InstalledPackage): string {
  const entry = exportsEntry(installed.json.exports) ?? installed.json.main ?? 'index.js';
  return join(installed.directory, entry);
}

function exportsEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports === null || typeof exports !== 'object') return undefined;
  const record = exports as Record<string, unknown>;
  if ('.' in record) return exportsEntry(record['.']);
  for (const condition of ['import', 'node', 'default']) {
    const found = exportsEntry(record[condition]);
    if (found !== undefined) return found;
  }
  return undefined;
}

const ENGINE = '@buildout/engine';
let engineModule: string | undefined;

/**
 * For a host that bundles the engine (the CLI): the URL of the module that
 * exports it. Recipes and extensions importing `@buildout/engine` get that
 * module, so there is one engine: `instanceof` and error codes agree.
 */
export function setEngineModule(url: string): void {
  engineModule = url;
}

/** The module recipes get for `@buildout/engine`: the host's (setEngineModule), else this package's entry. */
export function engineModuleUrl(): string {
  engineModule ??= pathToFileURL(join(engineRoot(), 'dist/index.js')).href;
  return engineModule;
}

/** Found through the package, not next to this file: the CLI runs the engine from a bundle. */
function engineRoot(): string {
  return dirname(createRequire(import.meta.url).resolve(`${ENGINE}/package.json`));
}

export function engineVersion(): string {
  return readPackageJson(engineRoot())?.version ?? '0.0.0';
}

/**
 * A package folder from which `import '@buildout/engine'` would not reach the
 * running engine: it has a copy of its own (a recipe package's devDependency,
 * for its types), or none while it declares one. A folder that forwards to the
 * running engine (eggs/, see eggs.ts) is marked `"buildout": {"engineModule": URL}`.
 */
function needsEngineRedirect(installed: InstalledPackage): boolean {
  const { json } = installed;
  const declared = [json.dependencies, json.peerDependencies, json.devDependencies, json.optionalDependencies].some(
    (dependencies) => dependencies?.[ENGINE] !== undefined,
  );
  const found = findPackage(ENGINE, installed.directory);
  if (!found) return declared;
  return found.json.buildout?.engineModule !== engineModuleUrl();
}

let hooksRegistered = false;

/** ../loader/typescript-hooks.mjs: `.ts` files transpiled, `@buildout/engine` resolved to the running engine. */
function registerHooks(): void {
  if (hooksRegistered) return;
  register(pathToFileURL(join(engineRoot(), 'loader/typescript-hooks.mjs')), {
    data: { cacheDirectory: typescriptCacheDirectory(), engineUrl: engineModuleUrl() },
  });
  hooksRegistered = true;
}

/**
 * Imports a module file; `.ts`/`.mts` are transpiled (see ../loader/typescript-hooks.mjs).
 * `version` (a content hash) makes an edited file load afresh in a long-lived process.
 * `from`: the package the file belongs to; the loader hooks (which cost a
 * thread) are registered only when it needs them to reach the running engine.
 */
export async function importFile(file: string, version?: string, from?: InstalledPackage): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(file) || (from !== undefined && needsEngineRedirect(from))) registerHooks();
  const url = pathToFileURL(file);
  if (version !== undefined) url.searchParams.set('v', version);
  return importModule(url.href);
}

/**
 * Where transpiled TypeScript is kept, or none. In the shared temporary folder only a folder of the
 * user's own that nobody else can write to: anyone could make `/tmp/buildout-<uid>` first and plant
 * the transpiled code of a recipe (its key is the hash of its source), which would then run.
 */
function typescriptCacheDirectory(): string | undefined {
  if (process.env.XDG_CACHE_HOME) return join(process.env.XDG_CACHE_HOME, 'buildout', 'typescript');
  const uid = process.getuid?.();
  const base = join(tmpdir(), `buildout-${uid ?? 'user'}`);
  try {
    mkdirSync(base, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  const stat = lstatSync(base, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) return undefined;
  // Windows has no owners or modes to check.
  if (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0)) return undefined;
  return join(base, 'buildout', 'typescript');
}
