import type { Buildout } from '@buildout/config';
import { createEngine, type EnginePlugin } from '@buildout/engine';
import { bundledRecipePackages } from './bundled-recipes.js';
import { isPrinted } from './progress.js';
import type { Redactor } from './redact.js';

/**
 * Tells the redactor which options are secret and what their values are, as the engine learns them: a part's
 * before one of its log lines is printed (an init may have just set them), every part's once the plan is made
 * and again before an error is printed (one raised in the init that set them). The options of a part being
 * installed, updated or uninstalled are read from the object its recipe holds: an install may set one (a token
 * it fetched), and a part taken out of the configuration has only the options recorded for it.
 */
export function secretsPlugin(redactor: Redactor, verbosity = 0): EnginePlugin {
  return {
    name: 'secrets',
    apply(engine) {
      if (!redactor.enabled) return;
      const learnOptions = (part: string, options: Readonly<Record<string, string>>): void =>
        redactor.learnRecorded(part, options, engine.secretOptions(part));
      engine.hooks.log.tap('secrets', ({ part, level, options }) => {
        if (part === undefined) return;
        redactor.learnSecretOptions(engine, [part]);
        if (options && isPrinted(level, verbosity)) learnOptions(part, options);
      });
      engine.hooks.planMade.tap('secrets', (plan) => redactor.learnPlan(plan, engine));
      // What an uninstall's recipe prints itself, not through part.log, is masked too: its recorded secrets are known at once.
      engine.hooks.beforePart.for('uninstall').tap('secrets', ({ name, part, recipe }) => {
        redactor.learnRecorded(name, part.options, recipe?.recipe.secretOptions ?? []);
      });
      // A part's failure, before it is printed: the options its recipe holds (no hook runs for the parts that succeed).
      engine.hooks.failure.tap('secrets', ({ run }) => {
        if (run) learnOptions(run.name, run.part.options);
      });
      redactor.beforeError(() => redactor.learnSecretOptions(engine, engine.buildout.sectionNames()));
    },
  };
}

/** For commands that plan nothing (annotate, query): the options the recipes of `sections` declare secret (their modules are loaded, not run), and their values. */
export async function learnDeclaredSecrets(buildout: Buildout, redactor: Redactor, sections: Iterable<string>): Promise<void> {
  if (!redactor.enabled) return;
  const engine = createEngine({ buildout, bundledRecipePackages });
  await engine.loadSecretDeclarations();
  redactor.learnSecretOptions(engine, sections);
}
