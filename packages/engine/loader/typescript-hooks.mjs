/**
 * Node module hooks (registered with `module.register` only when a buildout
 * uses a TypeScript recipe or extension, or a recipe package that would
 * otherwise import another copy of the engine than the running one: every
 * `@buildout/engine` import gets the running engine). Node 20 cannot import `.ts`, so
 * `.ts`/`.mts` files are transpiled with sucrase, which is loaded only when
 * a file is not in the cache yet. The cache is keyed by the content hash of
 * the source, so an edited recipe is transpiled again and an unchanged one never is.
 * Plain JavaScript; it runs in Node's loader thread, outside the TypeScript build.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bump when the transform options change, so cached output made with the old ones is not used.
const TRANSFORM_VERSION = 'sucrase-3-typescript-1';
const TYPESCRIPT_FILE = /\.m?ts$/;

let cacheDirectory = '';
let engineUrl = '';

export function initialize(data) {
  cacheDirectory = data.cacheDirectory ?? '';
  engineUrl = data.engineUrl;
}

function isTypeScript(url) {
  return url?.startsWith('file:') && TYPESCRIPT_FILE.test(new URL(url).pathname);
}

export async function resolve(specifier, context, nextResolve) {
  // A recipe written against the engine gets the engine that runs it, whatever copy it has of its own: one engine.
  if (specifier === '@buildout/engine') return { url: engineUrl, shortCircuit: true };
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!isTypeScript(context.parentURL)) throw error;
    // TypeScript sources name their siblings by the compiled name: './util.js' is './util.ts'.
    if (/^\.{1,2}\//.test(specifier) && /\.m?js$/.test(specifier)) {
      return nextResolve(specifier.replace(/js$/, 'ts'), context);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!isTypeScript(url)) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256').update(TRANSFORM_VERSION).update('\0').update(source).digest('hex');
  // No cache folder (none is private enough): transpiled every time.
  const cached = cacheDirectory ? join(cacheDirectory, `${key}.js`) : undefined;
  let code = cached && readIfPresent(cached);
  if (code === undefined) {
    const { transform } = await import('sucrase');
    code = transform(source, { transforms: ['typescript'], filePath: file, disableESTransforms: true }).code;
    if (cached) {
      mkdirSync(cacheDirectory, { recursive: true });
      const temporary = `${cached}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, cached);
    }
  }
  return { format: 'module', source: code, shortCircuit: true };
}

function readIfPresent(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
