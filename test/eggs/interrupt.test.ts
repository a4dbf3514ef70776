/** Ctrl-C while npm fetches a recipe package: npm is stopped with the run, not left writing into the eggs folder. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start, tree, waitFor } from '../engine/cli.js';
import { silentServer } from '../remote-cache-server.js';

/** Processes whose command line names `text`. */
function processesNaming(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((resolve) => setTimeout(resolve, 100)))
    if (check()) return true;
  return check();
}

describe.skipIf(process.platform === 'win32')('interrupting a fetch', () => {
  it('SIGINT while npm waits on a registry that never answers: npm stops, the run ends interrupted (130)', async () => {
    const index = await silentServer();
    const root = tree({ 'buildout.cfg': `[buildout]\nparts = hello\nindex = ${index}\n\n[hello]\nrecipe = hello-recipe\n` });
    const eggs = join(root, 'eggs');
    const { child, done } = start(['-U'], root);
    await waitFor(join(eggs, 'package.json'));
    expect(await until(() => processesNaming(eggs).length > 0, 10_000)).toBe(true);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted');
    expect(await until(() => processesNaming(eggs).length === 0, 5_000)).toBe(true);
  }, 60_000);
});
