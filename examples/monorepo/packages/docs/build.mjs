// Renders pages/*.md to dist/*.html (headings and paragraphs only).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const html = (markdown) =>
  markdown
    .trim()
    .split(/\n\s*\n/)
    .map((block) => (block.startsWith('# ') ? `<h1>${block.slice(2)}</h1>` : `<p>${block}</p>`))
    .join('\n');

mkdirSync('dist', { recursive: true });
for (const page of readdirSync('pages')) {
  writeFileSync(`dist/${page.replace(/\.md$/, '.html')}`, `${html(readFileSync(`pages/${page}`, 'utf8'))}\n`);
}
console.log('docs: rendered pages');
