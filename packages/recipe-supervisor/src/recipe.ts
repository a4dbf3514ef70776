/**
 * The collective.recipe.supervisor recipe: supervisord.conf, the
 * supervisord / supervisorctl / plugin scripts in bin/, the log directory,
 * and a virtualenv when the configured Python lacks supervisor or a plugin.
 * A running supervisord of the part is kept in step with what is written
 * (see apply-changes.ts) and stopped when the part is removed.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { defineRecipe, writeFileAtomic, type Part } from '@buildout/engine';
import { applyChanges } from './apply-changes.js';
import { refuseForeignConf } from './conf-target.js';
import { listenerWarnings, programWarnings } from './build-checks.js';
import { readDeployedConf } from './deployed-conf.js';
import { defaultConfPath, listensOnAllInterfaces, misspeltOptions, type SupervisorSettings } from './options.js';
import { handOver, preparePart, previousConf, readIfExists, releaseOldEnvironments, removePart } from './part-lifecycle.js';
import { controlSettings, layoutOf, settingsOf, supervisorctlCommand } from './part-settings.js';
import { commandLine, supervisordOfPidfile, supervisordState } from './running-supervisord.js';
import { fixedScripts, plannedScripts, recordedScripts, refuseForeignScripts } from './script-target.js';
import { supervisordConf } from './supervisord-conf.js';

/** Writes `text` unless the file already holds it with that mode; says whether it wrote. */
async function writeIfChanged(path: string, text: string, mode: number): Promise<boolean> {
  try {
    const [current, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    if (current === text && (info.mode & 0o777) === mode) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await writeFileAtomic(path, text, { mode });
  return true;
}

/**
 * install and update do the same: write what changed, then tell a running
 * supervisord. A reinstall (changed options) tells it even when the file
 * stays the same: an earlier `on-change = none` may have left it behind.
 */
async function deploy(part: Part, action: 'install' | 'update'): Promise<string[]> {
  // Everything that can be refused is worked out before anything is written.
  const settings = settingsOf(part);
  refuseForeignConf(part, settings.conf, action === 'update');
  const recordedPaths = action === 'update' ? recordedScripts(settings) : new Set<string>();
  refuseForeignScripts(part, fixedScripts(settings), recordedPaths);
  const conf = supervisordConf(settings);
  const control = controlSettings(settings);
  if (listensOnAllInterfaces(settings)) {
    part.log.warn(
      `port = ${settings.port} makes supervisord listen on every network interface; write 127.0.0.1:${settings.port.replace(/^.*:/, '')} to listen on this machine only`,
    );
  }
  // What the running supervisord was started with: the file on disk, or what the
  // uninstall before this reinstall read before the engine removed it.
  const previous = previousConf(part, settings);
  const before = previous === undefined ? undefined : readDeployedConf(previous.path, previous.text);
  const ownPid = supervisordOfPidfile(before?.pidfile ?? settings.pidfile);
  for (const warning of [...listenerWarnings(settings, ownPid), ...programWarnings(settings)]) part.log.warn(warning);

  const python = await preparePart(part, settings, conf);
  // The plugins' console scripts are known once their environment is.
  const { scripts, skipped } = plannedScripts(settings, control, python);
  refuseForeignScripts(part, scripts, recordedPaths);
  for (const warning of skipped) part.log.warn(warning);

  const created: string[] = [];
  const creating = (path: string): void => {
    part.created(path);
    created.push(path);
  };
  creating(settings.conf);
  // Owner only, password or not: a program's command or environment may hold a secret (`${db:password}`).
  if (await writeIfChanged(settings.conf, conf, 0o600)) part.log.info(`Wrote ${settings.conf}`);

  if (scripts.length > 0) await mkdir(settings.binDirectory, { recursive: true });
  for (const { path, text, mode } of scripts) {
    creating(path);
    if (await writeIfChanged(path, text, mode)) part.log.info(`Generated script '${path}'.`);
  }

  let runningInterpreter: string | undefined;
  const confChanged = previous?.text !== conf;
  if (before !== undefined && (confChanged || action === 'install')) {
    const state = await supervisordState(before);
    if (state.kind === 'running') runningInterpreter = state.interpreter;
    await applyChanges({
      state,
      before,
      after: readDeployedConf(settings.conf, conf),
      onChange: settings.onChange,
      supervisorctl: supervisorctlCommand(settings),
      log: part.log,
      quietWhenInStep: !confChanged,
    });
  } else if (ownPid !== undefined) {
    runningInterpreter = commandLine(ownPid)?.[0];
  }
  if (runningInterpreter !== undefined && runningInterpreter !== python.interpreter) {
    const bin = settings.binDirectory;
    part.log.warn(
      `supervisord (pid ${ownPid}) runs with ${runningInterpreter}, not the new Python environment ${python.interpreter}; it takes effect once supervisord starts again: ${bin}/supervisorctl shutdown, then ${bin}/supervisord`,
    );
  }
  await releaseOldEnvironments(settings, python, runningInterpreter);
  return created;
}

export default defineRecipe({
  // supervisorctl's password (it is also written into supervisord.conf, which is the point).
  secretOptions: ['password'],
  init(part) {
    for (const [given, meant] of misspeltOptions(part.options)) {
      part.log.warn(`unknown option ${given}; did you mean ${meant}?`, { option: given });
    }
    if (!part.options['supervisord-conf']) part.options['supervisord-conf'] = defaultConfPath(part.name, layoutOf(part));
    // Refuse bad lines and values now, before any part is installed.
    const settings = settingsOf(part);
    supervisordConf(settings);
    controlSettings(settings);
  },
  install: (part) => deploy(part, 'install'),
  update: (part) => deploy(part, 'update'),
  async uninstall(part) {
    let settings: SupervisorSettings;
    try {
      settings = settingsOf(part);
    } catch {
      return; // recorded options that no longer read; there is no pid file to look at
    }
    if (await handOver(part, settings, readIfExists(settings.conf))) return;
    await removePart(part, settings, readIfExists(settings.conf) ?? supervisordConf(settings));
  },
});
