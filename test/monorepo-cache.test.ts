/** The output cache of `command` parts and the run semantics around it, through the compiled CLI on temporary workspaces. */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildout, tree } from './engine/cli.js';
import { built, clearEvents, edit, output, workspace } from './monorepo-support.js';

/** core <- ui <- app; docs stands alone. */
const PACKAGES = [{ name: 'core' }, { name: 'ui', dependencies: ['core'] }, { name: 'app', dependencies: ['ui'] }, { name: 'docs' }];
const NAMES = ['app', 'core', 'docs', 'ui'];

async function install(root: string, args: string[] = [], env: Record<string, string> = {}) {
  clearEvents(root);
  const result = await buildout(args, root, env);
  // -v says which configuration file it uses.
  expect(result.stderr.replace(/^buildout: using .*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return result;
}

function outputs(root: string): string[] {
  return NAMES.map((name) => output(root, name));
}

function removeOutputs(root: string): void {
  for (const name of NAMES) rmSync(join(root, 'packages', name, 'dist'), { recursive: true, force: true });
}

function cacheEntries(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.json'));
}

describe('local output cache (end to end)', () => {
  it('every output removed: all restored from the cache, no command runs', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    expect(built(root)).toEqual(NAMES);
    const before = outputs(root);
    removeOutputs(root);
    const result = await install(root, ['-v']);
    expect(built(root)).toEqual([]);
    expect(outputs(root)).toEqual(before);
    expect(result.stdout).toMatch(/Done in .*: 4 restored from cache \(4 local, 0 remote\)\n$/);
    for (const name of NAMES) expect(result.stdout).toMatch(new RegExp(`^Installed build-${name} from the local cache \\(`, 'm'));
    // -v replays what the command printed when it built.
    expect(result.stdout).toContain('build-core: core: building');
  });

  it('edit, build, revert, build: the second build restores what the first made', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    const before = outputs(root);
    edit(root, 'core', 'core v2\n');
    await install(root);
    expect(built(root)).toEqual(['app', 'core', 'ui']);
    edit(root, 'core', 'core v1\n');
    const result = await install(root);
    expect(built(root)).toEqual([]);
    expect(outputs(root)).toEqual(before);
    expect(result.stdout).toMatch(/: 3 restored from cache \(3 local, 0 remote\), 1 unchanged\n$/);
  });

  it('an output file changed by hand is put back from the cache on the next run', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    const before = output(root, 'ui');
    writeFileSync(join(root, 'packages/ui/dist/out.txt'), 'tampered\n');
    const result = await install(root);
    expect(built(root)).toEqual([]);
    expect(output(root, 'ui')).toBe(before);
    expect(result.stdout).toContain('build-ui: restored 1 changed output file from the cache');
  });

  it('a damaged cache entry is discarded and the part built again (and cached again)', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    const cache = join(root, '.buildout-cache');
    for (const name of readdirSync(cache).filter((file) => file.endsWith('.tar.gz'))) {
      const file = join(cache, name);
      const data = readFileSync(file);
      data[data.length >> 1]! ^= 0xff;
      writeFileSync(file, data);
    }
    rmSync(join(root, 'packages/core/dist'), { recursive: true });
    clearEvents(root);
    const result = await buildout([], root);
    expect(result.code).toBe(0);
    expect(built(root)).toEqual(['core']);
    expect(result.stdout).toMatch(/build-core: warning: the cache entry \w+ was damaged/);
    rmSync(join(root, 'packages/core/dist'), { recursive: true });
    await install(root);
    expect(built(root)).toEqual([]);
  });

  it('a changed lock file rebuilds every package', async () => {
    const root = workspace(PACKAGES);
    writeFileSync(join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    await install(root);
    writeFileSync(join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n# an external dependency upgraded\n");
    const plan = await buildout(['plan'], root);
    expect(plan.stdout).toContain('lock-file: "pnpm-lock.yaml ');
    await install(root);
    expect(built(root)).toEqual(NAMES);
  });

  it('cache = false (in [buildout] or on the part) builds instead of restoring', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    removeOutputs(root);
    await install(root, ['buildout:cache=false']);
    expect(built(root)).toEqual(NAMES);
    removeOutputs(root);
    await install(root, ['packages:cache=false']);
    expect(built(root)).toEqual(NAMES);
  });

  it('cache-max-size: the least recently used entries are evicted', async () => {
    const root = workspace(PACKAGES);
    await install(root, ['-j', '1', 'buildout:cache-max-size=1']);
    // Each entry is larger than the limit: only the last one stored (docs, built last) stays.
    expect(cacheEntries(join(root, '.buildout-cache'))).toHaveLength(1);
    rmSync(join(root, 'packages/docs/dist'), { recursive: true });
    await install(root, ['-j', '1', 'buildout:cache-max-size=1']);
    expect(built(root)).toEqual([]);
    // core's entry was evicted: it is built again.
    rmSync(join(root, 'packages/core/dist'), { recursive: true });
    await install(root, ['-j', '1', 'buildout:cache-max-size=1']);
    expect(built(root)).toEqual(['core']);
  });

  it('two buildouts sharing one cache folder at once: both succeed, and a third restores everything', async () => {
    const shared = tree({});
    const setting = `buildout:cache-directory=${shared}`;
    const [first, second] = [workspace(PACKAGES), workspace(PACKAGES)];
    const results = await Promise.all([buildout([setting], first), buildout([setting], second)]);
    for (const result of results) expect(result.code).toBe(0);
    for (const name of readdirSync(shared)) expect(name).toMatch(/^[0-9a-f]{32}\.(json|tar\.gz)$/);
    const third = workspace(PACKAGES);
    await install(third, [setting]);
    expect(built(third)).toEqual([]);
    expect(outputs(third)).toEqual(outputs(first));
  });

  it('plan and --dry-run say which parts would be restored from the cache', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    rmSync(join(root, 'packages/ui/dist'), { recursive: true });
    const plan = await buildout(['plan'], root);
    expect(plan.stdout).toMatch(/install +build-ui +reinstall: packages\/ui\/dist\S* is missing \(restored from the local cache\)/);
    expect(plan.stdout).toContain('Plan: 1 to install (1 restored from cache)');
    const json = JSON.parse((await buildout(['install', '--dry-run', '--json'], root)).stdout);
    expect(json.steps.find((step: { part: string }) => step.part === 'build-ui')).toMatchObject({ action: 'install', cache: 'local' });
    expect(json.steps.find((step: { part: string }) => step.part === 'build-app')).not.toHaveProperty('cache');
  });
});

describe('what the cache keeps of a command', () => {
  it("its output lines with the part's secrets masked (a cache may be shared): secret options, env and passed variables", async () => {
    const root = tree({
      'buildout.cfg': `[buildout]
parts = app
[app]
recipe = command
api-token = CacheTok-5150xyz
env =
    DB_PASSWORD = EnvPw-1234
pass-env = DEPLOY_TOKEN
command =
    echo "using \${:api-token} $DB_PASSWORD $DEPLOY_TOKEN"
    mkdir -p dist && echo built > dist/out.txt
outputs = dist
`,
    });
    await install(root, [], { DEPLOY_TOKEN: 'PassedTok-777' });
    const cache = join(root, '.buildout-cache');
    const stored = readdirSync(cache).map((name) => gunzipIfZipped(readFileSync(join(cache, name))));
    expect(stored).toHaveLength(2);
    for (const secret of ['CacheTok-5150xyz', 'EnvPw-1234', 'PassedTok-777']) for (const text of stored) expect(text).not.toContain(secret);
    rmSync(join(root, 'dist'), { recursive: true });
    // Restored, -v replays the lines as kept.
    expect((await install(root, ['-v'], { DEPLOY_TOKEN: 'PassedTok-777' })).stdout).toContain('app: using *** *** ***');
  });
});

/** A cache file's text: the tarball's unzipped. */
function gunzipIfZipped(data: Buffer): string {
  return (data[0] === 0x1f && data[1] === 0x8b ? gunzipSync(data) : data).toString('latin1');
}

describe('the environment of commands', () => {
  const ENV_PROJECT = {
    'buildout.cfg': `[buildout]
parts = show

[show]
recipe = command
command = node show.mjs
inputs = show.mjs
outputs = dist
pass-env = DECLARED_* MODE
env = SET = fixed
`,
    'show.mjs': `import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
appendFileSync('runs.log', 'run\\n');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/env.json', JSON.stringify(process.env));
`,
  };

  const seen = (root: string): Record<string, string> => JSON.parse(readFileSync(join(root, 'dist/env.json'), 'utf8'));
  const runs = (root: string): number => readFileSync(join(root, 'runs.log'), 'utf8').split('\n').filter(Boolean).length;

  it('a command sees the declared variables and a fixed base, not the rest; declared ones count, others do not', async () => {
    const root = tree(ENV_PROJECT);
    const ambient = { MODE: 'development', DECLARED_ONE: '1', UNDECLARED: 'x', LANG: 'C.UTF-8' };
    await install(root, [], ambient);
    const env = seen(root);
    expect(env).toMatchObject({ MODE: 'development', DECLARED_ONE: '1', SET: 'fixed', LANG: 'C.UTF-8', HOME: root });
    expect(env.PATH).toBeDefined();
    expect(env).not.toHaveProperty('UNDECLARED');

    // An undeclared variable changing: nothing to do.
    await install(root, [], { ...ambient, UNDECLARED: 'y', ANOTHER: 'z' });
    expect(runs(root)).toBe(1);
    // A declared one changing: the plan says so, and it builds.
    const plan = await buildout(['plan'], root, { ...ambient, MODE: 'production' });
    expect(plan.stdout).toMatch(/install +show +reinstall: options changed\n +inputs-hash:/);
    await install(root, [], { ...ambient, MODE: 'production' });
    expect(runs(root)).toBe(2);
    expect(seen(root).MODE).toBe('production');
    // Back to the first value: restored, not run.
    await install(root, [], ambient);
    expect(runs(root)).toBe(2);
    expect(seen(root).MODE).toBe('development');
  });
});

describe('named parts', () => {
  it('install, annotate and query name parts the workspace meta-recipe defines', async () => {
    const root = workspace(PACKAGES);
    const result = await install(root, ['install', 'build-app']);
    // app's dependencies are brought up to date first; docs is left alone.
    expect(built(root)).toEqual(['app', 'core', 'ui']);
    expect(result.stdout).toMatch(/: 3 built, 1 skipped\n$/);
    const query = await buildout(['query', 'build-app:cwd'], root);
    expect(query).toMatchObject({ code: 0, stdout: 'packages/app\n' });
    const annotate = await buildout(['annotate', 'build-app'], root);
    expect(annotate.code).toBe(0);
    expect(annotate.stdout).toContain('[build-app]');
    expect(annotate.stdout).toContain('cwd= packages/app');
    const missing = await buildout(['install', 'build-nothing'], root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot install 'build-nothing': there is no section [build-nothing]");
  });

  it('install b rebuilds its changed dependency first; --only does not, and b is rebuilt by the next full run', async () => {
    const root = workspace(PACKAGES);
    await install(root);
    edit(root, 'core', 'core v2\n');
    await install(root, ['install', 'build-ui']);
    expect(built(root)).toEqual(['core', 'ui']);
    expect(output(root, 'ui')).toBe('ui: ui v1\ncore: core v2\n');

    edit(root, 'core', 'core v3\n');
    const only = await install(root, ['install', '--only', 'build-ui']);
    expect(built(root)).toEqual(['ui']);
    expect(only.stdout).toMatch(/: 1 built, 3 skipped\n$/);
    // ui was built from core v2's output: it is not recorded as current.
    const plan = await buildout(['plan'], root);
    expect(plan.stdout).toMatch(/install +build-ui +reinstall: /);
    await install(root);
    expect(built(root)).toEqual(['app', 'core', 'ui']);
    expect(output(root, 'app')).toBe('app: app v1\nui: ui v1\ncore: core v3\n');
  });
});
