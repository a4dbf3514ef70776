/**
 * Builds the configuration from its layers, lowest first: built-in defaults,
 * user defaults, the config file and everything it extends, files named by a
 * command-line `buildout:extends=`, command-line assignments.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { assignmentLayer, parseAssignment } from './assignments.js';
import { ResolvedBuildout } from './buildout.js';
import { platformNames } from './condition.js';
import { defaultsLayer } from './defaults.js';
import { discoverConfigFile } from './discover.js';
import { BuildoutError, ErrorCodes } from './errors.js';
import { locationOf, mergeLayers, type Layer, type Value } from './layers.js';
import { badBoolean } from './value-errors.js';
import { isUrl, loadConfigFile, type DownloadSettings, type OpenContext } from './sources.js';
import { words } from './text.js';
import type { Buildout, LoadOptions } from './types.js';

export async function loadBuildout(options: LoadOptions = {}): Promise<Buildout> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const assignments = (options.assignments ?? []).map(parseAssignment);
  const isExtends = (a: { section: string; option: string; operator: string }): boolean =>
    a.section === 'buildout' && a.option === 'extends' && a.operator === '=';
  const commandLineExtends = assignments.filter(isExtends).at(-1);
  const commandLine = assignmentLayer(assignments.filter((a) => !isExtends(a)));

  const configFile =
    options.configFile === undefined
      ? await discoverConfigFile(cwd)
      : isUrl(options.configFile)
        ? options.configFile
        : resolve(cwd, options.configFile);
  // zc.buildout has no directory for a remote config: the current folder stands in.
  const directory = isUrl(configFile) ? cwd : dirname(configFile);
  const defaults = defaultsLayer(directory);

  const baseSettings = (layers: Layer[]): DownloadSettings =>
    downloadSettings([defaults, ...layers], commandLine, cwd, options.fetch ?? fetch);
  const context: OpenContext = {
    download: baseSettings([]),
    conditionNames: platformNames(env),
    userDefaults: undefined,
    filesRead: [],
  };

  if (options.userDefaults !== false) {
    const file = userDefaultsFile(env);
    if (existsSync(file)) {
      context.onMainFileParsed = (layer) => (context.download = baseSettings([layer]));
      context.userDefaults = await loadConfigFile(dirname(file), file, context);
    }
  }
  const userLayers = context.userDefaults ? [context.userDefaults] : [];
  context.onMainFileParsed = (layer) => (context.download = baseSettings([...userLayers, layer]));

  let data = mergeLayers(defaults, await loadConfigFile(directory, configFile, context));
  if (commandLineExtends) {
    for (const file of words(commandLineExtends.value)) {
      context.userDefaults = undefined; // user defaults are a layer of their own, applied once
      data = mergeLayers(data, await loadConfigFile(cwd, file, context));
    }
  }
  data = mergeLayers(data, commandLine);

  const buildout = new ResolvedBuildout(data, configFile, directory, [...new Set(context.filesRead)]);
  options.onMerged?.(buildout);
  // zc.buildout substitutes [buildout] when it starts, so a broken value there fails every
  // command; and it checks these two booleans: a typo should not wait for a recipe to read them.
  buildout.resolveSection('buildout');
  buildout.getBoolean('buildout', 'offline', false);
  buildout.getBoolean('buildout', 'newest', true);
  return buildout;
}

function userDefaultsFile(env: Readonly<Record<string, string | undefined>>): string {
  if (env.BUILDOUT_HOME) return join(env.BUILDOUT_HOME, 'default.cfg');
  return join(env.HOME || homedir(), '.buildout', 'default.cfg');
}

/**
 * zc.buildout's download options for a file's extends: defaults, user
 * defaults and the file's own [buildout], with the command line on top.
 */
function downloadSettings(layers: Layer[], commandLine: Layer, cwd: string, fetchImpl: typeof fetch): DownloadSettings {
  const pick = (option: string): Value | undefined => {
    let found: Value | undefined;
    for (const layer of [...layers, commandLine]) found = layer.get('buildout')?.plain.get(option) ?? found;
    return found;
  };
  const offline = pick('offline');
  if (offline && offline.value !== 'true' && offline.value !== 'false') {
    throw badBoolean('buildout', 'offline', offline.value, locationOf(offline));
  }
  const cache = pick('extends-cache');
  let extendsCache: string | undefined;
  if (cache && cache.value !== '') {
    if (cache.value.includes('${')) {
      throw new BuildoutError(ErrorCodes.BAD_REFERENCE, `extends-cache '${cache.value}' may not contain \${section:option} references`, {
        location: locationOf(cache),
        hint: 'extends are read before substitution; write the folder literally',
      });
    }
    const where = locationOf(cache);
    const base = where && !isUrl(where.file) ? dirname(where.file) : cwd;
    const path = cache.value.startsWith('~/') ? join(homedir(), cache.value.slice(2)) : cache.value;
    extendsCache = isAbsolute(path) ? path : resolve(base, path);
  }
  return { offline: offline?.value === 'true', extendsCache, fetch: fetchImpl };
}
