/** Errors of values: what a value is, how it may grow and what it refers to. */
import { BuildoutError, ErrorCodes, type SourceLocation } from './errors.js';

/** The longest a value may grow by substitution: doubling references (`${:a}${:a}`) grow exponentially. */
export const MAX_VALUE_LENGTH = 16 * 1024 * 1024;
/** A reference cycle longer than this is shown by its ends. */
const CYCLE_SHOWN = 20;

/** zc.buildout's booleans are exactly `true` or `false`. */
export function badBoolean(section: string, option: string, text: string, location: SourceLocation | undefined): BuildoutError {
  return new BuildoutError(
    ErrorCodes.BAD_BOOLEAN,
    `invalid value for ${section}:${option}: '${text.replaceAll('\n', '\\n')}' (must be true or false)`,
    {
      location,
      hint: `write ${option} = true or ${option} = false`,
    },
  );
}

/** `repeated` (`section:option`) was reached again while substituting the values of `stack`. */
export function circularReference(stack: readonly string[], repeated: string, location: SourceLocation | undefined): BuildoutError {
  let chain = [...stack.slice(stack.indexOf(repeated)), repeated];
  if (chain.length > CYCLE_SHOWN) {
    const half = CYCLE_SHOWN / 2;
    chain = [...chain.slice(0, half), `... (${chain.length - CYCLE_SHOWN} more)`, ...chain.slice(-half)];
  }
  return new BuildoutError(ErrorCodes.CIRCULAR_REFERENCE, `circular reference in substitutions: ${chain.join(' -> ')}`, {
    location,
    hint: 'one of these options must not refer back to the others',
  });
}

export function valueTooLarge(section: string, option: string, location: SourceLocation | undefined): BuildoutError {
  return new BuildoutError(
    ErrorCodes.VALUE_TOO_LARGE,
    `${section}:${option} grows past ${MAX_VALUE_LENGTH / 1024 / 1024} MiB when its references are substituted (the limit for one value)`,
    {
      location,
      hint: 'references that repeat a value (such as ${:a}${:a}) double it each time; refer to what you need once',
    },
  );
}
