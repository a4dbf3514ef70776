/** What a run killed half-way left: an update's new paths are kept on the record, an unfinished install's are removed. */
import type { PartEnvironment } from './part.js';
import type { RemovalGuard } from './removal.js';
import { guardLog } from './run.js';
import type { InstalledPart, InterruptedPart } from './state.js';

export function repairInterrupted(
  guard: RemovalGuard,
  state: Map<string, InstalledPart>,
  interrupted: readonly InterruptedPart[],
  environment: PartEnvironment,
): void {
  for (const { part, paths } of interrupted) {
    const recorded = state.get(part);
    if (recorded) {
      state.set(part, { ...recorded, installed: [...new Set([...recorded.installed, ...paths])] });
      continue;
    }
    environment.log({ level: 'info', part, message: 'removing what it created in an earlier run that was interrupted' });
    for (const path of paths) guard.remove(path, part, guardLog(environment));
  }
}
