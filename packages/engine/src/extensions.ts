/**
 * `[buildout] extensions = ./ext.mjs some-package`: zc.buildout's extensions,
 * here engine plugins. A local module (relative to the buildout directory) or
 * an installed package (its package.json `"buildout": { "extension": "./x.js" }`,
 * else its main entry) whose default export is a plugin: `{ apply(engine) }`
 * or a function taking the engine.
 */
import { BuildoutError, words, type Buildout } from '@buildout/config';
import { asBuildoutError, EngineErrorCodes } from './errors.js';
import { findPackage, importFile, isLocalSpec, packageEntry, resolveLocal } from './modules.js';
import { join } from 'node:path';

/** What extensions are applied to: the engine (taken by its shape, so that this module does not import it). */
export interface ExtensionHost<Plugin> {
  readonly buildout: Buildout;
  readonly directory: string;
  use(plugin: Plugin): Promise<void>;
}

export async function loadExtensions<Plugin>(engine: ExtensionHost<Plugin>): Promise<void> {
  const { buildout } = engine;
  const specs = words(buildout.getOptional('buildout', 'extensions'));
  const location = buildout.location('buildout', 'extensions');
  for (const spec of specs) {
    let file: string;
    if (isLocalSpec(spec)) file = resolveLocal(engine.directory, spec);
    else {
      const installed = findPackage(spec, engine.directory);
      if (!installed) {
        throw new BuildoutError(
          EngineErrorCodes.EXTENSION_FAILED,
          `extension package '${spec}' is not installed (looked in node_modules from ${engine.directory} upwards)`,
          {
            location,
            hint: `install it (npm install ${spec}) or name a local module: extensions = ./extension.mjs`,
          },
        );
      }
      const declared = installed.json.buildout?.extension;
      file = declared ? join(installed.directory, declared) : packageEntry(installed);
    }
    let module: Record<string, unknown>;
    try {
      module = await importFile(file);
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
