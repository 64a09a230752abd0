/**
 * The arguments of `DatomicTransactor` that shape how a change reaches the running transactors (the roll),
 * their defaults and their checks. Pure: bad values throw one {@link TransactorArgumentError} naming each.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ArgumentProblems } from "./argumentProblems";

/** An attached `DatomicBackup`, for a backup of every database before a `version` change rolls the group. */
export interface TransactorBackupArgs {
    /** The backup runs' Auto Scaling group: `DatomicBackup.backupGroupName`. */
    groupName: pulumi.Input<string>;
    /** The backup bucket: `DatomicBackup.bucketName`. */
    bucketName: pulumi.Input<string>;
    /** The databases the backup covers (its `databases`). */
    databases: string[];
}

/** How a launch template change is rolled out; part of `DatomicTransactorArgs`. */
export interface TransactorRollArgs {
    /**
     * Hold each new instance with a launch lifecycle hook until its transactor is the active one or a
     * standby, as its log says (`:transactor/heartbeat`, `:transactor/standby`; read from the transactor's
     * code, not documented by Datomic). Default true. Set false if your release logs otherwise (every new
     * instance would then be abandoned after `readyTimeoutSeconds`): instances then count after
     * `instanceWarmupSeconds`, as EC2 health sees them.
     */
    readinessHook?: boolean;
    /**
     * Seconds a new instance has to install Datomic and become the active transactor or a standby before its
     * launch lifecycle hook gives up on it (ABANDON: the instance is terminated, and a roll fails and rolls
     * back). Default 600; Auto Scaling allows 30 to 7200.
     */
    readyTimeoutSeconds?: number;
    /** Pulumi's timeout for a roll, in minutes; the roll command stops waiting a minute earlier. Default 60. */
    rollTimeoutMinutes?: number;
    /** Seconds between the roll's status polls. Default 15. Changing it does not roll. */
    rollPollIntervalSeconds?: number;
    /**
     * How to run `datomic-transactor-roll`, e.g. `"datomic-transactor-roll"` when it is on the PATH. Default:
     * `node` with this package's CLI, by a path relative to the Pulumi program's directory. Changing it does not roll.
     */
    rollCommand?: string;
    /**
     * A `DatomicBackup` of this transactor's databases. A change of `version` then backs up every database,
     * and waits for that, before the roll starts (Datomic recommends a backup before adopting a new
     * release, docs.datomic.com/changes/pro.html); a failed backup fails the `up` before any transactor is
     * touched.
     */
    backup?: TransactorBackupArgs;
    /** Back up before a `version` change when `backup` is set. Default true; false turns it off. */
    backupBeforeVersionChange?: boolean;
}

/** The roll's settings, defaults filled in. */
export interface RollSettings {
    readinessHook: boolean;
    readyTimeoutSeconds: number;
    rollTimeoutMinutes: number;
    rollPollIntervalSeconds: number;
    /** The backup to run before a version change, when there is one and it is on. */
    backup?: TransactorBackupArgs;
}

/** Auto Scaling's range for a lifecycle hook's heartbeat timeout (API reference, PutLifecycleHook). */
const HOOK_TIMEOUT_RANGE = [30, 7200];
const DEFAULT_READY_TIMEOUT_SECONDS = 600;
const DEFAULT_ROLL_TIMEOUT_MINUTES = 60;
const DEFAULT_POLL_INTERVAL_SECONDS = 15;

/** Checks the roll's arguments; throws a `TransactorArgumentError` naming every bad one. */
export function resolveRollSettings(args: TransactorRollArgs): RollSettings {
    const problems = new ArgumentProblems();
    const readyTimeoutSeconds = args.readyTimeoutSeconds ?? DEFAULT_READY_TIMEOUT_SECONDS;
    const [low, high] = HOOK_TIMEOUT_RANGE;
    problems.check(
        "readyTimeoutSeconds",
        !Number.isInteger(readyTimeoutSeconds) || readyTimeoutSeconds < low || readyTimeoutSeconds > high
            ? `${readyTimeoutSeconds} is not a whole number of seconds from ${low} to ${high} (Auto Scaling's range for a lifecycle hook's timeout)`
            : undefined,
    );
    const rollTimeoutMinutes = args.rollTimeoutMinutes ?? DEFAULT_ROLL_TIMEOUT_MINUTES;
    problems.check(
        "rollTimeoutMinutes",
        !Number.isInteger(rollTimeoutMinutes) || rollTimeoutMinutes < 2
            ? `${rollTimeoutMinutes} is not a whole number of minutes, 2 or more`
            : undefined,
    );
    const rollPollIntervalSeconds = args.rollPollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
    problems.check(
        "rollPollIntervalSeconds",
        !(rollPollIntervalSeconds > 0) ? `${rollPollIntervalSeconds} is not a positive number of seconds` : undefined,
    );
    problems.check(
        "backup.databases",
        args.backup !== undefined && args.backup.databases.length === 0
            ? "is empty; list the databases DatomicBackup backs up"
            : undefined,
    );
    problems.throwIfAny();
    const backup = args.backupBeforeVersionChange === false ? undefined : args.backup;
    return {
        readinessHook: args.readinessHook ?? true,
        readyTimeoutSeconds,
        rollTimeoutMinutes,
        rollPollIntervalSeconds,
        backup,
    };
}
