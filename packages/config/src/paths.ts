import { isAbsolute, relative, sep } from 'node:path';

/**
 * `path` as people read it from `base`: relative (with `/`) when it is inside
 * `base`, else as given (outside, the same folder, or not a file path).
 */
export function relativeIfInside(base: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const inner = relative(base, path);
  if (inner === '' || inner.startsWith('..') || isAbsolute(inner)) return path;
  return sep === '/' ? inner : inner.split(sep).join('/');
}
