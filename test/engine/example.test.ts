/** examples/local-recipe runs as its comments say (in a copy, so the checkout stays clean). */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildout } from './cli.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/local-recipe', import.meta.url));
let copy: string | undefined;
afterEach(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('examples/local-recipe', () => {
  it('installs, plans a change with the option that changed, and reinstalls what depends on it', async () => {
    copy = mkdtempSync(join(tmpdir(), 'buildout-example-'));
    cpSync(EXAMPLE, copy, { recursive: true, filter: (path) => !/(parts|\.installed\.cfg|\.buildout\.lock)$/.test(path) });
    const env = { XDG_CACHE_HOME: join(copy, '.cache') };

    const first = await buildout(['-j', '1'], copy, env);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Installed site .*\nInstalling report\.\.\.\nInstalled report .*\nDone in [\d.]+ m?s: 2 built\n$/);
    expect(readFileSync(join(copy, 'parts/site/index.html'), 'utf8')).toContain('<h1>Hello, world!</h1>');
    expect(readFileSync(join(copy, 'parts/report/report.txt'), 'utf8')).toBe(
      `${join(copy, 'parts/site/index.html')}: 68 bytes, title of 2 words\n`,
    );

    const config = join(copy, 'buildout.cfg');
    writeFileSync(config, readFileSync(config, 'utf8').replace('who = world', 'who = everyone'));
    const plan = await buildout(['plan'], copy, env);
    expect(plan.stdout).toContain(
      'install   site    reinstall: options changed\n                  title: "Hello, world!" -> "Hello, everyone!"',
    );

    const second = await buildout(['-j', '1'], copy, env);
    expect(second.stdout).toContain('report: removing the report on');
    expect(second.stdout).toMatch(/Done in [\d.]+ m?s: 2 built\n$/);
    expect(readFileSync(join(copy, 'parts/report/report.txt'), 'utf8')).toContain('74 bytes');
  });
});
