// The caches pip, npm and buildout's TypeScript loader keep by default (~/.cache/pip, ~/.npm,
// /tmp/buildout-<uid>): tests that run the engine or a recipe in the test process hand it their own
// environment, so the whole run gets one folder of its own for these caches, removed at the end.
// Workers inherit the environment set here; tests that start the CLI pass an environment of their own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const folder = mkdtempSync(join(tmpdir(), 'buildout-test-caches-'));
  process.env.XDG_CACHE_HOME = join(folder, 'xdg');
  process.env.PIP_CACHE_DIR = join(folder, 'pip');
  process.env.npm_config_cache = join(folder, 'npm');
  return () => rmSync(folder, { recursive: true, force: true });
}
