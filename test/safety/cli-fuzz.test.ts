// The fuzz suite of the CLI's load path: generated configurations, special files and broken
// state, through the in-process `main()` with captured streams. Whatever the input, the outcome
// is success or a clean error (one line, maybe a hint and warnings): never "internal error",
// never a stack trace, never a hang.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../packages/cli/src/main.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A run that has not finished after this long is a hang (the runs take milliseconds). */
const HANG_MS = 5000;
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

/** Nothing listens on port 1 of loopback: npm fails at once. */
const CLOSED_INDEX = 'http://127.0.0.1:1/';

let special: string;
// main() runs in this process, and npm inherits its environment: its cache and user config stay in the sandbox.
const npmSettings = {
  npm_config_cache: process.env.npm_config_cache,
  npm_config_userconfig: process.env.npm_config_userconfig,
  npm_config_fetch_retries: process.env.npm_config_fetch_retries,
};
beforeAll(() => {
  special = mkdtempSync(join(tmpdir(), 'buildout-fuzz-special-'));
  process.env.npm_config_cache = join(special, 'npm-cache');
  process.env.npm_config_userconfig = join(special, 'npmrc');
  // A refused connection fails at once, not after npm's retries (seconds: the run would count as a hang).
  process.env.npm_config_fetch_retries = '0';
  execFileSync('mkfifo', [join(special, 'fifo.cfg')]);
  mkdirSync(join(special, 'folder.cfg'));
  symlinkSync('loop-b.cfg', join(special, 'loop-a.cfg'));
  symlinkSync('loop-a.cfg', join(special, 'loop-b.cfg'));
  writeFileSync(join(special, 'latin1.cfg'), Buffer.from('[buildout]\nx = caf\xe9\n', 'latin1'));
  writeFileSync(join(special, 'ok.cfg'), '[buildout]\nextra = 1\n');
  writeFileSync(join(special, 'ok.mjs'), 'export default { install() { return []; }, update() {} };\n');
  writeFileSync(join(special, 'throws.mjs'), "export default { install() { throw new Error('recipe says no'); } };\n");
});
afterAll(() => {
  for (const [name, value] of Object.entries(npmSettings)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(special, { recursive: true, force: true });
});

const at = (name: string): string => join(special, name);

const SPECIAL_FILES = [
  'fifo.cfg',
  'folder.cfg',
  'loop-a.cfg',
  'latin1.cfg',
  'ok.cfg',
  'missing.cfg',
  '/dev/zero',
  '/dev/null',
  'file://otherhost/etc/x.cfg',
  'file:///nonexistent/x.cfg',
  'ftp://example.invalid/x.cfg',
  'nul\0.cfg',
];

// [buildout] options: sound ones, broken ones and ones naming the special files.
const buildoutOption = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('parts = a', 'parts = a b', 'parts = b a', 'parts =', 'parts = a ghost') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'offline = maybe',
      'newest = false',
      'installed = state.cfg',
      'installed = folder-installed',
      'installed = st\0ate',
      'bin-directory = bin',
      'bin-directory = ok.cfg',
      'parts-directory = ok.cfg',
      'parts-directory = p\0arts',
      'extends-cache = cache',
      'develop = .',
      'x = ${buildout:x}',
    ),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('extends', 'optional-extends'), fc.constantFrom(...SPECIAL_FILES))
      .map(([option, file]) => `${option} = ${file.startsWith('/') || file.includes('://') ? file : at(file)}`),
  },
);

// Options of the parts a and b.
const partOption = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('recipe = ./ok.mjs', 'recipe = ./ok.mjs', 'recipe = ./throws.mjs') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'recipe = ./missing.mjs',
      'recipe = no-such-package',
      'recipie = ./ok.mjs',
      'x = ${a:y}',
      'y = ${a:x}',
      'z = ${b:missing} $${a:x}',
      'w = ${broken',
      'password = hunter22',
      'url = http://u:${a:password}@h/',
      'x += more',
      'x -= more',
      '<= b',
      '=> a',
      'path = ../\0x',
      '    indented continuation',
      '# comment',
    ),
  },
);

// Now and then: a random line, a stray byte or a control character.
const junk = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('\0', '\r', '\x85', '\uFEFF', '[c: nonsense ((]', '[d: linux]'));

/** `value` once in `every` runs, otherwise null. */
const sometimes = <T>(value: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });

const config = fc
  .record({
    buildout: fc.array(buildoutOption, { maxLength: 4 }),
    a: fc.array(partOption, { maxLength: 4 }),
    b: fc.option(fc.array(partOption, { maxLength: 3 })),
    junk: sometimes(fc.tuple(junk, fc.nat({ max: 12 })), 4),
    badByte: sometimes(fc.nat({ max: 12 }), 8),
  })
  .map(({ buildout, a, b, junk, badByte }) => {
    // A recipe name to fetch (`no-such-package`) goes to a closed port, never to the public registry.
    const lines = ['[buildout]', `index = ${CLOSED_INDEX}`, ...buildout, '[a]', ...a, ...(b ? ['[b]', ...b] : [])];
    if (junk) lines.splice(junk[1] % (lines.length + 1), 0, junk[0]);
    const chunks = lines.map((text) => Buffer.from(`${text}\n`));
    if (badByte !== null) chunks.splice(badByte % (chunks.length + 1), 0, Buffer.from([0xff, 0x0a]));
    return Buffer.concat(chunks);
  });

/** What is in the buildout directory besides buildout.cfg: nothing, or buildout's own files broken. */
const state = fc.constantFrom(
  'none',
  'installed-folder',
  'journal-garbage',
  'journal-shape',
  'lock-folder',
  'bin-file',
  'installed-garbage',
);

const command = fc.constantFrom(
  ['plan'],
  ['plan', '--json'],
  ['annotate'],
  ['annotate', '--json'],
  ['query', 'a:x'],
  ['install'],
  ['-v', 'install', 'a'],
  ['install', '--dry-run'],
);

function prepare(root: string, kind: string): void {
  if (kind === 'installed-folder') mkdirSync(join(root, '.installed.cfg'));
  mkdirSync(join(root, 'folder-installed'));
  if (kind === 'journal-garbage') writeFileSync(join(root, '.installed.cfg.journal'), '{"op":\n{"op":"remove","part":"a"}\n');
  if (kind === 'journal-shape') writeFileSync(join(root, '.installed.cfg.journal'), '{"op":"record","part":"a"}\n');
  if (kind === 'lock-folder') mkdirSync(join(root, '.buildout.lock'));
  if (kind === 'bin-file') writeFileSync(join(root, 'bin'), '');
  if (kind === 'installed-garbage') writeFileSync(join(root, '.installed.cfg'), '[buildout]\nparts = ghost\n');
}

async function runMain(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: buildout ${argv.join(' ')} did not finish in ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    const code = await Promise.race([main(argv, { stdout, stderr, cwd, env: { HOME: cwd } }), hang]);
    return { code, stdout: stdout.text, stderr: stderr.text };
  } finally {
    clearTimeout(timer);
  }
}

/** Success, or errors rendered as `where: message` lines with optional hints and warnings; nothing else. */
function expectClean(result: { code: number; stderr: string }, input: string): void {
  expect([0, 1, 2], input).toContain(result.code);
  expect(result.stderr, input).not.toMatch(/internal error|\n\s+at .*:\d+:\d+|node:internal|TypeError|ReferenceError/);
  const lines = result.stderr.split('\n').filter((text) => text !== '');
  // -v says which configuration it uses; hints and warnings go with errors.
  const errors = lines.filter(
    (text) => !text.startsWith('  hint: ') && !/^(buildout: )?warning: |: warning: |^buildout: using /.test(text),
  );
  if (result.code === 0) expect(errors, input).toEqual([]);
  else expect(errors.length, `${input}\n${result.stderr}`).toBe(1);
}

describe('fuzz: the CLI on generated configurations and special inputs', () => {
  test('generated configurations with special files and broken state: success or one clean error, never a trace or a hang', async () => {
    let slowest = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(config, state, command, async (bytes, kind, argv) => {
        const root = mkdtempSync(join(tmpdir(), 'buildout-fuzz-'));
        try {
          writeFileSync(join(root, 'buildout.cfg'), bytes);
          for (const file of ['ok.mjs', 'throws.mjs'])
            writeFileSync(join(root, file), `export { default } from ${JSON.stringify(at(file))};\n`);
          prepare(root, kind);
          const started = performance.now();
          const result = await runMain(argv, root);
          slowest = Math.max(slowest, performance.now() - started);
          expectClean(result, `${argv.join(' ')} [${kind}]\n${bytes.toString('utf8')}`);
          if (process.env.FUZZ_STATS)
            outcomes.set(
              result.stderr
                .split('\n')[0]!
                .replace(/\/tmp\/\S+/g, 'P')
                .slice(0, 70),
              (outcomes.get(
                result.stderr
                  .split('\n')[0]!
                  .replace(/\/tmp\/\S+/g, 'P')
                  .slice(0, 70),
              ) ?? 0) + 1,
            );
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS },
    );
    // Reported, not asserted (speed is for benchmarks): each run takes milliseconds.
    console.info(`fuzz: slowest of ${RUNS} runs ${Math.round(slowest)} ms`);
    if (process.env.FUZZ_STATS)
      console.info(
        [...outcomes]
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${v} ${k}`)
          .join('\n'),
      );
  });

  test('each special file as the configuration itself (-c)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'buildout-fuzz-'));
    try {
      for (const file of [
        at('fifo.cfg'),
        at('folder.cfg'),
        at('loop-a.cfg'),
        at('latin1.cfg'),
        '/dev/zero',
        '/dev/null',
        `${at('nul')}\0.cfg`,
        at('missing.cfg'),
        'file://otherhost/x.cfg',
      ]) {
        for (const argv of [['plan'], ['annotate'], ['install']]) {
          const result = await runMain(['-c', file, ...argv], root);
          expectClean(result, `-c ${file} ${argv.join(' ')}`);
          expect(result.code, file).toBe(1);
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
