import { isBuildoutError } from '@buildout/engine';

export interface CaughtError {
  code: string;
  message: string;
  hint: string | undefined;
}

function caught(error: unknown): CaughtError {
  if (isBuildoutError(error)) return { code: error.code, message: error.message, hint: error.hint };
  throw error;
}

/** The BuildoutError `action` throws (anything else, or nothing, fails the test). */
export function errorOf(action: () => unknown): CaughtError {
  try {
    action();
  } catch (error) {
    return caught(error);
  }
  throw new Error('expected a BuildoutError');
}

/** The BuildoutError `action` rejects with. */
export async function failure(action: Promise<unknown>): Promise<CaughtError> {
  try {
    await action;
  } catch (error) {
    return caught(error);
  }
  throw new Error('expected a BuildoutError');
}
