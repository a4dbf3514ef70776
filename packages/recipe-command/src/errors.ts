/** The error codes of the command and workspace recipes (recipe codes carry the recipe's prefix). */
export const CommandErrorCodes = {
  /** The command exited with a non-zero code, was killed, or could not be started. */
  COMMAND_FAILED: 'COMMAND_FAILED',
  /** The run was interrupted (SIGINT, SIGTERM, SIGHUP) while the command ran; it was stopped. */
  COMMAND_INTERRUPTED: 'COMMAND_INTERRUPTED',
  /** An option is missing, contradicts another, or cannot be read. */
  COMMAND_BAD_OPTION: 'COMMAND_BAD_OPTION',
  /** A cache entry a restore had started from went missing or turned out damaged half-way (the part fails; the next run redoes it). */
  COMMAND_CACHE_DAMAGED: 'COMMAND_CACHE_DAMAGED',
  /** No package globs: no `packages` option and no pnpm-workspace.yaml. */
  WORKSPACE_NO_PACKAGES: 'WORKSPACE_NO_PACKAGES',
  /** pnpm-workspace.yaml or a package.json cannot be read. */
  WORKSPACE_BAD_FILE: 'WORKSPACE_BAD_FILE',
  /** Two packages would make parts of the same name, or a name is taken. */
  WORKSPACE_NAME_CLASH: 'WORKSPACE_NAME_CLASH',
} as const;
