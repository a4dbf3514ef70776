// "Compiles" src/ to dist/: copies each module under a banner.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const modules = readdirSync('src');
if (modules.length === 0) {
  console.error('greet: src/ has no modules to build');
  process.exit(1);
}
mkdirSync('dist', { recursive: true });
for (const file of modules) {
  writeFileSync(`dist/${file}`, `// built from src/${file}\n${readFileSync(`src/${file}`, 'utf8')}`);
}
console.log(`greet: built ${modules.length} module(s)`);
