import type { Command } from '../command.js';
import { usageError } from '../args.js';

export const annotate: Command = {
  name: 'annotate',
  usage: 'annotate [--json] [sections]',
  summary: 'every resolved value and where it came from',
  async run() {
    throw usageError('annotate is not implemented yet');
  },
};
