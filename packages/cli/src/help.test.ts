import { Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { commands } from './commands/index.js';
import { main } from './main.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  // A folder without buildout.cfg: help must not need a configuration.
  const code = await main(argv, { stdout, stderr, cwd: '/', env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('--help for every command', () => {
  for (const command of commands) {
    for (const flag of ['--help', '-h']) {
      test(`${command.name} ${flag}: usage, options and an example, exit 0`, async () => {
        const result = await run([command.name, flag]);
        expect(result).toMatchObject({ code: 0, stderr: '' });
        expect(result.stdout).toContain(`Usage: buildout [options] [assignments] ${command.usage}\n`);
        expect(result.stdout).toContain('Options:\n');
        for (const option of command.options) expect(result.stdout).toContain(`--${option.name}`);
        expect(result.stdout).toMatch(/Examples:\n {2}buildout /);
      });
    }
  }

  test('query --help is help, not an option named --help', async () => {
    const result = await run(['query', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('[section:]option');
  });

  test('after --, -h is an argument', async () => {
    const result = await run(['query', '--', '-h']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });

  test('buildout --help lists every command and says how to get a command help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const command of commands) expect(result.stdout).toContain(command.usage);
    expect(result.stdout).toContain('buildout COMMAND --help');
  });
});

describe('did you mean, on the command line', () => {
  test.each([
    [['instal'], "unknown command 'instal' (did you mean 'install'?)"],
    [['annotat', '--json'], "unknown command 'annotat' (did you mean 'annotate'?)"],
    [['install', '--dry-rn'], 'install: unknown option --dry-rn (did you mean --dry-run?)'],
    [['annotate', '--orgins'], 'annotate: unknown option --orgins (did you mean --origins?)'],
    [['graph', '--fromat', 'dot'], 'graph: unknown option --fromat (did you mean --format?)'],
    [['--versoin'], 'unknown option --versoin (did you mean --version?)'],
    [['-V'], 'unknown option -V (did you mean -v?)'],
  ])('%j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`buildout: ${message}\n`);
  });

  test('an option of no likeness lists the options', async () => {
    const result = await run(['plan', '--zzzzzz']);
    expect(result.stderr).toContain('plan: unknown option --zzzzzz (options: --json, --help)');
  });
});
