import { isBuildoutError, type BuildoutError } from '@buildout/config';

/** The BuildoutError `action` throws or rejects with; anything else, or no error at all, fails the test. */
export async function failure(action: () => unknown): Promise<BuildoutError> {
  let thrown: unknown;
  try {
    await action();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected a BuildoutError, but nothing was thrown');
  if (!isBuildoutError(thrown)) throw thrown;
  return thrown;
}
