import { loadBuildout, type Buildout } from '@buildout/config';
import type { CommandContext } from './command.js';

/** The configuration as the global options (-c, -U, assignments) describe it. */
export function loadConfig(context: CommandContext): Promise<Buildout> {
  return loadBuildout({
    configFile: context.global.configFile,
    cwd: context.cwd,
    userDefaults: context.global.userDefaults,
    assignments: context.global.assignments,
    env: context.env,
  });
}

/**
 * The configuration, with the parts meta-recipes define when one of
 * `sections` is not in the files (e.g. a part the `workspace` recipe makes):
 * every part's init runs then, as `install` would run it.
 */
export async function loadConfigWith(context: CommandContext, sections: Iterable<string>): Promise<Buildout> {
  const buildout = await loadConfig(context);
  if ([...sections].every((section) => buildout.hasSection(section))) return buildout;
  // The engine is loaded only here, so annotate and query of plain sections stay fast.
  const [{ createEngine }, { bundledRecipePackages }] = await Promise.all([import('@buildout/engine'), import('./bundled-recipes.js')]);
  try {
    await createEngine({ buildout, bundledRecipePackages }).runInits();
  } catch {
    // A recipe that cannot be loaded or initialized defines nothing: the caller reports the section as missing.
  }
  return buildout;
}
