/**
 * `[buildout] extensions = ./ext.mjs some-package`: zc.buildout's extensions,
 * here engine plugins. A local module (relative to the buildout directory) or
 * an installed package (its package.json `"buildout": { "extension": "./x.js" }`,
 * else its main entry) whose default export is a plugin: `{ apply(engine) }`
 * or a function taking the engine.
 */
import { BuildoutError, ErrorCodes, isBuildoutError } from '@buildout/config';
import type { Engine, EnginePlugin } from './engine.js';
import { findPackage, importFile, isLocalSpec, packageEntry, resolveLocal } from './modules.js';
import { join } from 'node:path';

export async function loadExtensions(engine: Engine): Promise<void> {
  const { buildout } = engine;
  const specs = (buildout.getOptional('buildout', 'extensions') ?? '').split(/\s+/).filter(Boolean);
  const location = buildout.location('buildout', 'extensions');
  for (const spec of specs) {
    let file: string;
    if (isLocalSpec(spec)) file = resolveLocal(engine.directory, spec);
    else {
      const installed = findPackage(spec, engine.directory);
      if (!installed) {
        throw new BuildoutError(
          ErrorCodes.EXTENSION_FAILED,
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
