import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program to completion and collects its output. Rejects only when it
 * cannot be started (the error's `code` is then e.g. ENOENT); a non-zero exit
 * is a result for the caller to judge.
 */
export function runProcess(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      resolve({ exitCode, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/**
 * The gist of a failed program's output for an error message: its lines
 * that mention an error (pip buries the cause between notes), else its last
 * lines.
 */
export function failureSummary(text: string, count = 8): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const errors = [...new Set(lines.filter((line) => /\berror\b/i.test(line)))];
  return (errors.length > 0 ? errors : lines).slice(-count).join('\n');
}
