/**
 * The collective.recipe.supervisor recipe: supervisord.conf, the
 * supervisord / supervisorctl / plugin scripts in bin/, the log directory,
 * and a virtualenv when the configured Python lacks supervisor or a plugin.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { defineRecipe, writeFileAtomic, type Part } from '@buildout/engine';
import { supervisordComplaint } from './config-check.js';
import { supervisorError, SupervisorErrorCodes } from './errors.js';
import {
  defaultConfPath,
  listensOnAllInterfaces,
  misspeltOptions,
  readSettings,
  type BuildoutLayout,
  type SupervisorSettings,
} from './options.js';
import { expandHere } from './percent-format.js';
import { preparePythonEnvironment, type PythonEnvironment } from './python-env.js';
import { consoleScript, parseEntryPoint, supervisorctlScript, supervisordScript, type ControlSettings } from './scripts.js';
import { supervisordConf } from './supervisord-conf.js';

function buildoutOption(part: Part, key: string): string | undefined {
  return part.buildout.getOptional('buildout', key);
}

function layoutOf(part: Part): BuildoutLayout {
  return {
    directory: part.directory,
    binDirectory: resolve(part.directory, buildoutOption(part, 'bin-directory') ?? 'bin'),
    partsDirectory: resolve(part.directory, buildoutOption(part, 'parts-directory') ?? 'parts'),
  };
}

function settingsOf(part: Part): SupervisorSettings {
  return readSettings(part.name, part.options, layoutOf(part));
}

/**
 * The user, password and URL as supervisorctl's command line needs them:
 * literal, where the configuration file holds them %-escaped.
 */
function controlSettings(settings: SupervisorSettings): ControlSettings {
  const here = dirname(settings.conf);
  const literal = (option: string, value: string): string => {
    const expanded = expandHere(value, here);
    if (expanded === undefined) {
      throw supervisorError(
        SupervisorErrorCodes.BAD_OPTION,
        { part: settings.part, option },
        `${JSON.stringify(value)} uses a %(...)s expansion that the supervisorctl script cannot make (only %(here)s and %%)`,
      );
    }
    return expanded;
  };
  return {
    conf: settings.conf,
    user: literal('user', settings.user),
    password: literal('password', settings.password),
    serverurl: literal('serverurl', settings.serverurl),
  };
}

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

/** install and update do the same; update keeps a virtualenv that still has everything. */
async function deploy(part: Part, mode: 'install' | 'update'): Promise<string[]> {
  // Everything that can be refused is worked out before anything is written.
  const settings = settingsOf(part);
  const conf = supervisordConf(settings);
  const control = controlSettings(settings);
  if (listensOnAllInterfaces(settings)) {
    part.log.warn(
      `port = ${settings.port} makes supervisord listen on every network interface; write 127.0.0.1:${settings.port.replace(/^.*:/, '')} to listen on this machine only`,
    );
  }

  const created: string[] = [];
  const creating = (path: string): void => {
    part.created(path);
    created.push(path);
  };
  // The part's own folder belongs to it (and goes with it) when this run makes it,
  // unless logs would live in it.
  const claimPartDirectory = (): void => {
    if (existsSync(settings.partDirectory) || created.includes(settings.partDirectory)) return;
    const logPaths = [settings.logfile, settings.pidfile, settings.childlogdir ?? ''];
    if (logPaths.some((path) => path.startsWith(`${settings.partDirectory}/`))) return;
    creating(settings.partDirectory);
  };

  const python = await preparePythonEnvironment({
    part: part.name,
    python: settings.python,
    plugins: settings.plugins,
    buildoutDirectory: settings.buildoutDirectory,
    virtualenvDirectory: join(settings.partDirectory, 'venv'),
    offline: part.offline,
    index: buildoutOption(part, 'index'),
    findLinks: (buildoutOption(part, 'find-links') ?? '').split(/\s+/).filter((link) => link !== ''),
    reuseVirtualenv: mode === 'update',
    log: part.log,
    creating: (path) => {
      claimPartDirectory();
      creating(path);
    },
  });

  if (settings.sections.has('global')) {
    const folders = [
      dirname(settings.logfile),
      dirname(settings.pidfile),
      ...(settings.childlogdir === undefined ? [] : [settings.childlogdir]),
    ];
    // Paths starting with %(here)s are supervisord's to resolve.
    for (const folder of folders) if (!folder.startsWith('%(')) await mkdir(folder, { recursive: true });
  }

  const confDirectory = dirname(settings.conf);
  if (confDirectory === settings.partDirectory) claimPartDirectory();
  await mkdir(confDirectory, { recursive: true });
  const confUnchanged = existsSync(settings.conf) && readFileSync(settings.conf, 'utf8') === conf;
  if (!confUnchanged) {
    const complaint = await supervisordComplaint(python.interpreter, settings.conf, conf, settings.sections.has('global'));
    if (complaint !== undefined) {
      throw supervisorError(
        SupervisorErrorCodes.CONFIG_REJECTED,
        { part: part.name },
        `supervisord refuses the generated configuration: ${complaint}`,
        'fix the option it names; the configuration and the scripts were not written',
      );
    }
  }
  const holdsPassword = settings.password !== '';
  creating(settings.conf);
  if (await writeIfChanged(settings.conf, conf, holdsPassword ? 0o600 : 0o644)) part.log.info(`Wrote ${settings.conf}`);

  const scripts = scriptsOf(settings, control, python, part);
  if (scripts.length > 0) await mkdir(settings.binDirectory, { recursive: true });
  for (const [name, text, scriptMode] of scripts) {
    const path = join(settings.binDirectory, name);
    creating(path);
    if (await writeIfChanged(path, text, scriptMode)) part.log.info(`Generated script '${path}'.`);
  }

  // Folders last, so that whoever removes these paths in order meets files before their folders.
  const folders = [python.virtualenv, settings.partDirectory].filter(
    (path): path is string => path !== undefined && created.includes(path),
  );
  return [...created.filter((path) => !folders.includes(path)), ...folders];
}

function scriptsOf(
  settings: SupervisorSettings,
  control: ControlSettings,
  python: PythonEnvironment,
  part: Part,
): Array<[name: string, text: string, mode: number]> {
  const scripts: Array<[string, string, number]> = [];
  if (settings.sections.has('global'))
    scripts.push(['supervisord', supervisordScript(python.interpreter, part.name, settings.conf), 0o755]);
  // supervisorctl carries the password on its command line.
  if (settings.sections.has('ctl')) {
    scripts.push(['supervisorctl', supervisorctlScript(python.interpreter, part.name, control), settings.password === '' ? 0o755 : 0o700]);
  }
  for (const script of python.consoleScripts) {
    const entryPoint = parseEntryPoint(script.entryPoint);
    if (scripts.some(([name]) => name === script.name) || entryPoint === undefined || script.name.includes('/')) {
      part.log.warn(
        `not generating bin/${script.name} (${script.entryPoint}): ${entryPoint === undefined ? 'not a module:function entry point' : 'the name is taken'}`,
      );
      continue;
    }
    scripts.push([script.name, consoleScript(python.interpreter, part.name, entryPoint), 0o755]);
  }
  return scripts;
}

/** The pid in the part's pid file when that process is a running supervisord. */
function runningSupervisord(settings: SupervisorSettings): number | undefined {
  try {
    const pid = Number(readFileSync(settings.pidfile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('supervisord') ? pid : undefined;
  } catch {
    return undefined;
  }
}

export default defineRecipe({
  // supervisorctl's password (it is also written into supervisord.conf, which is the point).
  secretOptions: ['password'],
  init(part) {
    for (const [given, meant] of misspeltOptions(part.options)) {
      part.log.warn(`part ${part.name}: unknown option ${given}; did you mean ${meant}?`);
    }
    if (!part.options['supervisord-conf']) part.options['supervisord-conf'] = defaultConfPath(part.name, layoutOf(part));
    // Refuse bad lines and values now, before any part is installed.
    const settings = settingsOf(part);
    supervisordConf(settings);
    controlSettings(settings);
  },
  install: (part) => deploy(part, 'install'),
  update: (part) => deploy(part, 'update'),
  uninstall(part) {
    let settings: SupervisorSettings;
    try {
      settings = settingsOf(part);
    } catch {
      return; // recorded options that no longer read; there is no pid file to look at
    }
    const pid = runningSupervisord(settings);
    if (pid !== undefined) {
      part.log.warn(
        `supervisord (pid ${pid}) is still running with the configuration of part ${part.name}, whose scripts are removed now; stop it with: kill ${pid}`,
      );
    }
  },
});
