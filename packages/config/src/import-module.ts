/**
 * `import(specifier)` for modules outside the code itself (recipes, extensions,
 * cosmiconfig), in one place: the CLI runs its bundle as a script compiled with
 * V8's code cache (packages/cli/src/bundle-loader.ts), and a script has no
 * module loader of its own, so the bundle replaces this module with one that
 * imports through the loader (packages/cli/scripts/bundle.mjs).
 */
export const importModule = (specifier: string): Promise<Record<string, unknown>> => import(specifier);
