// Bundles the app with the built greet package into one runnable file,
// dist/app.mjs (reads ../greet/dist: greet must be built first).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const library = readFileSync('../greet/dist/index.js', 'utf8');
const main = readFileSync('src/main.js', 'utf8').replace(/^import .* from '@example\/greet';\n/m, '');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/app.mjs', `${library}\n${main}`);
console.log('app: bundled dist/app.mjs');
