/** The configuration as the planner sees it (plan.ts's `SectionGraph`), and the check of parts named on the command line. */
import { BuildoutError, PART_DEPENDENCIES, words, type Buildout } from '@buildout/config';
import { EngineErrorCodes } from './errors.js';
import { closestPart, didYouMean, type SectionGraph } from './plan.js';

/** The configuration as the planner sees it; `hasRecipe` is cached until `forget` (meta-recipes add sections). */
export function sectionGraph(buildout: Buildout): SectionGraph & { forget(): void } {
  const recipes = new Map<string, boolean>();
  return {
    hasSection: (section) => buildout.hasSection(section),
    hasRecipe(section) {
      let has = recipes.get(section);
      if (has === undefined) {
        has = buildout.hasSection(section) && (buildout.getOptional(section, 'recipe') ?? '').trim() !== '';
        recipes.set(section, has);
      }
      return has;
    },
    optionNames: (section) => buildout.optionNames(section),
    references: (section) => buildout.references(section),
    partDependencies: (section) => words(buildout.getOptional(section, PART_DEPENDENCIES)),
    location: (section, option) => buildout.location(section, option),
    sectionNames: () => buildout.sectionNames(),
    forget: () => recipes.clear(),
  };
}

export function checkNamedPart(graph: SectionGraph, part: string): void {
  if (!graph.hasSection(part)) {
    throw new BuildoutError(EngineErrorCodes.PART_NOT_FOUND, `cannot install '${part}': there is no section [${part}]`, {
      part,
      hint: didYouMean(closestPart(graph, part), 'name parts of this buildout (see buildout:parts), or define the section'),
    });
  }
  if (!graph.hasRecipe(part)) {
    throw new BuildoutError(
      EngineErrorCodes.PART_NOT_FOUND,
      `cannot install '${part}': section [${part}] has no recipe, so it is not a part`,
      {
        location: graph.location(part),
        part,
      },
    );
  }
}
