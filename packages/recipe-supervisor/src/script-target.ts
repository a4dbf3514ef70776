/**
 * The scripts the part puts in bin/ are written over and, with the part,
 * removed. A script path that is already there is taken only when the part
 * recorded it (an update, or the reinstall's hand-over) or when it is a
 * script this recipe generated for this same part (its mark line says so);
 * anything else (a hand-written `bin/supervisorctl` wrapper, another part's
 * script, a symbolic link) is refused, before anything is written.
 */
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Part } from '@buildout/engine';
import { supervisorError, SupervisorErrorCodes } from './errors.js';
import type { SupervisorSettings } from './options.js';
import type { PythonEnvironment } from './python-env.js';
import { consoleScript, generatedFor, parseEntryPoint, supervisorctlScript, supervisordScript, type ControlSettings } from './scripts.js';

export interface PlannedScript {
  readonly name: string;
  readonly path: string;
  readonly text: string;
  readonly mode: number;
  /** The option that asks for it: `sections` (supervisord, supervisorctl) or `plugins` (their console scripts). */
  readonly option: 'sections' | 'plugins';
}

/** The scripts of the part, and why console scripts that cannot be written are left out (for warnings). */
export function plannedScripts(
  settings: SupervisorSettings,
  control: ControlSettings,
  python: PythonEnvironment,
): { scripts: PlannedScript[]; skipped: string[] } {
  const scripts: PlannedScript[] = [];
  const skipped: string[] = [];
  const add = (name: string, text: string, mode: number, option: PlannedScript['option']): void => {
    scripts.push({ name, path: join(settings.binDirectory, name), text, mode, option });
  };
  if (settings.sections.has('global'))
    add('supervisord', supervisordScript(python.interpreter, settings.part, settings.conf), 0o755, 'sections');
  // supervisorctl carries the password on its command line.
  if (settings.sections.has('ctl')) {
    add(
      'supervisorctl',
      supervisorctlScript(python.interpreter, settings.part, control),
      settings.password === '' ? 0o755 : 0o700,
      'sections',
    );
  }
  for (const script of python.consoleScripts) {
    const entryPoint = parseEntryPoint(script.entryPoint);
    if (scripts.some(({ name }) => name === script.name) || entryPoint === undefined || script.name.includes('/')) {
      skipped.push(
        `not generating bin/${script.name} (${script.entryPoint}): ${entryPoint === undefined ? 'not a module:function entry point' : 'the name is taken'}`,
      );
      continue;
    }
    add(script.name, consoleScript(python.interpreter, settings.part, entryPoint), 0o755, 'plugins');
  }
  return { scripts, skipped };
}

export type ScriptTarget = Pick<PlannedScript, 'name' | 'path' | 'option'>;

/** supervisord and supervisorctl, as `sections` asks: known before the Python environment is (so checked first), and recorded with `settings`. */
export function fixedScripts(settings: SupervisorSettings): ScriptTarget[] {
  const names = [...(settings.sections.has('global') ? ['supervisord'] : []), ...(settings.sections.has('ctl') ? ['supervisorctl'] : [])];
  return names.map((name) => ({ name, path: join(settings.binDirectory, name), option: 'sections' }));
}

/** The scripts the part recorded when it was installed with `settings` (its console scripts carry its mark). */
export function recordedScripts(settings: SupervisorSettings): Set<string> {
  return new Set(fixedScripts(settings).map((script) => script.path));
}

/** Before anything is written: an error for the first script that would overwrite a file that is not the part's. */
export function refuseForeignScripts(part: Part, scripts: readonly ScriptTarget[], recorded: ReadonlySet<string>): void {
  for (const { path, option, name } of scripts) {
    let stats: ReturnType<typeof lstatSync>;
    try {
      stats = lstatSync(path);
    } catch {
      continue; // not there (or not readable: writing it says why)
    }
    const refuse = (problem: string, hint: string): never => {
      throw supervisorError(SupervisorErrorCodes.BAD_OPTION, { part: part.name, option }, problem, hint);
    };
    const leaveOut =
      option === 'sections'
        ? `, or leave bin/${name} out (sections without ${name === 'supervisord' ? 'global' : 'ctl'})`
        : ', or leave out the plugin that has this console script';
    if (!stats.isFile()) {
      refuse(`${path} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a file'}; it is left alone`, `move it away${leaveOut}`);
    }
    if (recorded.has(path)) continue;
    let generator: string | undefined;
    try {
      generator = generatedFor(readFileSync(path, 'utf8'));
    } catch {
      continue; // not readable: writing it says why
    }
    if (generator === part.name) continue;
    if (generator !== undefined) {
      refuse(
        `${path} is the script of part ${generator}; it is left alone (two parts cannot share a script)`,
        `leave it out of one of the parts${option === 'sections' ? ` (sections without ${name === 'supervisord' ? 'global' : 'ctl'})` : ''}`,
      );
    }
    refuse(
      `${path} exists and is not a script this part generated; it is left alone (the part would overwrite it, and remove it with the part)`,
      `move it away (or rename it) and run buildout again${leaveOut}`,
    );
  }
}
