/**
 * zc.buildout's names, as a config line writes them: section names have no
 * whitespace nor `#[]:;{}`; option names no whitespace nor `{}[]=:`. A name
 * set by a recipe must also read back as itself from `.installed.cfg`, so it
 * cannot start a comment (`#`, `;`) nor end in an operator's `+`/`-`.
 */
import { BuildoutError, ErrorCodes } from './errors.js';

export const SECTION_NAME = /^[^\s#[\]:;{}]+$/;
export const WRITABLE_OPTION_NAME = /^(?![#;])[^\s{}[\]=:]*[^\s{}[\]=:+-]$/;

/** For names a recipe gives (`part.options[name] = ...`, `defineSection`): an error unless a config file could hold them. */
export function checkWritableNames(section: string, options: Iterable<string>): void {
  if (!SECTION_NAME.test(section)) {
    throw new BuildoutError(ErrorCodes.BAD_ASSIGNMENT, `invalid section name '${section}'`, {
      hint: 'a section name cannot be empty nor contain whitespace or any of # [ ] : ; { }',
    });
  }
  for (const option of options) {
    if (WRITABLE_OPTION_NAME.test(option)) continue;
    throw new BuildoutError(
      ErrorCodes.BAD_ASSIGNMENT,
      `invalid option name '${option}' in [${section}]: .installed.cfg could not record it`,
      {
        hint: 'an option name cannot be empty, contain whitespace or any of { } [ ] = :, start with # or ;, or end with + or -',
      },
    );
  }
}
