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
