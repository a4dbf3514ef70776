/**
 * What happens around a change of the part. The engine reinstalls a changed
 * part as uninstall (which removes its recorded files) then install; for a
 * running supervisord that must not look like a removal. So the uninstall of
 * a part that is still wanted (still in `parts`, same recipe) is a hand-over:
 * it builds and checks everything the new options need (virtualenv,
 * supervisor's own parser) while the old files are still there, so that a
 * refusal changes nothing, and keeps for the install the configuration the
 * running supervisord was started with. Only a real removal stops
 * supervisord and removes the virtualenvs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Part } from '@buildout/engine';
import { supervisordComplaint } from './config-check.js';
import { refuseForeignConf } from './conf-target.js';
import { readDeployedConf } from './deployed-conf.js';
import { supervisorError, SupervisorErrorCodes } from './errors.js';
import type { SupervisorSettings } from './options.js';
import { buildoutOption, controlSettings, settingsOf } from './part-settings.js';
import { preparePythonEnvironment, VIRTUALENV_PREFIX, type PythonEnvironment } from './python-env.js';
import { commandLine, stopSupervisord, supervisordState } from './running-supervisord.js';
import { fixedScripts, plannedScripts, recordedScripts, refuseForeignScripts } from './script-target.js';
import { supervisordConf } from './supervisord-conf.js';

interface PreviousConf {
  readonly path: string;
  readonly text: string;
}

// Per part (buildout directory and name), for the length of one run: what an
// uninstall hands to the install that follows it.
const handovers = new Map<string, PreviousConf>();
const prepared = new Map<string, { readonly conf: string; readonly environment: string; readonly python: PythonEnvironment }>();

function keyOf(part: Part): string {
  return `${part.directory}\0${part.name}`;
}

export function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** The configuration the part's running supervisord (if any) was started with: handed over, or on disk. */
export function previousConf(part: Part, settings: SupervisorSettings): PreviousConf | undefined {
  const key = keyOf(part);
  const handed = handovers.get(key);
  handovers.delete(key);
  if (handed !== undefined) return handed;
  const text = readIfExists(settings.conf);
  return text === undefined ? undefined : { path: settings.conf, text };
}

/** This uninstall is the first half of a reinstall by this same recipe (not by another one the part now names). */
function stillWanted(part: Part): boolean {
  return part.reinstalling && part.buildout.getOptional(part.name, 'recipe') === part.options.recipe;
}

/**
 * For the uninstall hook: when the part is about to be reinstalled, prepares
 * the new options (throwing, before anything is removed, what the install
 * would throw) and keeps the deployed configuration for the install. Says
 * whether it did.
 */
export async function handOver(part: Part, recorded: SupervisorSettings, deployedText: string | undefined): Promise<boolean> {
  if (!stillWanted(part)) return false;
  const next = settingsOf(part, part.buildout.options(part.name));
  refuseForeignConf(part, next.conf, next.conf === recorded.conf);
  const recordedPaths = recordedScripts(recorded);
  refuseForeignScripts(part, fixedScripts(next), recordedPaths);
  const python = await preparePart(part, next, supervisordConf(next));
  refuseForeignScripts(part, plannedScripts(next, controlSettings(next), python).scripts, recordedPaths);
  if (deployedText !== undefined) handovers.set(keyOf(part), { path: recorded.conf, text: deployedText });
  return true;
}

/**
 * Everything the configuration needs before it is written: the Python
 * environment, the log folders, and supervisor's own parser's approval
 * (unless the file already holds this text). Done once per run and part.
 */
export async function preparePart(part: Part, settings: SupervisorSettings, conf: string): Promise<PythonEnvironment> {
  const request = {
    part: part.name,
    python: settings.python,
    plugins: settings.plugins,
    buildoutDirectory: settings.buildoutDirectory,
    virtualenvParent: settings.partDirectory,
    offline: part.offline,
    index: buildoutOption(part, 'index'),
    findLinks: (buildoutOption(part, 'find-links') ?? '').split(/\s+/).filter((link) => link !== ''),
  };
  // What was prepared for other plugins (a run refused after preparing) is not this environment.
  const environment = JSON.stringify(request);
  const key = keyOf(part);
  const done = prepared.get(key);
  prepared.delete(key);
  // (A virtualenv prepared by the uninstall is gone when the engine removed a folder recorded by an older release.)
  if (done?.conf === conf && done.environment === environment && existsSync(done.python.interpreter)) return done.python;

  const python = await preparePythonEnvironment({ ...request, log: part.log });
  if (settings.sections.has('global')) {
    const folders = [
      dirname(settings.logfile),
      dirname(settings.pidfile),
      ...(settings.childlogdir === undefined ? [] : [settings.childlogdir]),
    ];
    // Paths starting with %(here)s are supervisord's to resolve.
    for (const folder of folders) if (!folder.startsWith('%(')) await mkdir(folder, { recursive: true });
  }
  const madeFolder = await mkdir(dirname(settings.conf), { recursive: true });
  if (readIfExists(settings.conf) !== conf) {
    const complaint = await supervisordComplaint(python.interpreter, settings.conf, conf, settings.sections.has('global'));
    if (complaint !== undefined) {
      // The configuration's folder, when made just now for the check, holds nothing.
      if (madeFolder !== undefined) await rmdir(dirname(settings.conf)).catch(() => {});
      throw supervisorError(
        SupervisorErrorCodes.CONFIG_REJECTED,
        { part: part.name },
        `supervisord refuses the generated configuration: ${complaint}`,
        'fix the option it names; nothing was changed (the configuration, the scripts and a running supervisord are as they were)',
      );
    }
  }
  prepared.set(key, { conf, environment, python });
  return python;
}

/** The part's virtualenvs, as folders. */
function virtualenvsOf(settings: SupervisorSettings): string[] {
  if (!existsSync(settings.partDirectory)) return [];
  return readdirSync(settings.partDirectory)
    .filter((name) => name.startsWith(VIRTUALENV_PREFIX))
    .map((name) => join(settings.partDirectory, name));
}

function runsFrom(interpreter: string | undefined, venv: string): boolean {
  return interpreter?.startsWith(`${venv}/`) === true;
}

/** Removes the part's virtualenvs other than the one in use and the one a running supervisord still runs from. */
export async function releaseOldEnvironments(
  settings: SupervisorSettings,
  python: PythonEnvironment,
  runningInterpreter: string | undefined,
): Promise<void> {
  for (const venv of virtualenvsOf(settings)) {
    if (venv !== python.virtualenv && !runsFrom(runningInterpreter, venv)) await rm(venv, { recursive: true, force: true });
  }
}

/**
 * For the uninstall hook, when the part goes: its supervisord is shut down
 * (unless stop-on-uninstall = false), then its virtualenvs and its folder go
 * (what a supervisord left running still runs from stays).
 */
export async function removePart(part: Part, settings: SupervisorSettings, confText: string): Promise<void> {
  // What an earlier install of this process prepared goes with the part's folder.
  prepared.delete(keyOf(part));
  const deployed = readDeployedConf(settings.conf, confText);
  const state = await supervisordState(deployed);
  let keptInterpreter: string | undefined;
  if (state.kind === 'silent' && state.evidence === undefined) {
    // A pid file outlives its supervisord; its pid may be anyone's process by now.
    keptInterpreter = commandLine(state.pid)?.[0];
    part.log.warn(
      `not stopping pid ${state.pid} of ${deployed.pidfile}: it does not answer as this part's supervisord (${state.reason}) and nothing else shows it to be; if it is, stop it with: kill ${state.pid}`,
    );
  } else if (state.kind !== 'not-running') {
    if (settings.stopOnUninstall) {
      const problem = await stopSupervisord(state);
      if (problem === undefined) part.log.info(`stopped supervisord (pid ${state.pid}) and its programs`);
      else {
        keptInterpreter = commandLine(state.pid)?.[0];
        part.log.warn(`could not stop supervisord (pid ${state.pid}): ${problem}; stop it with: kill ${state.pid}`);
      }
    } else {
      keptInterpreter = commandLine(state.pid)?.[0];
      part.log.warn(
        `supervisord (pid ${state.pid}) keeps running (stop-on-uninstall = false) with the programs of part ${part.name}, whose configuration and scripts are removed now; stop it with: kill ${state.pid}`,
      );
    }
  }
  for (const venv of virtualenvsOf(settings)) {
    if (runsFrom(keptInterpreter, venv)) part.log.warn(`keeping ${venv}: the supervisord left running uses it`);
    else await rm(venv, { recursive: true, force: true });
  }
  // The configuration is a recorded path the engine removes next; removing it now lets the folder go too.
  if (dirname(settings.conf) === settings.partDirectory) await rm(settings.conf, { force: true });
  await rmdir(settings.partDirectory).catch(() => {});
}
