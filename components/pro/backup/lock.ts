/**
 * One writer per backup URI. Datomic: "a backup from a database URI and restore to that database URI
 * should not occur at the same time", and a restore must not read a backup URI that a backup is writing
 * (docs.datomic.com/operation/backup.html). Backups, restore drills and `datomic-restore` all take the
 * same lock first: an item keyed by the backup URI in a DynamoDB table, written with a conditional
 * PutItem that succeeds only when no item exists or the one there has expired ("the write succeeds only
 * if the condition expression evaluates to true", docs.aws.amazon.com/amazondynamodb/latest/APIReference/
 * API_PutItem.html, ConditionExpression). The holder's id is `<kind>/<instance id>` for a run and
 * `restore/<restore id>` for a restore; only the holder deletes or renews it (a conditional DeleteItem or
 * UpdateItem on `owner`).
 *
 * The lock expires (`expiresAt`, epoch seconds), so a run that died holding it cannot block forever: a
 * run holds it at most three bounded `bin/datomic` commands long, plus a margin; a restore renews it while
 * it waits. DynamoDB's TTL on `expiresAt` only tidies up expired items, "typically within a few days"
 * (docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html), so takers compare `expiresAt`
 * themselves.
 */

/** Seconds past its commands' timeouts before a run's lock expires. */
export const LOCK_MARGIN_SECONDS = 900;

/** How long a run's lock lasts: three `bin/datomic` commands (list, verify, restore), each bounded, and a margin. */
export function runLockSeconds(commandTimeoutMinutes: number): number {
    return 3 * commandTimeoutMinutes * 60 + LOCK_MARGIN_SECONDS;
}

/**
 * Bash functions taking, releasing and reading the lock through the AWS CLI: `take_lock <uri>` (0 taken,
 * 3 busy after waiting `lock_wait_seconds`, 1 any other error), `release_lock <uri>`, `with_lock <uri>
 * <command...>`, and the exit hook `release_held_locks`. Expects `LOCK_TABLE`, `LOCK_SECONDS`,
 * `LOCK_WAIT_SECONDS`, `RUN_KIND`, `run_id` and `log`.
 */
export function lockFunctions(): string {
    return `# One writer per backup URI: a conditional PutItem in the lock table (components/pro/backup/lock.ts).
lock_wait_seconds="\${DATOMIC_LOCK_WAIT_SECONDS:-\${LOCK_WAIT_SECONDS}}"
lock_poll_seconds="\${DATOMIC_LOCK_POLL_SECONDS:-30}"
held_locks=()
lock_key() { jq -cn --arg uri "$1" '{uri: {S: $uri}}'; }
lock_holder() {
    aws dynamodb get-item --table-name "\${LOCK_TABLE}" --key "$(lock_key "$1")" --consistent-read 2>/dev/null |
        jq -r '[.Item.owner.S // "nobody", .Item.expiresAt.N // "0"] | @tsv' || printf 'unknown\t0'
}
take_lock() {
    local uri="$1" deadline now output holder expires
    deadline=$(($(date +%s) + lock_wait_seconds))
    while true; do
        now="$(date +%s)"
        if output="$(aws dynamodb put-item --table-name "\${LOCK_TABLE}" \\
            --item "$(jq -cn --arg uri "\${uri}" --arg owner "\${run_id}" --arg kind "\${RUN_KIND}" \\
                --arg now "\${now}" --arg expires "$((now + LOCK_SECONDS))" \\
                '{uri: {S: $uri}, owner: {S: $owner}, kind: {S: $kind}, takenAt: {N: $now}, expiresAt: {N: $expires}}')" \\
            --condition-expression 'attribute_not_exists(uri) OR expiresAt < :now' \\
            --expression-attribute-values "$(jq -cn --arg now "\${now}" '{":now": {N: $now}}')" 2>&1 >/dev/null)"; then
            held_locks+=("\${uri}")
            log "took the lock on \${uri}"
            return 0
        fi
        if [[ "\${output}" != *ConditionalCheckFailedException* ]]; then
            log "could not take the lock on \${uri}: \${output}"
            return 1
        fi
        if ((now >= deadline)); then
            read -r holder expires <<<"$(lock_holder "\${uri}")" || true
            log "BUSY: \${uri} is locked by \${holder} until $(date -u -d "@\${expires:-0}" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || printf '?'); waited \${lock_wait_seconds} s"
            return 3
        fi
        sleep "\${lock_poll_seconds}"
    done
}
release_lock() {
    local uri="$1" kept=() held
    aws dynamodb delete-item --table-name "\${LOCK_TABLE}" --key "$(lock_key "\${uri}")" \\
        --condition-expression '#owner = :owner' --expression-attribute-names '{"#owner": "owner"}' \\
        --expression-attribute-values "$(jq -cn --arg owner "\${run_id}" '{":owner": {S: $owner}}')" >/dev/null 2>&1 ||
        log "the lock on \${uri} was no longer held by \${run_id}"
    for held in "\${held_locks[@]}"; do
        [[ "\${held}" == "\${uri}" ]] || kept+=("\${held}")
    done
    held_locks=("\${kept[@]}")
}
# Runs a command holding the lock on a backup URI; 3 when busy.
with_lock() {
    local uri="$1" status=0
    shift
    take_lock "\${uri}" || return $?
    "$@" || status=$?
    release_lock "\${uri}"
    return "\${status}"
}
release_held_locks() {
    local uri
    for uri in "\${held_locks[@]}"; do
        release_lock "\${uri}"
    done
}
exit_hooks+=(release_held_locks)
`;
}
