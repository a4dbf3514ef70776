// The package under test. The workspace root does not depend on
// @buildout/config, so tests at the root reach its public entry (the same
// src/index.ts its "source" export names) by path.
export * from '../../packages/config/src/index.js';
