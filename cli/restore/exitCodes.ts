/** datomic-restore's exit statuses (docs/backup.md lists them). */
export const RESTORE_EXIT = {
    /** Restored and back in service, aborted cleanly, or `--status` printed. */
    ok: 0,
    /** `restore-db` failed or the run ended without a result; the system stays in maintenance: `--resume` retries, `--abort` undoes. */
    restoreFailed: 1,
    /** Bad arguments or settings; nothing was changed. */
    usage: 2,
    /** Another restore is in progress, or another run holds the backup URI's lock; nothing was changed. */
    busy: 3,
    /** A wait ran out (`--timeout`); the system stays in maintenance: `--resume` goes on. */
    timedOut: 4,
    /** `--resume` or `--abort` with no restore in progress. */
    nothingInProgress: 5,
    /** A peer hook command failed; the system stays in maintenance: `--resume` retries it. */
    hookFailed: 6,
    /** An AWS call failed; the system may be in maintenance (`--status`): `--resume` or `--abort`. */
    awsError: 7,
    /** Interrupted (SIGINT, SIGTERM); the system stays in maintenance: `--resume` or `--abort`. */
    interrupted: 130,
} as const;

/** A stop that leaves the restore recorded, with the exit status it ends the command with. */
export class RestoreStop extends Error {
    constructor(
        message: string,
        readonly exitCode: number,
    ) {
        super(message);
    }
}
