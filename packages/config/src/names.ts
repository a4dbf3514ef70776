/**
 * zc.buildout's names, as a config line writes them: section names have no
 * whitespace nor `#[]:;{}`; option names no whitespace nor `{}[]=:`. A name
 * set by a recipe must also read back as itself from `.installed.cfg`, so it
 * cannot start a comment (`#`, `;`) nor end in an operator's `+`/`-`.
 * (The file's values are escaped as needed: see the engine's encodeValue.)
 */
import { BuildoutError, ErrorCodes } from './errors.js';

export const SECTION_NAME = /^[^\s#[\]:;{}]+$/;
export const WRITABLE_OPTION_NAME = /^(?![#;])[^\s{}[\]=:]*[^\s{}[\]=:+-]$/;

// Half of a UTF-16 pair alone: UTF-8 cannot hold it, so a written value would read back changed.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * For what a recipe sets (`part.options[name] = ...`, `defineSection`): an
 * error unless .installed.cfg could record it and read it back unchanged.
 */
export function checkRecordable(section: string, options: Readonly<Record<string, string>>): void {
  if (!SECTION_NAME.test(section)) {
    throw new BuildoutError(ErrorCodes.BAD_ASSIGNMENT, `invalid section name '${section}'`, {
      hint: 'a section name cannot be empty nor contain whitespace or any of # [ ] : ; { }',
    });
  }
  for (const [option, value] of Object.entries(options)) {
    if (!WRITABLE_OPTION_NAME.test(option)) {
      throw new BuildoutError(
        ErrorCodes.BAD_ASSIGNMENT,
        `invalid option name '${option}' in [${section}]: .installed.cfg could not record it`,
        {
          hint: 'an option name cannot be empty, contain whitespace or any of { } [ ] = :, start with # or ;, or end with + or -',
        },
      );
    }
    const surrogate = LONE_SURROGATE.exec(value);
    if (surrogate) {
      throw new BuildoutError(ErrorCodes.BAD_ASSIGNMENT, `the value of option ${option} in [${section}] is not valid Unicode text`, {
        hint: `it holds half of a UTF-16 surrogate pair (at index ${surrogate.index}), which no file can store`,
      });
    }
  }
}
