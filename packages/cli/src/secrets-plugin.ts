import type { EnginePlugin } from '@buildout/engine';
import type { Redactor } from './redact.js';

/** Tells the redactor, once the plan is made, which options the parts' recipes declare secret and what their values are. */
export function secretsPlugin(redactor: Redactor): EnginePlugin {
  return {
    name: 'secrets',
    apply(engine) {
      if (!redactor.enabled) return;
      engine.hooks.planMade.tap('secrets', (plan) => redactor.learnPlan(plan, engine));
    },
  };
}
