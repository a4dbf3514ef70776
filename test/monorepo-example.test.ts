/** examples/monorepo as its README shows it, on a temporary copy: first build, no-op rerun, one package edited. */
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { buildout } from './engine/cli.js';

const EXAMPLE = fileURLToPath(new URL('../examples/monorepo', import.meta.url));
/** What a run in the example leaves behind (also git-ignored). */
const STATE = new Set(['dist', 'parts', '.installed.cfg', '.buildout.lock', '.buildout-cache', 'node_modules']);

const copies: string[] = [];
afterEach(() => {
  for (const folder of copies.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function copyOfExample(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'buildout-example-')), 'monorepo');
  copies.push(join(root, '..'));
  cpSync(EXAMPLE, root, { recursive: true, filter: (source) => !STATE.has(basename(source)) });
  return root;
}

/** The "Installed/Updated/Uninstalled NAME" lines, without durations. */
function steps(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^(Installed|Updated|Uninstalled) /.test(line))
    .map((line) => line.replace(/ \(.*\)$/, ''));
}

it('builds the example workspace, reruns as a no-op, and rebuilds only an edited package and its dependents', async () => {
  const root = copyOfExample();
  const first = await buildout(['-j', '1'], root);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(steps(first.stdout)).toEqual([
    'Installed packages',
    'Installed build-example-greet',
    'Installed build-example-app',
    'Installed build-example-docs',
  ]);
  expect(execFileSync(process.execPath, [join(root, 'packages/app/dist/app.mjs')], { encoding: 'utf8' })).toBe('Hello, buildout!\n');
  expect(existsSync(join(root, 'packages/docs/dist/index.html'))).toBe(true);

  const again = await buildout(['-j', '1'], root);
  expect(steps(again.stdout)).toEqual([
    'Updated packages',
    'Updated build-example-greet',
    'Updated build-example-app',
    'Updated build-example-docs',
  ]);

  appendFileSync(join(root, 'packages/greet/src/index.js'), '\nexport const farewell = (name) => `Goodbye, ${name}!`;\n');
  const edited = await buildout(['-j', '1'], root);
  // Each changed part is uninstalled right before its reinstall, when its turn comes.
  expect(steps(edited.stdout)).toEqual([
    'Updated packages',
    'Uninstalled build-example-greet',
    'Installed build-example-greet',
    'Uninstalled build-example-app',
    'Installed build-example-app',
    'Updated build-example-docs',
  ]);
  expect(execFileSync(process.execPath, [join(root, 'packages/app/dist/app.mjs')], { encoding: 'utf8' })).toBe('Hello, buildout!\n');
});
