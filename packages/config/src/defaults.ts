import { dirname, isAbsolute, sep } from 'node:path';
import { emptySection, type Layer, newValue, sourceOf, type Value } from './layers.js';

/** zc.buildout's built-in [buildout] defaults that this tool uses; `directory` is computed from the config file. */
export const BUILDOUT_DEFAULTS: Readonly<Record<string, string>> = {
  'bin-directory': 'bin',
  'parts-directory': 'parts',
  installed: '.installed.cfg',
  'log-level': 'INFO',
  offline: 'false',
  newest: 'true',
};

export function defaultsLayer(directory: string): Layer {
  const buildout = emptySection();
  buildout.plain.set('directory', newValue(directory, { kind: 'computed' }));
  for (const [name, value] of Object.entries(BUILDOUT_DEFAULTS)) buildout.plain.set(name, newValue(value, { kind: 'default' }));
  return new Map([['buildout', buildout]]);
}

/** Options of [buildout] whose relative value is made absolute against `directory` (os.path.join, as zc.buildout). */
const DIRECTORY_OPTIONS = new Set(['bin-directory', 'parts-directory', 'develop-eggs-directory', 'eggs-directory']);
/** Options of [buildout] made absolute against the folder of the file that set them. */
const CACHE_OPTIONS = new Set(['extends-cache', 'download-cache']);
/** [buildout] options whose value depends on `directory`. */
export const ABSOLUTIZED_OPTIONS: ReadonlySet<string> = new Set([...DIRECTORY_OPTIONS, 'installed', ...CACHE_OPTIONS]);

/**
 * A substituted [buildout] value with relative directories made absolute, as
 * zc.buildout makes them: `directory` against the config file's folder, the
 * others against `directory` (`buildoutDirectory` reads it), caches against
 * the folder of the file that set them.
 */
export function absolutize(option: string, text: string, value: Value, configFile: string, buildoutDirectory: () => string): string {
  if (option === 'directory') return isAbsolute(text) ? text : joinPath(dirname(configFile), text);
  if (DIRECTORY_OPTIONS.has(option)) return joinPath(buildoutDirectory(), text);
  if (option === 'installed') return text === '' ? text : joinPath(buildoutDirectory(), text);
  if (CACHE_OPTIONS.has(option) && text !== '') {
    const source = sourceOf(value);
    const base =
      source.kind === 'file' && !/^[a-z0-9+.-]+:\/\//i.test(source.location.file) ? dirname(source.location.file) : buildoutDirectory();
    return joinPath(base, text.startsWith('~/') ? `${process.env.HOME ?? ''}${text.slice(1)}` : text);
  }
  return text;
}

/** Python's os.path.join for two parts: an absolute second part wins; nothing is normalised. */
function joinPath(base: string, path: string): string {
  if (isAbsolute(path)) return path;
  return base.endsWith(sep) ? `${base}${path}` : `${base}${sep}${path}`;
}
