/**
 * `[buildout] extensions = ./ext.mjs some-package`: zc.buildout's extensions,
 * here engine plugins. A local module (relative to the buildout directory) or
 * a package (its package.json `"buildout": { "extension": "./x.js" }`,
 * else its main entry) whose default export is a plugin: `{ apply(engine) }`
 * or a function taking the engine. Packages are looked up as recipe packages
 * are: develop packages, then installed ones matching their `[versions]` pin,
 * then the eggs folder (fetched when missing).
 */
import { BuildoutError, ErrorCodes, isBuildoutError, type SourceLocation } from '@buildout/config';
import type { Engine, EnginePlugin } from './engine.js';
import { findPackage, importFile, isLocalSpec, packageEntry, resolveLocal, type InstalledPackage } from './modules.js';
import { isPackageName } from './recipe-packages.js';
import { join } from 'node:path';

export async function loadExtensions(engine: Engine): Promise<void> {
  const { buildout } = engine;
  const specs = (buildout.getOptional('buildout', 'extensions') ?? '').split(/\s+/).filter(Boolean);
  const location = buildout.location('buildout', 'extensions');
  for (const spec of specs) {
    let file: string;
    let from: InstalledPackage | undefined;
    if (isLocalSpec(spec)) file = resolveLocal(engine.directory, spec);
    else {
      from = await findExtensionPackage(engine, spec, location);
      const declared = from.json.buildout?.extension;
      file = declared ? join(from.directory, declared) : packageEntry(from);
    }
    let module: Record<string, unknown>;
    try {
      module = await importFile(file, undefined, from);
    } catch (error) {
      throw new BuildoutError(
        ErrorCodes.EXTENSION_FAILED,
        `extension ${spec} cannot be loaded: ${(error as Error).message ?? String(error)}`,
        {
          location,
          hint: `fix ${file}`,
          cause: error,
        },
      );
    }
    const plugin = module.default as EnginePlugin | undefined;
    if (typeof plugin !== 'function' && (typeof plugin !== 'object' || plugin === null || typeof plugin.apply !== 'function')) {
      throw new BuildoutError(ErrorCodes.EXTENSION_FAILED, `extension ${spec} (${file}) does not export a plugin`, {
        location,
        hint: 'export default { apply(engine) { engine.hooks...tapPromise(...) } } (or a function taking the engine)',
      });
    }
    try {
      await engine.use(plugin);
    } catch (error) {
      if (isBuildoutError(error)) throw error;
      throw new BuildoutError(
        ErrorCodes.EXTENSION_FAILED,
        `extension ${spec} failed while applying: ${(error as Error).message ?? String(error)}`,
        {
          location,
          cause: error,
        },
      );
    }
  }
}

async function findExtensionPackage(engine: Engine, spec: string, location: SourceLocation | undefined): Promise<InstalledPackage> {
  const developed = engine.packages.develop().find((used) => used.installed.json.name === spec);
  if (developed) return developed.installed;
  const installed = findPackage(spec, engine.directory);
  if (installed && engine.packages.accepts(installed)) return installed;
  if (!isPackageName(spec)) {
    throw new BuildoutError(ErrorCodes.EXTENSION_FAILED, `extension '${spec}' is neither a local module nor a package name`, {
      location,
      hint: 'name a local module (extensions = ./extension.mjs) or an npm package',
    });
  }
  try {
    return (await engine.packages.egg(spec)).installed;
  } catch (error) {
    throw isBuildoutError(error) && error.location === undefined
      ? new BuildoutError(error.code, error.message, { location, hint: error.hint, cause: error.cause })
      : error;
  }
}
