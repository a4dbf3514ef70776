export * from './recipe-api.js';
export { BuildoutError, isBuildoutError, isSecretOptionName, type SourceLocation } from '@buildout/config';
export {
  createEngine,
  Engine,
  type EngineOptions,
  type EnginePlugin,
  type InstallRequest,
  type InstallResult,
  type PlanRequest,
} from './engine.js';
/** The CLI tells an interruption (INTERRUPTED) from a failure by its code. */
export { EngineErrorCodes } from './errors.js';
export {
  RECIPE_RUNNER,
  type EngineHooks,
  type LogLevel,
  type LogRecord,
  type PartAction,
  type PartFinished,
  type PartOutcome,
  type PartRun,
  type RunFailure,
  type RunSummary,
} from './hooks.js';
export type { OptionChange, Plan, PlannedStep, StepAction, StepReason } from './plan.js';
export type { LoadedRecipe } from './recipe-loader.js';
export { createStandalonePart, type DefinedSection, type StandalonePart } from './part.js';
export { parseInstalledCfg, type InstalledPart } from './state.js';
export { setEngineModule } from './modules.js';
export { recipeCallsFailedWhenIdle, strayErrorAfterRun } from './recipe-watch.js';
