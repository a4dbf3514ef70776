import { BuildoutError } from './errors.js';
import { tree } from '@buildout/testing';
export { tree };

/** The BuildoutError a promise or function rejects with. */
export async function failure(action: () => unknown): Promise<BuildoutError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof BuildoutError) return error;
    throw error;
  }
  throw new Error('expected a BuildoutError');
}
