/**
 * The user data of a restore run: the one-shot instance `datomic-restore` starts once the transactors
 * are stopped and it holds the lock. It reads the request `datomic-restore` wrote to the SSM parameter
 * (database, `t`, the backup URI to read, the restore's id), refuses unless that restore holds the lock
 * on the backup URI, runs `bin/datomic restore-db from-backup-uri to-db-uri [t]` into the live table
 * (docs.datomic.com/operation/backup.html: "when restoring to DDB, the AWS permissions should be those
 * used by the transactor"), and writes the outcome on the lock item, where `datomic-restore` waits for it.
 */
import { BackupScriptSettings, prelude } from "./scripts";
import { shellQuote } from "../datomicInstall";

/** The restore run's user data. */
export function renderRestoreScript(settings: BackupScriptSettings): string {
    return `${prelude(settings, "restore")}
request="$(aws ssm get-parameter --name ${shellQuote(settings.restoreParameterName)} | jq -er .Parameter.Value)"
restore_id="$(jq -er .id <<<"\${request}")"
database="$(jq -er .database <<<"\${request}")"
source_uri="$(jq -er .sourceUri <<<"\${request}")"
lock_uri="$(jq -er .lockUri <<<"\${request}")"
requested_t="$(jq -r '.t // empty' <<<"\${request}")"
owner="restore/\${restore_id}"

# Records the run's state on the lock item, only while the restore still holds it.
record_run() {
    local state="$1" t="\${2:-}"
    aws dynamodb update-item --table-name "\${LOCK_TABLE}" --key "$(lock_key "\${lock_uri}")" \\
        --update-expression 'SET runState = :state, runInstance = :instance, runUpdatedAt = :now, restoredT = :t' \\
        --condition-expression '#owner = :owner' --expression-attribute-names '{"#owner": "owner"}' \\
        --expression-attribute-values "$(jq -cn --arg state "\${state}" --arg instance "\${instance_id}" \\
            --arg now "$(date +%s)" --arg t "\${t}" --arg owner "\${owner}" \\
            '{":state": {S: $state}, ":instance": {S: $instance}, ":now": {N: $now}, ":t": {S: $t}, ":owner": {S: $owner}}')" >/dev/null
}

if [[ " \${DATABASES[*]} " != *" \${database} "* ]]; then
    log "REFUSED: \${database} is not one of this system's databases (\${DATABASES[*]})"
    exit 1
fi
read -r holder _ <<<"$(lock_holder "\${lock_uri}")" || true
if [[ "\${holder}" != "\${owner}" ]]; then
    log "REFUSED: restore \${restore_id} does not hold the lock on \${lock_uri} (held by \${holder})"
    exit 1
fi
t="\${requested_t}"
if [[ -z "\${t}" ]]; then
    t="$(latest_t "\${source_uri}")" || { record_run failed; exit 1; }
fi
record_run running "\${t}"
log "restoring \${database} at t \${t} from \${source_uri} into \${TABLE_NAME} (restore \${restore_id})"
ship_log || true
if ! datomic restore-db "\${source_uri}" "$(db_uri "\${TABLE_NAME}" "\${database}")" "\${t}"; then
    log "RESULT \${database}: FAILED (restore \${restore_id}, t \${t})"
    record_run failed "\${t}"
    exit 1
fi
record_run succeeded "\${t}"
log "RESULT \${database}: RESTORED t \${t} from \${source_uri} (restore \${restore_id})"
`;
}
