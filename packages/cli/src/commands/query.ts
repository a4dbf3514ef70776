import type { Command } from '../command.js';
import { usageError } from '../args.js';

export const query: Command = {
  name: 'query',
  usage: 'query [section:]option',
  summary: 'the raw, unexpanded value of an option',
  async run() {
    throw usageError('query is not implemented yet');
  },
};
