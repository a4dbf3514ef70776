/**
 * A recipe's error about one of its options (`BuildoutError.option`) gets the
 * place the option was written: the engine knows the sources, the recipe
 * only the value.
 */
import { BuildoutError, type Buildout } from '@buildout/config';

export function locateOption(error: BuildoutError, buildout: Buildout): BuildoutError {
  if (error.location !== undefined || error.option === undefined || error.part === undefined) return error;
  if (!buildout.hasSection(error.part)) return error;
  const location = buildout.location(error.part, error.option);
  if (location === undefined) return error;
  return new BuildoutError(error.code, error.message, {
    location,
    hint: error.hint,
    part: error.part,
    option: error.option,
    cause: error.cause,
  });
}
