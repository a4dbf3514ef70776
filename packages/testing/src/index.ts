/**
 * @buildout/testing: the kit recipe authors test with (zc.buildout.testing for
 * this engine). See README.md.
 */
export {
  configText,
  createBuildout,
  openBuildout,
  type DefinedSection,
  type InstallRun,
  type InstallSettings,
  type LogLine,
  type PartSettings,
  type TestBuildout,
  type TestPart,
} from './buildout.js';
export { findCli, runCli, type RunOptions, type RunResult } from './cli.js';
export { age, exists, ls, read, removeTemporaryFolders, temporaryFolder, tree, write } from './files.js';
export { failure } from './failure.js';
export { normalize, SAMPLE_BUILDOUT } from './normalize.js';
export { freePort, isAlive } from './processes.js';
