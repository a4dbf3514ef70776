import { BuildoutError, ErrorCodes } from './errors.js';
import type { Buildout, LoadOptions } from './types.js';

/** Reads the configuration (defaults, user defaults, files, command line) into a lazily resolved Buildout. */
export async function loadBuildout(_options: LoadOptions = {}): Promise<Buildout> {
  throw new BuildoutError(ErrorCodes.CONFIG_NOT_FOUND, 'loader not implemented yet');
}
