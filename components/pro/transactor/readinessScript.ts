/**
 * The instance side of the transactor's launch lifecycle hook (see readiness.ts): a script that completes
 * the hook with CONTINUE only once this instance's transactor is the active transactor or a standby, so
 * Auto Scaling counts the instance as in service, and an instance refresh moves on, only then.
 *
 * How the transactor tells: it logs an event each time it acts in either role, through SLF4J at INFO,
 * which Datomic's `bin/logback.xml` writes under `${DATOMIC_LOG_DIR:-log}` (its root logger is at INFO):
 * - the active transactor logs `:transactor/heartbeat` (logger `datomic.lifecycle`) for every heartbeat it
 *   writes to storage;
 * - a standby logs `:transactor/standby` (logger `datomic.lifecycle-ext`) each time it checks the active's
 *   heartbeat, the same check that publishes its `HeartMonitorMsec` metric.
 * Datomic documents the metrics ("a HeartbeatMsec metric for every heartbeat from an active transactor ... a
 * HeartMonitorMsec metric for every check made by a standby transactor", docs.datomic.com/operation/deployment.html,
 * "Monitoring Heartbeat"); the log events are read from the transactor's compiled code (datomic.lifecycle's
 * heartbeat and datomic.lifecycle-ext's standby-loop), so they are *unconfirmed* by Datomic's docs. The metrics
 * carry no instance dimension (both transactors report under `aws-cloudwatch-dimension-value`), so only the log
 * tells this instance's own state.
 *
 * A transactor that never logs either is never marked ready: the hook times out with its default result,
 * ABANDON, and Auto Scaling terminates the instance, which fails the refresh
 * (docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html).
 */

/** The systemd unit that runs the script once per boot. */
export const READY_SIGNAL_UNIT = "datomic-ready.service";

/** Attempts at CompleteLifecycleAction: an instance launched before the hook existed has no action to complete. */
export const COMPLETE_ATTEMPTS = 5;

/**
 * The script. Arguments: the group, the hook, the instance id, the region, the transactor's log directory.
 * `DATOMIC_READY_INTERVAL_SECONDS` sets the polling interval (tests run it in milliseconds).
 */
export function renderReadySignal(): string {
    return `#!/bin/bash
# Completes this instance's launch lifecycle hook once its Datomic transactor is the active one or a standby.
set -uo pipefail
group="$1"
hook="$2"
instance_id="$3"
region="$4"
log_dir="$5"
interval_seconds="\${DATOMIC_READY_INTERVAL_SECONDS:-5}"

log() { printf 'datomic-ready: %s\\n' "$*" >&2; }

# :transactor/heartbeat: the active transactor wrote a heartbeat; :transactor/standby: a standby checked it.
state=""
while [[ -z "\${state}" ]]; do
    state="$(grep -rhoE -m1 ':transactor/(heartbeat|standby)' "\${log_dir}" 2>/dev/null)"
    state="\${state%%$'\\n'*}"
    [[ -n "\${state}" ]] || sleep "\${interval_seconds}"
done
role=active
[[ "\${state}" == ":transactor/standby" ]] && role=standby
log "the transactor is \${role} (\${state}); completing lifecycle hook \${hook}"
for ((attempt = 1; attempt <= ${COMPLETE_ATTEMPTS}; attempt++)); do
    if aws autoscaling complete-lifecycle-action --region "\${region}" --auto-scaling-group-name "\${group}" \\
        --lifecycle-hook-name "\${hook}" --instance-id "\${instance_id}" --lifecycle-action-result CONTINUE; then
        exit 0
    fi
    log "complete-lifecycle-action failed (attempt \${attempt} of ${COMPLETE_ATTEMPTS})"
    sleep "\${interval_seconds}"
done
log "no lifecycle action to complete (an instance launched before the hook existed?); nothing more to do"
`;
}
