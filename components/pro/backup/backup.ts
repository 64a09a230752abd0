/**
 * DatomicBackup: Datomic Pro's own backups (`bin/datomic backup-db`) of a DynamoDB-backed system into
 * S3 on a schedule, on one-shot instances away from the transactors; a CloudWatch alarm per database
 * when its newest successful backup is too old; a scheduled restore drill into a scratch table with a
 * failure alarm; the restore run and lock that `datomic-restore` drives; and an opt-in copy elsewhere.
 *
 * It composes storage.ts (bucket, lock table, log group), runs.ts (each kind of run: its role from
 * iam.ts and policies.ts, its launch template, group and schedule from schedule.ts, booting a script of
 * scripts.ts or restoreScript.ts), replication.ts, and alarms.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createBackupAlarms } from "./alarms";
import { createReplication } from "./replication";
import { bucketNameOfArn, RestoreSettings } from "./restoreSettings";
import { BackupScriptSettings } from "./scripts";
import { createRuns, runInputs } from "./runs";
import { createRunSecurityGroup } from "./schedule";
import { backupTableNameProblem, DatomicBackupArgs, resolveBackupSettings } from "./settings";
import { createBackupBucket, createLockTable, createRunLogGroup } from "./storage";
import type { ComponentScope } from "../scope";

export type { DatomicBackupArgs } from "./settings";
export { BACKUP_METRICS, BACKUP_METRICS_NAMESPACE } from "./scripts";
export type { RestoreSettings } from "./restoreSettings";

/**
 * Scheduled Datomic Pro backups to S3, a staleness alarm per database, a scheduled restore drill with a
 * failure alarm, and what the `datomic-restore` command needs to restore a database for real.
 *
 * @example
 * ```ts
 * const transactor = new DatomicTransactor("orders", { version: "1.0.7075", vpcId, subnetIds, amiId });
 * const backup = new DatomicBackup("orders", {
 *     version: "1.0.7075",
 *     tableName: transactor.tableName,
 *     databases: ["orders"],
 *     vpcId,
 *     subnetIds,
 *     amiId,
 *     alarmTopicArn: opsTopic.arn,
 * });
 * export const restoreDrill = backup.restoreDrillCommand;
 * export const restoreSettings = backup.restoreSettings; // for datomic-restore --settings
 * ```
 */
export class DatomicBackup extends pulumi.ComponentResource {
    /** The backup bucket. */
    public readonly bucketName: pulumi.Output<string>;
    /** The backup bucket's ARN. */
    public readonly bucketArn: pulumi.Output<string>;
    /** Each database's backup URI, `s3://<bucket>/backups/<database>` (for `restore-db`). */
    public readonly backupUris: pulumi.Output<Record<string, string>>;
    /** The log group holding one stream per run. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The backup runs' Auto Scaling group. */
    public readonly backupGroupName: pulumi.Output<string>;
    /** The backup role's ARN. */
    public readonly backupRoleArn: pulumi.Output<string>;
    /** An AWS CLI command starting a backup now, outside the schedule. */
    public readonly backupNowCommand: pulumi.Output<string>;
    /** The staleness alarms' names, by database. */
    public readonly alarmNames: pulumi.Output<Record<string, string>>;
    /** The restore drill's Auto Scaling group, when `restoreDrill` is on. */
    public readonly restoreDrillGroupName: pulumi.Output<string | undefined>;
    /** The restore drill role's ARN, when `restoreDrill` is on. */
    public readonly restoreDrillRoleArn: pulumi.Output<string | undefined>;
    /** An AWS CLI command starting a restore drill, when `restoreDrill` is on. */
    public readonly restoreDrillCommand: pulumi.Output<string | undefined>;
    /** The drill failure alarms' names, by database (empty when `restoreDrill` is off). */
    public readonly drillAlarmNames: pulumi.Output<Record<string, string>>;
    /** The lock table (one item per backup URI while a run or restore uses it). */
    public readonly lockTableName: pulumi.Output<string>;
    /** The restore run's role ARN: reads the backups, writes the live table. */
    public readonly restoreRoleArn: pulumi.Output<string>;
    /** What `datomic-restore --settings` reads: `pulumi stack output restoreSettings --json > restore.json`. */
    public readonly restoreSettings: pulumi.Output<RestoreSettings>;

    constructor(name: string, args: DatomicBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:pro:Backup", name, {}, opts);
        const settings = resolveBackupSettings(name, args, (argument, problem) => {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, this);
        });
        // The transactor's parts and these share the shape of what they are created in.
        const scope: ComponentScope = { name, parent: this, tags: args.tags ?? {} };

        const tableName = pulumi.output(args.tableName).apply((table) => {
            const problem = backupTableNameProblem(table);
            if (problem) {
                throw new pulumi.ResourceError(`tableName: ${problem}`, this);
            }
            return table;
        });
        const { bucket, versioning } = createBackupBucket(scope, args, settings);
        createReplication(scope, args, settings, { bucket, versioning });
        const lockTable = createLockTable(scope, settings);
        const logGroup = createRunLogGroup(scope, settings);
        const { region, targets, scriptSettings } = runInputs(scope, args, settings, {
            tableName,
            bucket,
            logGroup,
            lockTable,
        });
        const shared = { targets, scriptSettings, securityGroup: createRunSecurityGroup(scope, args, settings) };
        const runs = createRuns(scope, args, settings, shared);
        const alarms = createBackupAlarms(scope, args, settings);

        const startCommand = (group: aws.autoscaling.Group) =>
            pulumi.interpolate`aws autoscaling set-desired-capacity --region ${region} --auto-scaling-group-name ${group.name} --desired-capacity 1`;
        const alarmNamesOf = (byDb: Record<string, aws.cloudwatch.MetricAlarm>) =>
            pulumi.output(Object.fromEntries(Object.entries(byDb).map(([db, alarm]) => [db, alarm.name])));
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.backupUris = bucket.bucket.apply((b) =>
            Object.fromEntries(settings.databases.map((db) => [db, `s3://${b}/backups/${db}`])),
        );
        this.logGroupName = logGroup.name;
        this.backupGroupName = runs.backup.group.name;
        this.backupRoleArn = runs.backup.role.arn;
        this.backupNowCommand = startCommand(runs.backup.group);
        this.alarmNames = alarmNamesOf(alarms.stale);
        this.drillAlarmNames = alarmNamesOf(alarms.drillFailed);
        this.restoreDrillGroupName = runs.drill ? runs.drill.group.name : pulumi.output(undefined);
        this.restoreDrillRoleArn = runs.drill ? runs.drill.role.arn : pulumi.output(undefined);
        this.restoreDrillCommand = runs.drill ? startCommand(runs.drill.group) : pulumi.output(undefined);
        this.lockTableName = lockTable.name;
        this.restoreRoleArn = runs.restore.role.arn;
        this.restoreSettings = restoreSettingsOf(args, scriptSettings, runs);

        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            backupUris: this.backupUris,
            logGroupName: this.logGroupName,
            backupGroupName: this.backupGroupName,
            backupRoleArn: this.backupRoleArn,
            backupNowCommand: this.backupNowCommand,
            alarmNames: this.alarmNames,
            restoreDrillGroupName: this.restoreDrillGroupName,
            restoreDrillRoleArn: this.restoreDrillRoleArn,
            restoreDrillCommand: this.restoreDrillCommand,
            drillAlarmNames: this.drillAlarmNames,
            lockTableName: this.lockTableName,
            restoreRoleArn: this.restoreRoleArn,
            restoreSettings: this.restoreSettings,
        });
    }
}

/** What datomic-restore needs, once the names are known. */
function restoreSettingsOf(
    args: DatomicBackupArgs,
    scriptSettings: pulumi.Output<BackupScriptSettings>,
    runs: ReturnType<typeof createRuns>,
): pulumi.Output<RestoreSettings> {
    return pulumi
        .all([
            scriptSettings,
            runs.restore.group.name,
            runs.backup.group.name,
            runs.drill?.group.name,
            args.transactorGroupName,
            args.transactorMetricsDimension,
            args.replicaBucketArn,
        ])
        .apply(([s, restoreGroupName, backupGroupName, drillGroupName, transactorGroup, dimension, replicaArn]) => ({
            region: s.region,
            systemName: s.systemName,
            tableName: s.tableName,
            bucketName: s.bucketName,
            ...(replicaArn ? { replicaBucketName: bucketNameOfArn(replicaArn) } : {}),
            databases: s.databases,
            lockTableName: s.lockTableName,
            restoreParameterName: s.restoreParameterName,
            restoreGroupName,
            backupGroupName,
            ...(drillGroupName ? { restoreDrillGroupName: drillGroupName } : {}),
            ...(transactorGroup ? { transactorGroupName: transactorGroup } : {}),
            transactorMetricsDimension: dimension ?? s.systemName,
            commandTimeoutMinutes: s.commandTimeoutMinutes,
            logGroupName: s.logGroupName,
        }));
}
