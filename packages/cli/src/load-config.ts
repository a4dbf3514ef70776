import { loadBuildout, type Buildout } from '@buildout/config';
import type { CommandContext } from './command.js';

/** The configuration as the global options (-c, -U, assignments) describe it. */
export async function loadConfig(context: CommandContext): Promise<Buildout> {
  const buildout = await loadBuildout({
    configFile: context.global.configFile,
    cwd: context.cwd,
    userDefaults: context.global.userDefaults,
    assignments: context.global.assignments,
    env: context.env,
  });
  // Secret values are known from here on: what is printed, errors included, has them masked.
  if (context.redactor.enabled) context.redactor.collect(buildout);
  return buildout;
}
