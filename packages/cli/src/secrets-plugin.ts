import type { Buildout } from '@buildout/config';
import { createEngine, type EnginePlugin } from '@buildout/engine';
import { bundledRecipePackages } from './bundled-recipes.js';
import type { Redactor } from './redact.js';

/**
 * Tells the redactor which options are secret and what their values are, as the engine learns them: a part's
 * before one of its log lines is printed (an init may have just set them), every part's once the plan is made
 * and again before an error is printed (one raised in the init that set them).
 */
export function secretsPlugin(redactor: Redactor): EnginePlugin {
  return {
    name: 'secrets',
    apply(engine) {
      if (!redactor.enabled) return;
      engine.hooks.log.tap('secrets', ({ part }) => {
        if (part !== undefined) redactor.learnSecretOptions(engine, [part]);
      });
      engine.hooks.planMade.tap('secrets', (plan) => redactor.learnPlan(plan, engine));
      // A part taken out of the configuration is uninstalled with the options recorded for it, which nothing else knows.
      engine.hooks.beforePart.for('uninstall').tap('secrets', ({ name, part, recipe }) => {
        redactor.learnRecorded(name, part.options, recipe?.recipe.secretOptions ?? []);
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
