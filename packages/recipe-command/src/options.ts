/** Reading recipe options: whitespace-separated words, non-empty lines. */

export function words(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

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
