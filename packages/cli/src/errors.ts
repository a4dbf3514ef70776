/** The CLI's error codes (the config layer and the engine own theirs). */
export const CliErrorCodes = {
  /** Bad command line: exit code 2. */
  USAGE: 'USAGE',
  /** `buildout init` would overwrite a configuration. */
  CONFIG_EXISTS: 'CONFIG_EXISTS',
  /** `buildout init --recipe` would write into a folder that holds files. */
  FOLDER_EXISTS: 'FOLDER_EXISTS',
} as const;
