import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BuildoutError, CONFIG_FILE_NAME } from '@buildout/config';
import { usageError } from '../args.js';
import { parseCommandArguments } from '../command-args.js';
import { findCommand } from './index.js';
import { CliErrorCodes } from '../errors.js';
import type { CommandContext } from '../command.js';

export async function runInit(context: CommandContext): Promise<number> {
  const { options, positionals } = parseCommandArguments(findCommand('init')!, context.args);
  const recipe = options.get('recipe');
  const from = options.get('from');
  if (typeof recipe === 'string') {
    const { scaffoldRecipe } = await import('./recipe-scaffold.js');
    const { folder, files } = scaffoldRecipe(recipe, positionals[0], context.cwd, {
      tarballs: typeof from === 'string' ? from : undefined,
    });
    context.stdout.write(
      `Created recipe package ${recipe} in ${folder}: ${files.join(', ')}\nNext: cd ${folder} && npm install && npm test\n`,
    );
    return 0;
  }
  if (positionals.length > 0 || from !== undefined) throw usageError('init takes no arguments without --recipe NAME');
  const file = resolve(context.cwd, context.global.configFile ?? CONFIG_FILE_NAME);
  try {
    await writeFile(file, '[buildout]\nparts =\n', { flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') {
      throw new BuildoutError(CliErrorCodes.CONFIG_EXISTS, `${file} already exists`, { hint: 'init only creates a new configuration' });
    }
    throw error;
  }
  context.stdout.write(`Created ${file}\n`);
  return 0;
}
