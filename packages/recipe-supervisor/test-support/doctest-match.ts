/**
 * Matches text against expected output written the way the seed's doctests
 * are: `...` stands for any text (ELLIPSIS), `<BLANKLINE>` for an empty line,
 * trailing whitespace of lines does not count.
 */
export function matchesDoctest(actual: string, expected: string): boolean {
  const normalize = (text: string): string =>
    text
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trim();
  const pattern = normalize(expected.replaceAll('<BLANKLINE>', ''))
    .split('...')
    .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[\\s\\S]*?');
  return new RegExp(`^${pattern}$`).test(normalize(actual));
}
