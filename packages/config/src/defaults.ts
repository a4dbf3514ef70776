import { emptySection, newValue, type Layer } from './layers.js';

/** zc.buildout's built-in [buildout] defaults that this tool uses; `directory` is computed from the config file. */
export const BUILDOUT_DEFAULTS: Readonly<Record<string, string>> = {
  'bin-directory': 'bin',
  'parts-directory': 'parts',
  // Where recipe and extension packages are fetched to (zc.buildout's name for its folder of eggs).
  'eggs-directory': 'eggs',
  installed: '.installed.cfg',
  'log-level': 'INFO',
  offline: 'false',
  newest: 'true',
};

export function defaultsLayer(directory: string): Layer {
  const buildout = emptySection();
  buildout.plain.set('directory', newValue(directory, { kind: 'computed' }));
  for (const [name, value] of Object.entries(BUILDOUT_DEFAULTS)) buildout.plain.set(name, newValue(value, { kind: 'default' }));
  return new Map([['buildout', buildout]]);
}
