/**
 * The interpreter that has supervisor here (Debian's /usr/bin/python3), and
 * whether tests that need real supervisor can run. They skip, saying why,
 * when it is missing, unless BUILDOUT_TEST_REQUIRE_SUPERVISOR=1 (CI), where
 * a missing supervisor is a failure.
 */
import { spawnSync } from 'node:child_process';

export const SUPERVISOR_PYTHON = '/usr/bin/python3';

const probe = spawnSync(SUPERVISOR_PYTHON, ['-c', 'import supervisor.supervisord, supervisor.supervisorctl'], { encoding: 'utf8' });

export const supervisorAvailable = probe.status === 0;

export const supervisorRequired = process.env.BUILDOUT_TEST_REQUIRE_SUPERVISOR === '1';

export const supervisorMissingReason = supervisorAvailable
  ? ''
  : `${SUPERVISOR_PYTHON} cannot import supervisor (${(probe.error?.message ?? probe.stderr.trim().split('\n').pop()) || 'unknown reason'}); install it with: apt-get install supervisor`;

/** Suffix for the title of a describe block that needs supervisor, so the skip reason shows in the report. */
export const needsSupervisor = supervisorAvailable ? '' : ` [skipped: ${supervisorMissingReason}]`;

/** Whether tests needing supervisor skip (true only when it is missing and not required). */
export const skipWithoutSupervisor = !supervisorAvailable && !supervisorRequired;

if (skipWithoutSupervisor) console.warn(`Skipping the tests that need supervisor: ${supervisorMissingReason}`);
