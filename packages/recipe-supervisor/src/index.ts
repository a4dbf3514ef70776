export { default } from './recipe.js';
export { SupervisorErrorCodes } from './errors.js';
export { readSettings, type SupervisorSettings, type BuildoutLayout } from './options.js';
export {
  parsePrograms,
  parseEventListeners,
  parseGroups,
  type ProgramLine,
  type EventListenerLine,
  type GroupLine,
} from './program-lines.js';
export { supervisordConf } from './supervisord-conf.js';
