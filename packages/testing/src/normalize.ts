/**
 * Output made comparable with text written in a test: the buildout folder
 * becomes `/sample-buildout` (zc.buildout.testing's name for it), durations
 * become `TIME`, colours and carriage returns go.
 */
import { realpathSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const DURATION = /\b\d+(?:\.\d+)? (?:ms|s)\b/g;

export const SAMPLE_BUILDOUT = '/sample-buildout';

export function normalize(text: string, folders: Readonly<Record<string, string>> = {}): string {
  let result = stripVTControlCharacters(text).replace(/\r\n?/g, '\n');
  // Longest first, so that a folder inside another is replaced by its own name.
  const replacements = Object.entries(folders).flatMap(([folder, name]) => variants(folder).map((variant) => [variant, name] as const));
  replacements.sort(([a], [b]) => b.length - a.length);
  for (const [folder, name] of replacements) result = result.split(folder).join(name);
  return result.replace(DURATION, 'TIME');
}

function variants(folder: string): string[] {
  try {
    const real = realpathSync(folder);
    return real === folder ? [folder] : [folder, real];
  } catch {
    return [folder];
  }
}
