import type { Command } from '../command.js';
import { annotate } from './annotate.js';
import { graph } from './graph.js';
import { init } from './init.js';
import { install, plan } from './install.js';
import { query } from './query.js';

/** Every command, in the order `--help` lists them. */
export const commands: readonly Command[] = [install, plan, graph, annotate, query, init];

export const DEFAULT_COMMAND = 'install';
