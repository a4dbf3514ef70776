import { dirname, relative } from 'node:path';
import { closest, formatLocation, loadBuildout, parseAssignment, type Buildout, commandLineLocation } from '@buildout/config';
import type { CommandContext } from './command.js';

/** The configuration as the global options (-c, -U, assignments) describe it. */
export async function loadConfig(context: CommandContext): Promise<Buildout> {
  const buildout = await loadBuildout({
    configFile: context.global.configFile,
    cwd: context.cwd,
    userDefaults: context.global.userDefaults,
    assignments: context.global.assignments,
    env: context.env,
    // Secret values are known from here on: what is printed, errors included ([buildout]'s checks), has them masked.
    onMerged: (merged) => {
      if (context.redactor.enabled) context.redactor.collect(merged);
    },
  });
  if (context.global.verbosity > 0) context.stderr.write(`buildout: ${describeConfigChoice(buildout.configFile, context)}\n`);
  if (context.global.verbosity > -2) {
    for (const warning of assignmentWarnings(buildout, context.global.assignments)) context.stderr.write(`buildout: warning: ${warning}\n`);
  }
  return buildout;
}

/** Which configuration file is used, and why: `-v` says it, since a buildout.cfg of a parent folder may be the one found. */
function describeConfigChoice(configFile: string, context: CommandContext): string {
  if (context.global.configFile !== undefined) return `using ${configFile} (-c ${context.global.configFile})`;
  const folder = dirname(configFile);
  if (folder === context.cwd) return `using ${configFile} (buildout.cfg of the current folder)`;
  return `using ${configFile} (no buildout.cfg in ${context.cwd}; found ${relative(context.cwd, folder)}/buildout.cfg above it)`;
}

/**
 * Assignments to a section no file defines (`supervisr:port=9999`): zc.buildout
 * silently makes a new section of it, which is rarely what was meant.
 */
function assignmentWarnings(buildout: Buildout, assignments: readonly string[]): string[] {
  const warnings: string[] = [];
  let fromFiles: string[] | undefined;
  for (const text of assignments) {
    const { section } = parseAssignment(text);
    if (section === 'buildout' || (buildout.hasSection(section) && definedInFiles(buildout, section))) continue;
    // Only for a suggestion: every section's history is looked at once, when one assignment makes a new section.
    fromFiles ??= buildout.sectionNames().filter((name) => definedInFiles(buildout, name));
    const meant = closest(section, fromFiles);
    warnings.push(
      `${formatLocation(commandLineLocation(text))}: no configuration file has a section [${section}]; the assignment makes a new one${meant ? ` (did you mean [${meant}]?)` : ''}`,
    );
  }
  return warnings;
}

function definedInFiles(buildout: Buildout, section: string): boolean {
  return buildout
    .optionNames(section)
    .some((option) => buildout.history(section, option).some((entry) => entry.source.kind !== 'command-line'));
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
