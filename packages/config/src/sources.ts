/**
 * Reading configuration files and what they extend: local paths relative to
 * the file naming them, and `scheme://` URLs downloaded with the platform
 * fetch and cached in `extends-cache`.
 */
import { access, mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateCondition, type ConditionNames } from './condition.js';
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';
import { layerFromParsed, mergeAll, mergeLayers, locationOf, type Layer, type Value } from './layers.js';
import { checkPathText, readTextFile } from './file-access.js';
import { parseConfigText } from './parse.js';
import { words } from './text.js';
import { crypto } from './builtins.js';

const URL_PATTERN = /^[a-zA-Z0-9+.-]+:\/\//;

export function isUrl(location: string): boolean {
  return URL_PATTERN.test(location);
}

/** How files named by `extends` are fetched (zc.buildout's download options). */
export interface DownloadSettings {
  offline: boolean;
  /** Absolute folder, or undefined for no cache. */
  extendsCache: string | undefined;
  fetch: typeof fetch;
}

export interface OpenContext {
  download: DownloadSettings;
  conditionNames: ConditionNames;
  /** User defaults, merged under the first file that extends nothing (as zc.buildout does); consumed once. */
  userDefaults: Layer | undefined;
  /** Called with the main file's own layer before its extends are fetched: its [buildout] may set offline or extends-cache. */
  onMainFileParsed?: ((layer: Layer, file: string) => void) | undefined;
  /** Local files read so far (absolute paths), for the engine's list of buildout's own files. */
  readonly filesRead?: string[] | undefined;
}

/** Where a config file is, and what relative names inside it are relative to. */
interface ConfigLocation {
  /** Absolute path or URL, as it appears in messages. */
  name: string;
  base: string;
  remote: boolean;
}

function locate(base: string, name: string): ConfigLocation {
  if (isUrl(name)) return { name, base: name.slice(0, name.lastIndexOf('/')), remote: true };
  if (isUrl(base) && !isAbsolute(name)) {
    const url = new URL(name, `${base}/`).href;
    return { name: url, base: url.slice(0, url.lastIndexOf('/')), remote: true };
  }
  const path = resolve(base, name);
  return { name: path, base: dirname(path), remote: false };
}

/**
 * zc.buildout's `_open`: the layers one file contributes, in order: what it
 * extends (recursively, each base's own layers first), then itself. A base
 * reached twice (diamond) is applied twice.
 */
export async function openConfig(
  base: string,
  name: string,
  context: OpenContext,
  chain: readonly string[] = [],
  namedAt?: SourceLocation,
): Promise<Layer[]> {
  const location = locate(base, name);
  if (chain.includes(location.name)) {
    throw new BuildoutError(ErrorCodes.EXTENDS_CYCLE, `extends cycle: ${[...chain, location.name].join(' -> ')}`, {
      location: namedAt,
      hint: 'remove one of these extends so that no file extends itself through the others',
    });
  }
  const text = await readConfig(location, context.download, namedAt, context.filesRead);
  const parsed = parseConfigText(text, location.name, {
    evaluateCondition: (expression, at) => evaluateCondition(expression, at, context.conditionNames),
  });
  let layer = layerFromParsed(parsed);
  const buildout = layer.get('buildout');
  const extendsValue = takeOption(buildout, 'extends');
  const optionalExtends = takeOption(buildout, 'optional-extends');
  if (chain.length === 0) context.onMainFileParsed?.(layer, location.name);

  const layers: Layer[] = [];
  const nextChain = [...chain, location.name];
  if (extendsValue) {
    for (const extended of words(extendsValue.value)) {
      layers.push(...(await openConfig(location.base, extended, context, nextChain, locationOf(extendsValue))));
    }
  } else if (context.userDefaults) {
    layer = mergeLayers(context.userDefaults, layer);
    context.userDefaults = undefined;
  }
  if (optionalExtends) {
    for (const extended of words(optionalExtends.value)) {
      const target = locate(location.base, extended);
      if (!target.remote && !(await exists(target.name))) continue;
      layers.push(...(await openConfig(location.base, extended, context, nextChain, locationOf(optionalExtends))));
    }
  }
  layers.push(layer);
  return layers;
}

/** Opens a file and merges its layers into one. */
export async function loadConfigFile(base: string, name: string, context: OpenContext): Promise<Layer> {
  return mergeAll(await openConfig(base, name, context));
}

function takeOption(section: { plain: Map<string, Value> } | undefined, name: string): Value | undefined {
  const value = section?.plain.get(name);
  if (value) section!.plain.delete(name);
  return value;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readConfig(
  location: ConfigLocation,
  download: DownloadSettings,
  namedAt: SourceLocation | undefined,
  filesRead?: string[],
): Promise<string> {
  if (!location.remote) {
    const text = await readTextFile(location.name, 'configuration file', namedAt);
    filesRead?.push(location.name);
    return text;
  }
  if (location.name.startsWith('file://')) return readConfig(localFileOf(location, namedAt), download, namedAt, filesRead);
  return downloadConfig(location.name, download, namedAt);
}

/** A `file://` URL as a local path; `file://otherhost/...` names a file on another machine, which cannot be read. */
function localFileOf(location: ConfigLocation, namedAt: SourceLocation | undefined): ConfigLocation {
  checkPathText(location.name, 'configuration file', namedAt);
  let path: string;
  try {
    path = fileURLToPath(location.name);
  } catch (error) {
    throw new BuildoutError(ErrorCodes.BAD_PATH, `cannot read ${location.name}: ${(error as Error).message}`, {
      location: namedAt,
      hint: 'write file:///absolute/path (three slashes) or a plain path; only files on this machine can be read',
      cause: error,
    });
  }
  return { ...location, name: path, remote: false };
}

async function downloadConfig(url: string, download: DownloadSettings, namedAt: SourceLocation | undefined): Promise<string> {
  if (!/^https?:\/\//i.test(url)) {
    throw new BuildoutError(ErrorCodes.DOWNLOAD_FAILED, `cannot download ${url}: only http, https and file URLs are supported`, {
      location: namedAt,
    });
  }
  const cached = download.extendsCache ? join(download.extendsCache, crypto().createHash('md5').update(url).digest('hex')) : undefined;
  const fromCache = cached ? await readFile(cached, 'utf8').catch(() => undefined) : undefined;
  if (download.offline) {
    if (fromCache !== undefined) return fromCache;
    throw new BuildoutError(
      ErrorCodes.OFFLINE_NOT_CACHED,
      `cannot download ${url} in offline mode${cached ? ' and it is not in the extends-cache' : ''}`,
      {
        location: namedAt,
        hint: cached
          ? 'run once without -o (and buildout:offline=false) to fill the extends-cache'
          : 'set [buildout] extends-cache = <folder> and run once online, or run without -o',
      },
    );
  }
  try {
    const response = await download.fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
    const text = await response.text();
    if (cached) await storeInCache(cached, text);
    return text;
  } catch (error) {
    if (fromCache !== undefined) return fromCache; // zc.buildout falls back to the cached copy
    throw new BuildoutError(
      ErrorCodes.DOWNLOAD_FAILED,
      `cannot download ${url}: ${error instanceof Error ? error.message : String(error)}`,
      {
        location: namedAt,
        hint: 'check the URL and the network, or set [buildout] extends-cache and download it once',
        cause: error,
      },
    );
  }
}

async function storeInCache(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // A configuration may hold passwords: only its owner reads the cached copy.
  await writeFileAtomic(path, text, { mode: 0o600 });
}
