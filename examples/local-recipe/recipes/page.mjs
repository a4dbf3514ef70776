// A recipe in plain JavaScript: the JSDoc type gives editors the Recipe API
// without importing anything at run time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** @type {import('@buildout/engine').Recipe} */
export default {
  // Runs for every part before anything is planned: options set here are seen by
  // other parts as ${site:location} and count in this part's signature.
  init(part) {
    part.options.location = join(part.buildout.get('buildout', 'parts-directory'), part.name);
  },

  install(part) {
    const { location, title } = part.options;
    mkdirSync(location, { recursive: true });
    // Registered at once: if anything below failed, the folder would be removed.
    part.created(location);
    writeFileSync(join(location, 'index.html'), `<!doctype html>\n<title>${title}</title>\n<h1>${title}</h1>\n`);
    part.log.info(`wrote ${join(location, 'index.html')}`);
    return [location];
  },

  // Same options as last time: the page is already right.
  update() {},
};
