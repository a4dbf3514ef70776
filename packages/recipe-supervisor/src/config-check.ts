/**
 * The last check before a configuration is written: supervisor's own parser
 * (`ServerOptions().realize`), run by the interpreter the scripts use. It
 * catches what the recipe's checks do not model, such as a program user that
 * does not exist on this machine.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runProcess } from './run-process.js';

const REALIZE = 'import sys; from supervisor.options import ServerOptions as S; o=S(); o.realize(args=["-c", sys.argv[1]])';

/**
 * Returns supervisord's complaint about `text` as the file `conf`, or
 * undefined when it accepts it. The text is checked from a temporary file
 * next to `conf` (so `%(here)s` means what it will mean), removed afterwards.
 * A file without `[supervisord]` (`sections` without global, meant to be
 * included elsewhere) is checked through a minimal file that includes it.
 */
export async function supervisordComplaint(
  interpreter: string,
  conf: string,
  text: string,
  hasSupervisordSection: boolean,
): Promise<string | undefined> {
  const stem = join(dirname(conf), `.${randomBytes(4).toString('hex')}-check`);
  const candidate = `${stem}.conf`;
  const wrapper = `${stem}-main.conf`;
  try {
    await writeFile(candidate, text, { mode: 0o600, flag: 'wx' });
    if (!hasSupervisordSection) {
      const scratch = `${stem}-main`;
      await writeFile(wrapper, `[supervisord]\nlogfile = ${scratch}.log\npidfile = ${scratch}.pid\n\n[include]\nfiles = ${candidate}\n`, {
        mode: 0o600,
        flag: 'wx',
      });
    }
    const result = await runProcess(interpreter, ['-c', REALIZE, hasSupervisordSection ? candidate : wrapper]);
    if (result.exitCode === 0) return undefined;
    const complaint = /^Error: (.*)$/m.exec(result.stderr)?.[1] ?? (result.stderr.trim() || `exit status ${result.exitCode}`);
    return complaint.replaceAll(candidate, conf);
  } finally {
    await rm(candidate, { force: true });
    await rm(wrapper, { force: true });
  }
}
