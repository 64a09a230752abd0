/**
 * What `datomic-restore` needs to know about a DatomicBackup, and the names both sides derive from the
 * system name: the lock table, the restore request parameter and the run groups. Pure: the component
 * publishes these as its `restoreSettings` output, and the command reads them back.
 */

/** The restore settings of one system (`pulumi stack output restoreSettings --json`). */
export interface RestoreSettings {
    /** The system's region. */
    region: string;
    /** The system name: prefix of the groups, roles and alarms, and the metrics' `System` dimension. */
    systemName: string;
    /** The live storage table a restore writes. */
    tableName: string;
    /** The backup bucket. */
    bucketName: string;
    /** The replica bucket, when replication is on (`--from-copy`). */
    replicaBucketName?: string;
    /** The databases backed up, each at `s3://<bucket>/backups/<database>`. */
    databases: string[];
    /** The DynamoDB table holding one lock item per backup URI. */
    lockTableName: string;
    /** The SSM parameter holding the restore in progress (the request the restore run reads). */
    restoreParameterName: string;
    /** The restore run's Auto Scaling group. */
    restoreGroupName: string;
    /** The backup runs' Auto Scaling group, whose schedule a restore pauses. */
    backupGroupName: string;
    /** The restore drill's Auto Scaling group, whose schedule a restore pauses, when the drill is on. */
    restoreDrillGroupName?: string;
    /** The transactors' Auto Scaling group, which a restore stops and starts again. */
    transactorGroupName?: string;
    /** The `Transactor` dimension value of the transactors' `HeartbeatMsec` metric. */
    transactorMetricsDimension: string;
    /** A `bin/datomic` command running longer than this is stopped: bounds the restore run. */
    commandTimeoutMinutes: number;
    /** The log group of the runs (the restore run's streams are `restore/...`). */
    logGroupName: string;
}

/** The names of the parts a restore coordinates, from the system name. */
export function backupNames(systemName: string) {
    return {
        lockTableName: `${systemName}-datomic-backup-locks`,
        restoreParameterName: `/datomic/${systemName}/restore`,
        groupName: (kind: RunKindName) => `${systemName}-datomic-${kind}`,
    };
}

/** The kinds of one-shot runs, each with its group, role and script. */
export type RunKindName = "backup" | "restore-drill" | "restore";

/** The backup URI of a database in a bucket; the lock key of that database is always the primary's. */
export function backupUri(bucketName: string, database: string): string {
    return `s3://${bucketName}/backups/${database}`;
}

/** The name of a bucket from its ARN (`arn:<partition>:s3:::<name>`). */
export function bucketNameOfArn(arn: string): string | undefined {
    const match = /^arn:[a-z-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn);
    return match?.[1];
}
