/** Runs supervisor's own configuration parser on a file, as the notes describe. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUPERVISOR_PYTHON } from './supervisor-python.js';

const REALIZE = 'import sys; from supervisor.options import ServerOptions as S; o=S(); o.realize(args=["-c", sys.argv[1]])';

export interface ParserVerdict {
  /** 0 when accepted, 2 with an `Error: ...` when refused. */
  readonly status: number | null;
  readonly error: string | undefined;
}

export function supervisorParse(file: string): ParserVerdict {
  const result = spawnSync(SUPERVISOR_PYTHON, ['-c', REALIZE, file], { encoding: 'utf8' });
  return { status: result.status, error: /^Error: (.*)$/m.exec(result.stderr)?.[1] ?? (result.status === 0 ? undefined : result.stderr) };
}

/** Throws with supervisord's message unless it accepts the file. */
export function expectSupervisorAccepts(file: string): void {
  const verdict = supervisorParse(file);
  if (verdict.status !== 0) throw new Error(`supervisord refuses ${file} (exit ${verdict.status}): ${verdict.error}`);
}

/** Writes `text` as supervisord.conf in `directory` and checks it. */
export function expectSupervisorAcceptsText(directory: string, text: string, name = 'supervisord.conf'): string {
  const file = join(directory, name);
  writeFileSync(file, text);
  expectSupervisorAccepts(file);
  return file;
}

/**
 * Checks a file without [supervisord] (`sections` without global, meant to be
 * included by another configuration) through a minimal file that includes it.
 */
export function expectSupervisorAcceptsIncluded(file: string, scratchDirectory: string): void {
  const main = join(scratchDirectory, 'including-supervisord.conf');
  writeFileSync(
    main,
    `[supervisord]\nlogfile = ${scratchDirectory}/including.log\npidfile = ${scratchDirectory}/including.pid\n\n[include]\nfiles = ${file}\n`,
  );
  expectSupervisorAccepts(main);
}
