export * from './errors.js';
export type * from './types.js';
export { parseConfigText, type ParsedSection, type ParsedOption, type Operator, type ParseOptions } from './parse.js';
export { loadBuildout } from './load.js';
