export * from './recipe-api.js';
export { BuildoutError, isBuildoutError, ErrorCodes, type SourceLocation } from '@buildout/config';
