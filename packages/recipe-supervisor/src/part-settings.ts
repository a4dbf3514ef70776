/**
 * The part's settings as the recipe's hooks read them: its options (or, in
 * the uninstall of a part about to be reinstalled, its new ones) with the
 * buildout's folders.
 */
import { dirname, join, resolve } from 'node:path';
import type { Part } from '@buildout/engine';
import { supervisorError, SupervisorErrorCodes } from './errors.js';
import { readSettings, type BuildoutLayout, type SupervisorSettings } from './options.js';
import { expandHere } from './percent-format.js';
import type { ControlSettings } from './scripts.js';

export function buildoutOption(part: Part, key: string): string | undefined {
  return part.buildout.getOptional('buildout', key);
}

export function layoutOf(part: Part): BuildoutLayout {
  return {
    directory: part.directory,
    binDirectory: resolve(part.directory, buildoutOption(part, 'bin-directory') ?? 'bin'),
    partsDirectory: resolve(part.directory, buildoutOption(part, 'parts-directory') ?? 'parts'),
  };
}

export function settingsOf(part: Part, options: Readonly<Record<string, string | undefined>> = part.options): SupervisorSettings {
  return readSettings(part.name, options, layoutOf(part));
}

/**
 * The user, password and URL as supervisorctl's command line needs them:
 * literal, where the configuration file holds them %-escaped.
 */
export function controlSettings(settings: SupervisorSettings): ControlSettings {
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

/** How to run supervisorctl for this part, for messages. */
export function supervisorctlCommand(settings: SupervisorSettings): string {
  return settings.sections.has('ctl') ? join(settings.binDirectory, 'supervisorctl') : `supervisorctl -c ${settings.conf}`;
}
