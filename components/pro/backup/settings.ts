/**
 * DatomicBackup's arguments, their defaults and their checks. Every check names the argument, the
 * value and what is allowed; nothing here creates resources.
 *
 * Sources: Auto Scaling scheduled actions take a five-field Unix cron `Recurrence`
 * (docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutScheduledUpdateGroupAction.html);
 * a CloudWatch alarm's period times its evaluation periods "cannot be more than 86,400 seconds"
 * (API_PutMetricAlarm.html, EvaluationPeriods); the retention periods CloudWatch Logs accepts
 * (API_PutRetentionPolicy.html).
 */
import type * as pulumi from "@pulumi/pulumi";
import {
    datomicVersionProblem,
    javaHeapSizeProblem,
    LAST_LICENSED_VERSION,
    needsLicenseKey,
    positiveIntegerProblem,
    sha256Problem,
    systemNameProblem,
    tableNameProblem,
} from "../validation";

/** Arguments of {@link DatomicBackup}. */
export interface DatomicBackupArgs {
    /** The Datomic Pro release whose `bin/datomic` runs the backups (use the transactor's). */
    version: string;
    /** SHA-256 (hex) of `datomic-pro-<version>.zip`; a run refuses a download that does not match. */
    sha256?: string;
    /** Prefix of role, group, alarm and log names, and the metrics' `System` dimension. Defaults to the component's name. */
    systemName?: string;
    /** The live storage table (a transactor's `tableName`). */
    tableName: pulumi.Input<string>;
    /** The databases to back up, each to its own backup URI `s3://<bucket>/backups/<database>`. */
    databases: string[];

    /** The VPC of the one-shot instances (they need no inbound traffic). */
    vpcId: pulumi.Input<string>;
    /** Subnets with a route to S3, DynamoDB, CloudWatch and the Datomic download (a NAT or endpoints). */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The Amazon Linux 2023 AMI the instances boot (pin it, as for the transactor). */
    amiId: pulumi.Input<string>;
    /** EC2 instance type. Default `m6i.large`. */
    instanceType?: string;
    /** `-Xmx`/`-Xms` of `bin/datomic`, as `<n>g` or `<n>m`; Datomic asks for at least the transactor's heap. Default 70% of memory. */
    javaXmx?: string;
    /** The dnf package of the JRE. Default `java-21-amazon-corretto-headless`. */
    jrePackage?: string;
    /** Size of the encrypted gp3 root volume in GiB. Default 20. */
    rootVolumeSizeGb?: number;

    /** When backups run: five-field cron, as Auto Scaling scheduled actions take it. Default `0 *\/6 * * *` (every 6 hours). */
    schedule?: string;
    /** The schedule's time zone (IANA name). Default `Etc/UTC`. */
    scheduleTimeZone?: string;
    /** Alarm when a database's newest successful backup is older than this many hours (1 to 24). Default 12. */
    maxBackupAgeHours?: number;
    /** A `bin/datomic` command running longer than this many minutes is stopped and counts as failed. Default 360. */
    commandTimeoutMinutes?: number;
    /** A restore drill group, run on `drillSchedule`. Default true. */
    restoreDrill?: boolean;
    /** When restore drills run: five-field cron, in `scheduleTimeZone`. Default `0 3 * * 0` (weekly, Sunday 03:00). */
    drillSchedule?: string;
    /**
     * Minutes a backup or drill run waits for another run's lock on a backup URI before it reports the
     * database "busy" and goes on with the next. Default 30.
     */
    lockWaitMinutes?: number;

    /** The transactors' Auto Scaling group (a `DatomicTransactor`'s `autoScalingGroupName`), for `datomic-restore`. */
    transactorGroupName?: pulumi.Input<string>;
    /** The transactors' `aws-cloudwatch-dimension-value`, whose `HeartbeatMsec` tells `datomic-restore` one is active. Default `systemName`. */
    transactorMetricsDimension?: pulumi.Input<string>;
    /**
     * Opt-in copy: the ARN of a versioned S3 bucket (another region or account) that S3 replication copies
     * `backups/` into, with a role of its own. `datomic-restore --from-copy` restores from it.
     */
    replicaBucketArn?: pulumi.Input<string>;
    /** The replica bucket's account, when it is another account: replicas then belong to that account. */
    replicaAccountId?: pulumi.Input<string>;

    /** The backup bucket's name; generated when omitted. */
    bucketName?: string;
    /** Protect the bucket: Pulumi `protect`, retained when removed from the program. Default true. */
    protectBucket?: boolean;
    /** Days a replaced or deleted object version is kept. Default 30. Current objects never expire. */
    noncurrentVersionExpirationDays?: number;
    /** Days the runs' logs are kept in CloudWatch Logs. Default 90. */
    logRetentionDays?: number;
    /** SNS topic notified when a staleness alarm fires and when it clears. */
    alarmTopicArn?: pulumi.Input<string>;
    /** Tags for every resource the component creates. */
    tags?: Record<string, pulumi.Input<string>>;
}

export const BACKUP_DEFAULTS = {
    instanceType: "m6i.large",
    jrePackage: "java-21-amazon-corretto-headless",
    rootVolumeSizeGb: 20,
    schedule: "0 */6 * * *",
    drillSchedule: "0 3 * * 0",
    lockWaitMinutes: 30,
    scheduleTimeZone: "Etc/UTC",
    maxBackupAgeHours: 12,
    commandTimeoutMinutes: 360,
    noncurrentVersionExpirationDays: 30,
    logRetentionDays: 90,
} as const;

/** CloudWatch alarms evaluate at most one day of data. */
export const MAX_BACKUP_AGE_HOURS_LIMIT = 24;

/** The retention periods (days) CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The suffix a drill adds to the table name: `-drill-` and a 14-digit UTC timestamp. */
const SCRATCH_SUFFIX_LENGTH = "-drill-".length + 14;

/** The arguments with defaults applied. */
export type BackupSettings = ReturnType<typeof resolveBackupSettings>;

/** Checks the arguments and applies the defaults; `fail` reports a problem with one argument. */
export function resolveBackupSettings(
    componentName: string,
    args: DatomicBackupArgs,
    fail: (argument: string, problem: string) => never,
) {
    const check = (argument: string, problem: string | undefined) => problem && fail(argument, problem);
    const systemName = args.systemName ?? componentName;
    check("systemName", systemNameProblem(systemName));
    check("version", datomicVersionProblem(args.version));
    if (needsLicenseKey(args.version)) {
        fail(
            "version",
            `${args.version} needs a license key (releases up to ${LAST_LICENSED_VERSION} do); backups run releases after it`,
        );
    }
    if (args.sha256 !== undefined) {
        check("sha256", sha256Problem(args.sha256));
    }
    if (args.javaXmx !== undefined) {
        check("javaXmx", javaHeapSizeProblem(args.javaXmx));
    }
    if (args.jrePackage !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(args.jrePackage)) {
        fail("jrePackage", `"${args.jrePackage}" is not a dnf package name`);
    }
    check("databases", databasesProblem(args.databases));

    const schedule = args.schedule ?? BACKUP_DEFAULTS.schedule;
    check("schedule", cronProblem(schedule));
    const drillSchedule = args.drillSchedule ?? BACKUP_DEFAULTS.drillSchedule;
    check("drillSchedule", cronProblem(drillSchedule));
    const maxBackupAgeHours = args.maxBackupAgeHours ?? BACKUP_DEFAULTS.maxBackupAgeHours;
    if (
        !Number.isInteger(maxBackupAgeHours) ||
        maxBackupAgeHours < 1 ||
        maxBackupAgeHours > MAX_BACKUP_AGE_HOURS_LIMIT
    ) {
        fail(
            "maxBackupAgeHours",
            `${maxBackupAgeHours} is not a whole number of hours from 1 to ${MAX_BACKUP_AGE_HOURS_LIMIT} (a CloudWatch alarm evaluates at most one day)`,
        );
    }
    const logRetentionDays = args.logRetentionDays ?? BACKUP_DEFAULTS.logRetentionDays;
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        fail(
            "logRetentionDays",
            `${logRetentionDays} is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
        );
    }
    const numbers = {
        rootVolumeSizeGb: args.rootVolumeSizeGb ?? BACKUP_DEFAULTS.rootVolumeSizeGb,
        commandTimeoutMinutes: args.commandTimeoutMinutes ?? BACKUP_DEFAULTS.commandTimeoutMinutes,
        noncurrentVersionExpirationDays:
            args.noncurrentVersionExpirationDays ?? BACKUP_DEFAULTS.noncurrentVersionExpirationDays,
        lockWaitMinutes: args.lockWaitMinutes ?? BACKUP_DEFAULTS.lockWaitMinutes,
    };
    for (const [argument, value] of Object.entries(numbers)) {
        check(argument, positiveIntegerProblem(value));
    }
    if (args.bucketName !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(args.bucketName)) {
        fail(
            "bucketName",
            `"${args.bucketName}" is not an S3 bucket name (3 to 63 lowercase letters, digits, "." and "-")`,
        );
    }
    return {
        systemName,
        databases: [...args.databases],
        schedule,
        drillSchedule,
        scheduleTimeZone: args.scheduleTimeZone ?? BACKUP_DEFAULTS.scheduleTimeZone,
        maxBackupAgeHours,
        logRetentionDays,
        ...numbers,
        instanceType: args.instanceType ?? BACKUP_DEFAULTS.instanceType,
        jrePackage: args.jrePackage ?? BACKUP_DEFAULTS.jrePackage,
        protectBucket: args.protectBucket ?? true,
        restoreDrill: args.restoreDrill ?? true,
    };
}

/**
 * Why the live table's name cannot be backed up and drilled: a DynamoDB table name, short enough for
 * the drill's scratch tables (`<table>-drill-<timestamp>`), and not itself a scratch table's name.
 */
export function backupTableNameProblem(name: string): string | undefined {
    const problem = tableNameProblem(name);
    if (problem) {
        return problem;
    }
    if (name.length + SCRATCH_SUFFIX_LENGTH > 255) {
        return `"${name}" is too long for the drill's scratch tables "${name}-drill-<timestamp>" (DynamoDB allows 255 characters)`;
    }
    return name.includes("-drill-")
        ? `"${name}" contains "-drill-", which names the restore drill's scratch tables`
        : undefined;
}

function databasesProblem(databases: string[]): string | undefined {
    if (databases.length === 0) {
        return "is empty; list the databases to back up";
    }
    for (const db of databases) {
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(db)) {
            return `"${db}" is not a database name this component backs up: 1 to 100 letters, digits, "_", "." and "-", starting with a letter or digit (it becomes an S3 key and a metric dimension)`;
        }
    }
    const duplicate = databases.find((db, i) => databases.indexOf(db) !== i);
    return duplicate === undefined ? undefined : `"${duplicate}" is listed twice`;
}

/** Why `expression` is not a five-field cron expression. */
export function cronProblem(expression: string): string | undefined {
    const fields = expression.trim().split(/\s+/);
    return fields.length === 5 && fields.every((field) => /^[0-9A-Za-z*/,?-]+$/.test(field))
        ? undefined
        : `"${expression}" is not a five-field cron expression ([minute] [hour] [day of month] [month] [day of week], such as "0 */6 * * *")`;
}
