/**
 * `[buildout] extensions = ./ext.mjs some-package`: zc.buildout's extensions,
 * here engine plugins. A local module (relative to the buildout directory) or
 * a package (its package.json `"buildout": { "extension": "./x.js" }`,
 * else its main entry) whose default export is a plugin: `{ apply(engine) }`
 * or a function taking the engine. Packages are looked up as recipe packages
 * are: develop packages, then installed ones matching their `[versions]` pin,
 * then the eggs folder (fetched when missing).
 */
import { BuildoutError, isBuildoutError, words, type Buildout, type SourceLocation } from '@buildout/config';
import { asBuildoutError, EngineErrorCodes } from './errors.js';
import { findPackage, importFile, isLocalSpec, packageEntry, resolveLocal, type InstalledPackage } from './modules.js';
import { isPackageName, type RecipePackages } from './recipe-packages.js';
import { join } from 'node:path';

/** What extensions are applied to: the engine (taken by its shape, so that this module does not import it). */
export interface ExtensionHost<Plugin> {
  readonly buildout: Buildout;
  readonly directory: string;
  /** Where packages come from: develop folders, pins, the eggs folder. */
  readonly packages: RecipePackages;
  use(plugin: Plugin): Promise<void>;
}

export async function loadExtensions<Plugin>(engine: ExtensionHost<Plugin>): Promise<void> {
  const { buildout } = engine;
  const specs = words(buildout.getOptional('buildout', 'extensions'));
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
      throw asBuildoutError(error, {
        code: EngineErrorCodes.EXTENSION_FAILED,
        doing: `extension ${spec} cannot be loaded`,
        location,
        hint: `fix ${file}`,
      });
    }
    const plugin = module.default as { apply?: unknown } | undefined;
    if (typeof plugin !== 'function' && (typeof plugin !== 'object' || plugin === null || typeof plugin.apply !== 'function')) {
      throw new BuildoutError(EngineErrorCodes.EXTENSION_FAILED, `extension ${spec} (${file}) does not export a plugin`, {
        location,
        hint: 'export default { apply(engine) { engine.hooks...tapPromise(...) } } (or a function taking the engine)',
      });
    }
    try {
      await engine.use(plugin as Plugin);
    } catch (error) {
      throw asBuildoutError(error, { code: EngineErrorCodes.EXTENSION_FAILED, doing: `extension ${spec} failed while applying`, location });
    }
  }
}

async function findExtensionPackage<Plugin>(
  engine: ExtensionHost<Plugin>,
  spec: string,
  location: SourceLocation | undefined,
): Promise<InstalledPackage> {
  const developed = engine.packages.develop().find((used) => used.installed.json.name === spec);
  if (developed) return developed.installed;
  const installed = findPackage(spec, engine.directory);
  if (installed && engine.packages.accepts(installed)) return installed;
  if (!isPackageName(spec)) {
    throw new BuildoutError(EngineErrorCodes.EXTENSION_FAILED, `extension '${spec}' is neither a local module nor a package name`, {
      location,
      hint: 'name a local module (extensions = ./extension.mjs) or an npm package',
    });
  }
  try {
    return (await engine.packages.egg(spec)).installed;
  } catch (error) {
    if (!isBuildoutError(error) || error.code === EngineErrorCodes.INTERRUPTED) throw error;
    // Said of the extension, at the extensions line; an error of a setting (a pin, the eggs folder) stays where that is set.
    const ofSetting = error.code === EngineErrorCodes.PACKAGE_VERSION_NOT_FOUND || error.code === EngineErrorCodes.PACKAGE_BAD_SETTING;
    throw new BuildoutError(error.code, `extension '${spec}': ${error.message}`, {
      location: (ofSetting ? error.location : undefined) ?? location,
      hint: error.hint,
      cause: error.cause,
    });
  }
}
