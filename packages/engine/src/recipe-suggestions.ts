/** "Did you mean" for a recipe that is not found: among the offered recipe names, or the modules beside a missing local path. */
import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { closest } from '@buildout/config';

/** ` (did you mean 'acme.hello'?)`, or '' when no offered name is close. */
export function closestRecipe(spec: string, offered: readonly string[]): string {
  const suggestion = closest(spec, offered);
  return suggestion ? ` (did you mean '${suggestion}'?)` : '';
}

const MODULE = /\.(mjs|cjs|js|ts|mts)$/;

/** `./recipes/step.mjs` for a missing `./recipes/stpe.mjs`: the closest module file in the folder the path names. */
export function closestLocalRecipe(spec: string, file: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dirname(file)).filter((entry) => MODULE.test(entry));
  } catch {
    return undefined;
  }
  const suggestion = closest(basename(file), entries);
  if (!suggestion) return undefined;
  const folder = spec.slice(0, spec.length - basename(spec).length);
  return `${folder}${suggestion}`;
}
