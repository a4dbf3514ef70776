import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { BuildoutError, CONFIG_FILE_NAME } from '@buildout/config';
import { usageError } from '../args.js';
import { CliErrorCodes } from '../errors.js';
import type { CommandContext } from '../command.js';

export async function runInit(context: CommandContext): Promise<number> {
  const { values, positionals } = parseInitArgs(context.args);
  if (values.recipe !== undefined) {
    const { scaffoldRecipe } = await import('./recipe-scaffold.js');
    const { folder, files } = scaffoldRecipe(values.recipe, positionals[0], context.cwd, { tarballs: values.from });
    context.stdout.write(
      `Created recipe package ${values.recipe} in ${folder}: ${files.join(', ')}\nNext: cd ${folder} && npm install && npm test\n`,
    );
    return 0;
  }
  if (positionals.length > 0 || values.from !== undefined) throw usageError('init takes no arguments without --recipe NAME');
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

function parseInitArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { recipe: { type: 'string' }, from: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError(`init: ${(error as Error).message}`);
  }
}
