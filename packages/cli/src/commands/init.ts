import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BuildoutError, CONFIG_FILE_NAME } from '@buildout/config';
import { CliErrorCodes } from '../errors.js';
import type { CommandContext } from '../command.js';

export async function runInit(context: CommandContext): Promise<number> {
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
