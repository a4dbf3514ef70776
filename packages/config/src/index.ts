export * from './errors.js';
export { childProcess, crypto, monotonicNow } from './builtins.js';
export { importModule } from './import-module.js';
export type * from './types.js';
export { parseConfigText, PART_DEPENDENCIES, type ParsedSection, type ParsedOption, type Operator, type ParseOptions } from './parse.js';
export { loadBuildout } from './load.js';
export { findReferences, type Reference } from './references.js';
export { SECTION_NAME, WRITABLE_OPTION_NAME } from './names.js';
export { parseAssignment, type Assignment } from './assignments.js';
export { CONFIG_FILE_NAME } from './discover.js';
export { closest, editDistance, isPythonSpace, isPythonSpaceCode, trimmedEnd, trimmedStart, words } from './text.js';
export { writeFileAtomic } from './atomic-write.js';
export { temporarySibling } from './temporary-name.js';
export { relativeIfInside } from './paths.js';
export {
  checkPathText,
  decodeUtf8,
  describeFsError,
  fileAccessError,
  isSystemError,
  notRegularFile,
  readTextFile,
  readTextFileSync,
} from './file-access.js';
export { isSecretOptionName } from './secrets.js';
