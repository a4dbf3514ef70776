// The bundle's entry point: the command (main, and runAsProcess for bin.js),
// and the engine it runs, exported
// from the same module so that recipes importing `@buildout/engine` get this
// very copy (see setEngineModule in packages/engine/src/modules.ts).
import { setEngineModule } from '@buildout/engine';

export * from '@buildout/engine';
export { main, runAsProcess } from '../dist/main.js';

// Recipes import the ES module facade that exports this bundle (see bundle.mjs).
setEngineModule(new URL('./buildout.mjs', import.meta.url).href);
