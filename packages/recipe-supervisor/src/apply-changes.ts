/**
 * Brings a running supervisord in step with a rewritten configuration, as
 * `supervisorctl reread` + `update` do: reloadConfig, then the removed groups
 * stop and go, the changed ones stop and come back (restarted), the added
 * ones come (supervisord starts their autostart programs). Server settings
 * only a restart applies are reported, or applied with `on-change = reload`.
 */
import type { Logger } from '@buildout/engine';
import { changedServerSettings, type DeployedConf } from './deployed-conf.js';
import type { SupervisordState } from './running-supervisord.js';
import { callSupervisor, Faults, STOPPING_CALL_MS, SupervisorFault, type Connection } from './supervisor-rpc.js';

export const ON_CHANGE_MODES = ['update', 'reload', 'none'] as const;
export type OnChange = (typeof ON_CHANGE_MODES)[number];

export interface ChangeRequest {
  readonly state: SupervisordState;
  /** The configuration the running supervisord was started with, and the one just written. */
  readonly before: DeployedConf;
  readonly after: DeployedConf;
  readonly onChange: OnChange;
  /** `bin/supervisorctl` (or undefined when the part writes none), for the commands suggested in messages. */
  readonly supervisorctl: string;
  readonly log: Logger;
  /** Say nothing when supervisord turns out to be in step already (the file did not change). */
  readonly quietWhenInStep?: boolean;
}

/** What the run did, in the order it did it; for the one report line. */
interface Report {
  readonly started: string[];
  readonly restarted: string[];
  readonly removed: string[];
  readonly problems: string[];
}

export async function applyChanges(request: ChangeRequest): Promise<void> {
  const { state, log, supervisorctl } = request;
  if (state.kind === 'not-running') return;
  if (request.onChange === 'none') {
    if (request.quietWhenInStep) return;
    log.info(`supervisord (pid ${state.pid}) left as it is (on-change = none); apply the change with: ${supervisorctl} update`);
    return;
  }
  if (state.kind === 'silent') {
    if (request.quietWhenInStep) return;
    log.warn(
      `supervisord (pid ${state.pid}) runs with this part's pid file but does not answer (${state.reason}); apply the change with: ${supervisorctl} update`,
    );
    return;
  }
  const serverChanges = changedServerSettings(request.before, request.after);
  try {
    if (serverChanges.length > 0 && request.onChange === 'reload') {
      await callSupervisor(state.connection, 'supervisor.restart');
      log.info(`reloaded supervisord (pid ${state.pid}): ${describeSettings(serverChanges)} changed; every program restarts`);
      return;
    }
    const report = await update(state.connection);
    const didSomething = report.started.length + report.restarted.length + report.removed.length > 0;
    if (didSomething || !request.quietWhenInStep) log.info(describeReport(report));
    for (const problem of report.problems) log.warn(problem);
    if (serverChanges.length > 0) {
      log.warn(
        `${describeSettings(serverChanges)} changed, which supervisord reads only when it starts; apply with: ${supervisorctl} reload (restarts every program), or set on-change = reload`,
      );
    }
  } catch (error) {
    const reason =
      error instanceof SupervisorFault && error.faultCode === Faults.SHUTDOWN_STATE ? 'it is shutting down' : (error as Error).message;
    log.warn(`supervisord (pid ${state.pid}) did not take the change (${reason}); apply it with: ${supervisorctl} update`);
  }
}

type StopResults = Array<{ status: number; name: string; description: string }>;

async function update(connection: Connection): Promise<Report> {
  const report: Report = { started: [], restarted: [], removed: [], problems: [] };
  const [[added, changed, removed]] = await callSupervisor<[[string[], string[], string[]]]>(connection, 'supervisor.reloadConfig');
  // All groups that go or change stop at once: each stop waits for supervisord to see its programs exit.
  const stopping = [...removed, ...changed];
  const stopped = await Promise.all(
    stopping.map((group) => callSupervisor<StopResults>(connection, 'supervisor.stopProcessGroup', [group, true], STOPPING_CALL_MS)),
  );
  for (const [index, group] of stopping.entries()) {
    const failed = stopped[index]!.filter((result) => result.status === Faults.FAILED);
    if (failed.length > 0) {
      report.problems.push(`${group} did not stop (${failed.map((result) => result.description).join('; ')}); it is left as it is`);
      continue;
    }
    await callSupervisor(connection, 'supervisor.removeProcessGroup', [group]);
    if (removed.includes(group)) report.removed.push(group);
    else {
      await callSupervisor(connection, 'supervisor.addProcessGroup', [group]);
      report.restarted.push(group);
    }
  }
  for (const group of added) {
    await callSupervisor(connection, 'supervisor.addProcessGroup', [group]);
    report.started.push(group);
  }
  return report;
}

function describeReport(report: Report): string {
  const items = [
    ...report.started.map((group) => `started ${group}`),
    ...report.restarted.map((group) => `restarted ${group}`),
    ...report.removed.map((group) => `removed ${group}`),
  ];
  return items.length === 0 ? 'supervisord has every program as configured' : items.join(', ');
}

function describeSettings(keys: readonly string[]): string {
  return keys.length <= 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more`;
}
