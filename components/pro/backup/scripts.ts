/**
 * The EC2 user data of DatomicBackup's one-shot instances (Amazon Linux 2023):
 * a backup run and a restore drill (and, in restoreScript.ts, a restore run, on
 * the same prelude). Each takes the lock of lock.ts on a backup URI before it
 * touches it. Each installs a JRE and the Datomic Pro
 * distribution, as the transactor's user data does, runs `bin/datomic`, sends
 * everything it prints to CloudWatch Logs, and then takes its instance out of
 * its Auto Scaling group, lowering the desired capacity back to 0 (the group's
 * scheduled action, or an operator, raised it to 1 to start the run).
 *
 * The commands, from docs.datomic.com/operation/backup.html:
 * - `bin/datomic -Xmx4g -Xms4g backup-db [--encryption sse] from-db-uri to-backup-uri`: incremental
 *   ("repeat backups to the same backup-uri do not need to copy unchanged segments"); one backup URI per
 *   database ("you can not back up different databases to a single backup-uri"); backing up from
 *   DynamoDB needs a peer's read-only access to the table.
 * - `bin/datomic list-backups backup-uri`: the points in time `t` that can be restored. Its output format
 *   is not documented; the scripts take the largest number on its last line.
 * - `bin/datomic verify-backup backup-uri read-all t` (current releases): checks the backup at `t`;
 *   with read-all `true` every segment is read.
 * - `bin/datomic restore-db from-backup-uri to-db-uri [t]`: restoring to DynamoDB needs the
 *   transactor's read/write access to the target table, which must exist.
 * - `-Xmx`/`-Xms` come before the command; the docs ask for at least the transactor's heap.
 *
 * Endpoints and paths come from environment variables when set (`DATOMIC_IMDS_URL`,
 * `DATOMIC_DOWNLOAD_URL`, `DATOMIC_INSTALL_ROOT`, `DATOMIC_WORK_DIR`, `DATOMIC_MEMINFO`,
 * `DATOMIC_SYSTEMCTL`), with the production values as defaults, so tests run the scripts against fakes.
 */
import {
    CURL_RETRY_LINE,
    DATOMIC_PRO_DOWNLOAD_URL,
    heapSize,
    IMDS_URL,
    installConstants,
    installDatomic,
    installJre,
    shellQuote,
} from "../datomicInstall";
import { lockFunctions, runLockSeconds } from "./lock";
import type { RunKindName } from "./restoreSettings";

/** The CloudWatch namespace of the metrics the scripts publish. */
export const BACKUP_METRICS_NAMESPACE = "Datomic/Backup";

/** Metric names, each with the dimensions `System` and `Database`. */
export const BACKUP_METRICS = {
    /** 1 each time a database's backup succeeds, 0 when it fails; nothing when it was busy (locked by another run). */
    backupSucceeded: "BackupSucceeded",
    /** 1 when a restore drill of a database passes, 0 when it fails. */
    drillSucceeded: "RestoreDrillSucceeded",
    /** Hours between the newest successful backup and the drill that restored it. */
    drillBackupAgeHours: "RestoreDrillBackupAgeHours",
    /** 1 while `datomic-restore` holds the system in maintenance, 0 when it is back (dimension `System` only). */
    restoreInProgress: "RestoreInProgress",
} as const;

/** Key prefixes in the backup bucket: one backup URI per database, and one status object per database. */
export const BACKUP_PREFIX = "backups/";
export const STATUS_PREFIX = "status/";

/** What both scripts need to know. */
export interface BackupScriptSettings {
    version: string;
    /** SHA-256 of the release zip; verified when given. */
    sha256?: string;
    region: string;
    /** The dnf package of the JRE. */
    jrePackage: string;
    /** `-Xms`/`-Xmx`; when absent, 70% of the instance's memory (datomicInstall.ts). */
    javaXmx?: string;
    /** The `System` dimension of the metrics. */
    systemName: string;
    /** The live storage table. */
    tableName: string;
    databases: string[];
    bucketName: string;
    logGroupName: string;
    /** A `bin/datomic` command running longer than this is stopped. */
    commandTimeoutMinutes: number;
    /** The lock table (lock.ts). */
    lockTableName: string;
    /** How long a run waits for a lock another run holds before it reports the database busy. */
    lockWaitMinutes: number;
    /** The SSM parameter a restore run reads its request from. */
    restoreParameterName: string;
}

/** How many log lines one PutLogEvents call carries (the API takes at most 10,000 events and 1 MB). */
const LOG_BATCH_LINES = 1000;

/** The user data of a backup run: `backup-db` for every database; on success a status object and a metric. */
export function renderBackupScript(settings: BackupScriptSettings): string {
    return `${prelude(settings, "backup")}
# Backs up one database; on success records its newest t and publishes the metric the staleness alarm watches.
backup_database() {
    local db="$1" uri t status_json
    uri="$(backup_uri "\${db}")"
    log "backing up \${db} to \${uri}"
    datomic backup-db --encryption sse "$(db_uri "\${TABLE_NAME}" "\${db}")" "\${uri}" || return 1
    t="$(latest_t "\${uri}")" || return 1
    status_json="$(jq -cn --arg db "\${db}" --argjson t "\${t}" --argjson epoch "$(date +%s)" \\
        '{database: $db, t: $t, finishedAt: ($epoch | todate), finishedAtEpoch: $epoch}')" || return 1
    printf '%s\\n' "\${status_json}" | aws s3 cp - "s3://\${BUCKET}/${STATUS_PREFIX}\${db}.json" || return 1
    put_metric ${BACKUP_METRICS.backupSucceeded} "\${db}" 1 Count || return 1
    log "backed up \${db}: t \${t}"
}

failed=()
busy=()
for db in "\${DATABASES[@]}"; do
    status=0
    with_lock "$(backup_uri "\${db}")" backup_database "\${db}" || status=$?
    if ((status == 3)); then
        busy+=("\${db}")
    elif ((status != 0)); then
        log "the backup of \${db} FAILED"
        put_metric ${BACKUP_METRICS.backupSucceeded} "\${db}" 0 Count || true
        failed+=("\${db}")
    fi
    ship_log || true
done
((\${#busy[@]} == 0)) || log "not backed up, another run held the lock: \${busy[*]}"
if ((\${#failed[@]} > 0)); then
    log "backups failed for: \${failed[*]}"
    exit 1
fi
((\${#busy[@]} == 0)) || exit 3
log "every backup succeeded"
`;
}

/**
 * The user data of a restore drill: for every database, the newest backup is checked with
 * `verify-backup` (reading every segment) and restored into a new scratch table, never the live
 * one; the result and the backup's age are logged and published; the scratch table is deleted.
 */
export function renderRestoreDrillScript(settings: BackupScriptSettings): string {
    return `${prelude(settings, "restore-drill")}
scratch_table="\${TABLE_NAME}-drill-$(date -u +%Y%m%d%H%M%S)"
scratch_created=false
# The scratch table goes whatever happened; the live table is never named here (and the role may not touch it).
delete_scratch_table() {
    if [[ "\${scratch_created}" == true ]]; then
        log "deleting the scratch table \${scratch_table}"
        aws dynamodb delete-table --table-name "\${scratch_table}" >/dev/null || log "could not delete \${scratch_table}"
    fi
}
exit_hooks+=(delete_scratch_table)

# Verifies and restores one database's newest backup; prints one RESULT line either way.
drill_database() {
    local db="$1" uri t status_json finished_epoch age_hours
    uri="$(backup_uri "\${db}")"
    t="$(latest_t "\${uri}")" || return 1
    status_json="$(aws s3 cp "s3://\${BUCKET}/${STATUS_PREFIX}\${db}.json" -)" || return 1
    finished_epoch="$(jq -er .finishedAtEpoch <<<"\${status_json}")" || return 1
    age_hours="$(awk -v seconds="$(($(date +%s) - finished_epoch))" 'BEGIN { printf "%.1f", seconds / 3600 }')"
    log "\${db}: newest backup t \${t}, \${age_hours} hours old; verifying every segment"
    datomic verify-backup "\${uri}" true "\${t}" || return 1
    log "\${db}: restoring t \${t} into \${scratch_table}"
    datomic restore-db "\${uri}" "$(db_uri "\${scratch_table}" "\${db}")" "\${t}" || return 1
    put_metric ${BACKUP_METRICS.drillBackupAgeHours} "\${db}" "\${age_hours}" None || return 1
    log "RESULT \${db}: PASSED (t \${t}, backup \${age_hours} hours old, restored into \${scratch_table})"
}

log "creating the scratch table \${scratch_table}"
aws dynamodb create-table --table-name "\${scratch_table}" \\
    --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH \\
    --billing-mode PAY_PER_REQUEST >/dev/null
scratch_created=true
aws dynamodb wait table-exists --table-name "\${scratch_table}"

failed=()
busy=()
for db in "\${DATABASES[@]}"; do
    status=0
    with_lock "$(backup_uri "\${db}")" drill_database "\${db}" || status=$?
    if ((status == 0)); then
        put_metric ${BACKUP_METRICS.drillSucceeded} "\${db}" 1 Count || true
    elif ((status == 3)); then
        log "RESULT \${db}: BUSY (another run held the lock; not drilled)"
        busy+=("\${db}")
    else
        log "RESULT \${db}: FAILED"
        put_metric ${BACKUP_METRICS.drillSucceeded} "\${db}" 0 Count || true
        failed+=("\${db}")
    fi
    ship_log || true
done
if ((\${#failed[@]} > 0)); then
    log "the restore drill failed for: \${failed[*]}"
    exit 1
fi
((\${#busy[@]} == 0)) || exit 3
log "the restore drill passed for every database"
`;
}

/**
 * Settings, logging to CloudWatch Logs, leaving the group on exit, the Datomic install and the helpers
 * both scripts use. Anything that fails before the main loop ends the run through the EXIT trap.
 */
export function prelude(settings: BackupScriptSettings, kind: RunKindName): string {
    const constants: [string, string][] = [
        ...installConstants(settings),
        ["SYSTEM_NAME", settings.systemName],
        ["TABLE_NAME", settings.tableName],
        ["BUCKET", settings.bucketName],
        ["LOG_GROUP", settings.logGroupName],
        ["RUN_KIND", kind],
        ["COMMAND_TIMEOUT_SECONDS", String(settings.commandTimeoutMinutes * 60)],
        ["LOCK_TABLE", settings.lockTableName],
        ["LOCK_SECONDS", String(runLockSeconds(settings.commandTimeoutMinutes))],
        ["LOCK_WAIT_SECONDS", String(settings.lockWaitMinutes * 60)],
    ];
    return `#!/bin/bash
# Datomic Pro ${kind} for Amazon Linux 2023, rendered by pulumi-datomic (datomic:pro:Backup).
set -euo pipefail

readonly \\
${constants.map(([name, value]) => `    ${name}=${shellQuote(value)}`).join(" \\\n")}
readonly DATABASES=(${settings.databases.map(shellQuote).join(" ")})
export AWS_DEFAULT_REGION="\${AWS_REGION_NAME}"

# Production endpoints and paths; tests point them at fakes.
imds_url="\${DATOMIC_IMDS_URL:-${IMDS_URL}}"
download_url="\${DATOMIC_DOWNLOAD_URL:-${DATOMIC_PRO_DOWNLOAD_URL}}"
install_root="\${DATOMIC_INSTALL_ROOT:-/opt/datomic}"
work_dir="\${DATOMIC_WORK_DIR:-/var/lib/datomic-backup}"
meminfo="\${DATOMIC_MEMINFO:-/proc/meminfo}"
systemctl_path="\${DATOMIC_SYSTEMCTL:-/usr/bin/systemctl}"
${CURL_RETRY_LINE}

# Everything the run prints goes to a file that ship_log sends to CloudWatch Logs.
mkdir -p "\${work_dir}"
log_file="\${work_dir}/\${RUN_KIND}.log"
: >"\${log_file}"
exec >>"\${log_file}" 2>&1
# On stderr, so that functions whose output is captured still log.
log() { printf '%s datomic-%s: %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "\${RUN_KIND}" "$*" >&2; }

log_stream=""
shipped_lines=0
ship_log() {
    [[ -n "\${log_stream}" ]] || return 0
    local total next events="\${work_dir}/log-events.json"
    total="$(wc -l <"\${log_file}")"
    while ((shipped_lines < total)); do
        next=$((shipped_lines + ${LOG_BATCH_LINES} < total ? shipped_lines + ${LOG_BATCH_LINES} : total))
        sed -n "$((shipped_lines + 1)),\${next}p" "\${log_file}" |
            jq -Rn --argjson ts "$(date +%s%3N)" '[inputs | select(length > 0) | {timestamp: $ts, message: .}]' >"\${events}"
        if [[ "$(jq length "\${events}")" -gt 0 ]]; then
            aws logs put-log-events --log-group-name "\${LOG_GROUP}" --log-stream-name "\${log_stream}" \\
                --log-events "file://\${events}" >/dev/null || return 1
        fi
        shipped_lines=\${next}
    done
}

# A run ends by leaving its group with the desired capacity lowered, so the group does not start it
# again; only if that fails does it power off (the group then replaces it and the run is retried).
instance_id=""
# Commands run first on exit (the drill's deletes its scratch table).
exit_hooks=()
finish() {
    local status=$? hook
    for hook in "\${exit_hooks[@]}"; do
        "\${hook}"
    done
    log "finished with exit status \${status}"
    ship_log || true
    if [[ -z "\${instance_id}" ]] || ! aws autoscaling terminate-instance-in-auto-scaling-group \\
        --instance-id "\${instance_id}" --should-decrement-desired-capacity >/dev/null; then
        log "could not leave the Auto Scaling group; powering off"
        "\${systemctl_path}" poweroff --no-block || true
    fi
    exit "\${status}"
}
trap finish EXIT

imds_token="$(curl -fsS "\${curl_retry[@]}" -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "\${imds_url}/latest/api/token")"
instance_id="$(curl -fsS "\${curl_retry[@]}" -H "X-aws-ec2-metadata-token: \${imds_token}" "\${imds_url}/latest/meta-data/instance-id")"
run_id="\${RUN_KIND}/\${instance_id}"
log_stream="\${RUN_KIND}/$(date -u +%Y/%m/%d/%H%M%S)/\${instance_id}"
aws logs create-log-stream --log-group-name "\${LOG_GROUP}" --log-stream-name "\${log_stream}"
log "\${RUN_KIND} of \${DATABASES[*]} (table \${TABLE_NAME}) on \${instance_id}"

# The same install as the transactor's user data (datomicInstall.ts).
${installJre(["unzip", "jq"])}
${installDatomic("bin/datomic")}
${heapSize()}
ship_log || true

datomic() {
    timeout --kill-after=60 "\${COMMAND_TIMEOUT_SECONDS}" "\${distribution}/bin/datomic" "-Xmx\${heap}" "-Xms\${heap}" "$@"
}
backup_uri() { printf 's3://%s/${BACKUP_PREFIX}%s' "\${BUCKET}" "$1"; }
db_uri() { printf 'datomic:ddb://%s/%s/%s' "\${AWS_REGION_NAME}" "$1" "$2"; }
# The newest t of a backup: the largest number on list-backups' last line.
latest_t() {
    local listing t
    listing="$(datomic list-backups "$1")" || return 1
    t="$(tail -n 1 <<<"\${listing}" | grep -oE '[0-9]+' | sort -n | tail -n 1)" || true
    if [[ -z "\${t}" ]]; then
        log "list-backups shows no backup in $1"
        return 1
    fi
    printf '%s\\n' "\${t}"
}
${lockFunctions()}put_metric() {
    aws cloudwatch put-metric-data --namespace ${shellQuote(BACKUP_METRICS_NAMESPACE)} --metric-name "$1" \\
        --dimensions "System=\${SYSTEM_NAME},Database=$2" --value "$3" --unit "$4"
}
`;
}
