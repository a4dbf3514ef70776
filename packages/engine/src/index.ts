export * from './recipe-api.js';
export { writeFileAtomic } from './atomic-write.js';
export { BuildoutError, isBuildoutError, ErrorCodes, type SourceLocation } from '@buildout/config';
