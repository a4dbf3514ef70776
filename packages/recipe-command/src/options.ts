/** Reading recipe options: non-empty lines, non-empty values, misspelt option names. */
import { closest } from '@buildout/engine';

export function lines(value: string | undefined): string[] {
  return (value ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** A non-empty option value, or undefined. */
export function optional(options: Readonly<Record<string, string>>, name: string): string | undefined {
  const value = options[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Options of a part that look like a misspelt known option (`comand`), each
 * with the option meant. Other unknown options are left alone: parts often
 * carry values for other parts to reference.
 */
export function misspeltOptions(
  options: Readonly<Record<string, string>>,
  known: readonly string[],
): Array<[given: string, meant: string]> {
  return Object.keys(options).flatMap((given): Array<[string, string]> => {
    if (known.includes(given) || given === 'recipe' || given.startsWith('<')) return [];
    const meant = closest(given, known);
    return meant === undefined ? [] : [[given, meant]];
  });
}
