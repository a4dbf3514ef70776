/**
 * Finding and importing the modules a buildout names: local files (relative
 * to the buildout directory) and installed npm packages (looked up from the
 * buildout directory upwards, as Node does). TypeScript files go through the
 * loader hooks in ../loader/typescript-hooks.mjs, registered on first use.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `./x.mjs`, `../x.ts`, `/abs/x.js`: a file rather than a package name. */
export function isLocalSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec);
}

export function resolveLocal(directory: string, spec: string): string {
  return resolve(directory, spec);
}

export function contentHash(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  buildout?: { recipes?: Record<string, string>; extension?: string };
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

let typescriptHooksRegistered = false;

/**
 * Imports a module file; `.ts`/`.mts` are transpiled (see ../loader/typescript-hooks.mjs).
 * `version` (a content hash) makes an edited file load afresh in a long-lived process.
 */
export async function importFile(file: string, version?: string): Promise<Record<string, unknown>> {
  if (/\.m?ts$/.test(file) && !typescriptHooksRegistered) {
    // Found through the package, not next to this file: the CLI runs the engine from a bundle.
    const engineRoot = dirname(createRequire(import.meta.url).resolve('@buildout/engine/package.json'));
    register(pathToFileURL(join(engineRoot, 'loader/typescript-hooks.mjs')), {
      data: { cacheDirectory: typescriptCacheDirectory(), engineUrl: pathToFileURL(join(engineRoot, 'dist/index.js')).href },
    });
    typescriptHooksRegistered = true;
  }
  const url = pathToFileURL(file);
  if (version !== undefined) url.searchParams.set('v', version);
  return (await import(url.href)) as Record<string, unknown>;
}

function typescriptCacheDirectory(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(tmpdir(), `buildout-${process.getuid?.() ?? 'user'}`);
  return join(base, 'buildout', 'typescript');
}
