export { main, type MainIO } from './main.js';
export type { Command, CommandContext, GlobalOptions } from './command.js';
