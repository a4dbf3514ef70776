/** Reading recipe options: non-empty lines, non-empty values. */

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
