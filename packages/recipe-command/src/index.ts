export {
  default as commandRecipe,
  computeInputsHash,
  existingOutputs,
  readSettings,
  runCommands,
  INPUTS_HASH_OPTION,
  HASH_CACHE_FILE,
  TAIL_LINES,
  type CommandSettings,
} from './command.js';
export { default as workspaceRecipe, planWorkspaceParts, DEPENDENCY_HASHES_OPTION, type GeneratedPart } from './workspace.js';
export { discoverPackages, partNameFor, taskDependencies, type WorkspacePackage } from './workspace-discovery.js';
export { readPnpmWorkspace, readSimplePackagesList } from './pnpm-workspace-file.js';
export { HashCache, RACY_WINDOW_MS } from './hash-cache.js';
export { hashInputs, type HashInputsOptions, type HashedInputs } from './inputs.js';
export { findFiles, findFolders, findPaths } from './glob.js';
export { parseEnv } from './env.js';
export { CommandErrorCodes } from './errors.js';
export { nodeFileSystem, type FileSystem, type FileStat, type DirectoryEntry } from './file-system.js';
