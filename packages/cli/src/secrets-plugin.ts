import type { EnginePlugin } from '@buildout/engine';
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
      redactor.beforeError(() => redactor.learnSecretOptions(engine, engine.buildout.sectionNames()));
    },
  };
}
