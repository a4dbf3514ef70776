/**
 * The engine's error codes, and the one place where a thrown value becomes a
 * BuildoutError (as rollup's PluginDriver catches every plugin hook in one
 * place): recipes, extensions and the recipe loader all go through
 * `asBuildoutError`.
 */
import { BuildoutError, isBuildoutError, type SourceLocation } from '@buildout/config';

export const EngineErrorCodes = {
  PART_NOT_FOUND: 'PART_NOT_FOUND',
  PART_CYCLE: 'PART_CYCLE',
  RECIPE_NOT_FOUND: 'RECIPE_NOT_FOUND',
  RECIPE_INVALID: 'RECIPE_INVALID',
  RECIPE_FAILED: 'RECIPE_FAILED',
  /** A recipe's promise never settled: the event loop emptied while it was running. */
  RECIPE_UNSETTLED: 'RECIPE_UNSETTLED',
  EXTENSION_FAILED: 'EXTENSION_FAILED',
  LOCKED: 'LOCKED',
  STATE_CORRUPT: 'STATE_CORRUPT',
  /** Buildout itself could not remove a recorded path (permissions, busy, read-only). */
  REMOVE_FAILED: 'REMOVE_FAILED',
  /** A part, or a part's option, under a name buildout keeps for itself (`[buildout]`, `__buildout_installed__`): .installed.cfg records them. */
  RESERVED_NAME: 'RESERVED_NAME',
  /** A part named `.` or `..`, or with `/` or `\` in its name: recipes keep a part's files in `parts/<name>`. */
  BAD_PART_NAME: 'BAD_PART_NAME',
  /** A part is listed in `parts` but its section has no `recipe` option. */
  NO_RECIPE: 'NO_RECIPE',
  /** The run was stopped by a signal (SIGINT, SIGTERM, SIGHUP). */
  INTERRUPTED: 'INTERRUPTED',
  // recipe and extension packages (recipe-packages.ts)
  /** offline, and the package (or its pinned version) is not installed. */
  PACKAGE_OFFLINE: 'PACKAGE_OFFLINE',
  /** npm could not fetch or install it. */
  PACKAGE_FETCH_FAILED: 'PACKAGE_FETCH_FAILED',
  /** The registry (and find-links) have no such package or version. */
  PACKAGE_NOT_FOUND: 'PACKAGE_NOT_FOUND',
  /** The registry has the package but not the version a [versions] pin names. */
  PACKAGE_VERSION_NOT_FOUND: 'PACKAGE_VERSION_NOT_FOUND',
  /** allow-picked-versions = false and no pin. */
  PACKAGE_NOT_PINNED: 'PACKAGE_NOT_PINNED',
  /** A pin that is not a version, a develop folder without package.json. */
  PACKAGE_BAD_SETTING: 'PACKAGE_BAD_SETTING',
} as const;

export type EngineErrorCode = (typeof EngineErrorCodes)[keyof typeof EngineErrorCodes];

/** Who is to blame for a thrown value, and what they were doing. */
export interface Blame {
  /** The code of the error made from anything that is not a BuildoutError already. */
  readonly code: EngineErrorCode;
  /** What was being done: the start of the message (`install failed`, `recipe x cannot be loaded`). */
  readonly doing?: string | undefined;
  readonly part?: string | undefined;
  readonly location?: SourceLocation | undefined;
  /** For a new error only: a BuildoutError keeps its own hint. */
  readonly hint?: string | undefined;
}

/**
 * A BuildoutError (also one made by another copy of the config package, known
 * by its shape) keeps its code, message and hint and gains the part and
 * location it lacks; anything else becomes `blame.code` with the message
 * `doing: message` and the thrown value as its cause.
 */
export function asBuildoutError(thrown: unknown, blame: Blame): BuildoutError {
  if (isBuildoutError(thrown)) {
    const complete =
      (blame.part === undefined || thrown.part !== undefined) && (blame.location === undefined || thrown.location !== undefined);
    if (complete && thrown instanceof BuildoutError) return thrown;
    return new BuildoutError(thrown.code, thrown.message, {
      location: thrown.location ?? blame.location,
      hint: thrown.hint,
      part: thrown.part ?? blame.part,
      option: thrown.option,
      cause: thrown.cause,
    });
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return new BuildoutError(blame.code, blame.doing === undefined ? message : `${blame.doing}: ${message}`, {
    location: blame.location,
    hint: blame.hint,
    part: blame.part,
    cause: thrown,
  });
}

/** What a part was doing when something threw (a `PartRun`, structurally). */
export interface PartActivity {
  readonly name: string;
  readonly action: string;
  readonly recipe?: { readonly spec: string; readonly file: string } | undefined;
}

/** A failure in a part's recipe call or one of its hooks: `<action> failed: ...`, naming the part and the recipe module. */
export function partFailure(thrown: unknown, run: PartActivity): BuildoutError {
  return asBuildoutError(thrown, {
    code: EngineErrorCodes.RECIPE_FAILED,
    doing: `${run.action} failed`,
    part: run.name,
    hint: run.recipe ? `the error came from recipe ${run.recipe.spec} (${run.recipe.file}); run with -D for its stack trace` : undefined,
  });
}

/** The run was interrupted (SIGINT, SIGTERM, SIGHUP): what finished and what did not start. */
export function interrupted(done: number, notStarted: readonly string[]): BuildoutError {
  return new BuildoutError(EngineErrorCodes.INTERRUPTED, `interrupted: ${done} done, ${notStarted.length} not started`, {
    hint: notStarted.length > 0 ? `not started: ${notStarted.join(' ')}; run buildout again to carry on` : undefined,
  });
}
