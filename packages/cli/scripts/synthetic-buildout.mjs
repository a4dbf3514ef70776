// Issue 12's synthetic buildout, for the benchmark (bench/synthetic.bench.mjs)
// and the code-cache training (train-code-cache.mjs): N parts, each built on a
// macro (`<= base`: a local recipe, a root under ${buildout:directory}, a
// port), with its own `path`, a reference to the previous part's path (a chain
// N deep), `port +=` and a multi-line value. The recipe writes one file per
// part and its update does nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SYNTHETIC_RECIPE = `import { mkdirSync, writeFileSync } from 'node:fs';
export default {
  install(part) {
    const folder = part.options.location;
    mkdirSync(folder, { recursive: true });
    writeFileSync(folder + '/run.sh', part.options.script + '\\n');
    return [folder];
  },
  update() {},
};
`;

/** The buildout.cfg of `parts` parts; `port` is the base's, which each part adds its index to. */
export function syntheticConfig(parts, port = 8000) {
  const names = Array.from({ length: parts }, (_, index) => `p${index}`);
  let text = `[buildout]\nparts = ${names.join(' ')}\n\n`;
  text += `[base]\nrecipe = ./recipe.mjs\nroot = \${buildout:directory}/parts\nport = ${port}\nlocation = \${:root}/\${:_buildout_section_name_}\n`;
  for (let index = 0; index < parts; index += 1) {
    text += `\n[p${index}]\n<= base\npath = \${base:root}/p${index}\n`;
    text += `dep = ${index === 0 ? '${buildout:directory}' : `\${p${index - 1}:path}`}\n`;
    text += `port += ${index}\n`;
    text += 'script =\n    cd ${:path}\n    ${buildout:bin-directory}/serve --port ${:port} --after ${:dep}\n';
  }
  return text;
}

/** Writes the recipe and the buildout.cfg of `parts` parts into `directory`. */
export function writeSyntheticBuildout(directory, parts, port) {
  writeFileSync(join(directory, 'recipe.mjs'), SYNTHETIC_RECIPE);
  writeFileSync(join(directory, 'buildout.cfg'), syntheticConfig(parts, port));
}
