// A recipe in TypeScript: the engine transpiles it on first use (and caches the result).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineRecipe, type Part } from '@buildout/engine';
import { countWords } from './words.js';

interface ReportOptions {
  page: string;
  words: string;
}

function options(part: Part): ReportOptions {
  return part.options as unknown as ReportOptions;
}

export default defineRecipe({
  install(part) {
    const { page, words } = options(part);
    const folder = join(part.buildout.get('buildout', 'parts-directory'), part.name);
    mkdirSync(folder, { recursive: true });
    part.created(folder);
    const size = readFileSync(page).length;
    writeFileSync(join(folder, 'report.txt'), `${page}: ${size} bytes, title of ${countWords(words)} words\n`);
    return [folder];
  },

  update(part) {
    part.log.debug('report is up to date');
  },

  uninstall(part) {
    // Runs before the engine removes the recorded folder.
    part.log.info(`removing the report on ${options(part).page}`);
  },
});
