/**
 * Checks at build time that warn rather than refuse (the machine may change
 * before supervisord starts): the port or socket already taken by another
 * process, and programs whose command or directory is not there.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { describeOrigin } from './errors.js';
import { describeListener, portListeners, socketListeners } from './listener-check.js';
import type { SupervisorSettings } from './options.js';

/** Warnings about the HTTP server's port or socket; `ownPid` is the part's own running supervisord. */
export function listenerWarnings(settings: SupervisorSettings, ownPid: number | undefined): string[] {
  if (!settings.sections.has('http') || !settings.sections.has('global')) return [];
  const others = (listeners: ReturnType<typeof portListeners>) => listeners.filter((listener) => listener.pid !== ownPid);
  if (settings.httpSocket === 'inet') {
    const port = Number(/(\d+)$/.exec(settings.port)?.[1]);
    const taken = others(portListeners(port, ownPid));
    if (taken.length === 0) return [];
    return [
      `port ${settings.port} is already in use by ${taken.map(describeListener).join(', ')}; this part's supervisord would not start ("Another program is already listening") and bin/supervisorctl would talk to that process instead: choose another port`,
    ];
  }
  if (settings.file.includes('%(')) return [];
  const taken = others(socketListeners(settings.file, ownPid));
  if (taken.length === 0) return [];
  return [
    `the socket ${settings.file} is already in use by ${taken.map(describeListener).join(', ')}; this part's supervisord would not start there and bin/supervisorctl would talk to that process instead: choose another file`,
  ];
}

/** A warning for each `programs` line whose command is not an executable file, or whose directory is not a folder. */
export function programWarnings(settings: SupervisorSettings): string[] {
  const path = settings.envPath ?? process.env.PATH ?? '';
  const warnings: string[] = [];
  for (const program of settings.programs) {
    const problem = commandProblem(program.command, path, settings.buildoutDirectory);
    if (problem !== undefined) warnings.push(`${describeOrigin(program.origin)}: ${problem}`);
    const { directory } = program;
    if (directory !== undefined && !directory.includes('%(') && !isFolder(directory)) {
      warnings.push(
        `${describeOrigin(program.origin)}: the directory ${directory} does not exist; supervisord would fail to start the program`,
      );
    }
  }
  return warnings;
}

function commandProblem(command: string, path: string, buildoutDirectory: string): string | undefined {
  // supervisord expands these itself, when it starts the program.
  if (command.includes('%(')) return undefined;
  if (command.includes('/')) {
    const file = isAbsolute(command) ? command : resolve(buildoutDirectory, command);
    if (!exists(file)) return `the command ${file} does not exist`;
    if (isFolder(file) || !isExecutable(file)) return `the command ${file} is not an executable file`;
    return undefined;
  }
  const found = path
    .split(delimiter)
    .filter((folder) => folder !== '')
    .some((folder) => {
      const file = join(folder, command);
      return exists(file) && !isFolder(file) && isExecutable(file);
    });
  return found ? undefined : `the command ${command} is not found on PATH (${path})`;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
