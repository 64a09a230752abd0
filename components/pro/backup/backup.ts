/**
 * DatomicBackup: Datomic Pro's own backups (`bin/datomic backup-db`) of a DynamoDB-backed system into
 * S3 on a schedule, on one-shot instances away from the transactors; a CloudWatch alarm per database
 * when its newest successful backup is too old; and an on-demand restore drill into a scratch table.
 *
 * It composes storage.ts (bucket, log group), runs.ts (each kind of run: its role from
 * iam.ts and policies.ts, its launch template and group from schedule.ts, booting a
 * script of scripts.ts), the schedule and security group of schedule.ts, and alarms.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createStalenessAlarms } from "./alarms";
import { backupJobPolicy, restoreDrillPolicy } from "./policies";
import { BackupScriptSettings, renderBackupScript, renderRestoreDrillScript } from "./scripts";
import { createRun } from "./runs";
import { createBackupSchedule, createRunSecurityGroup } from "./schedule";
import { backupTableNameProblem, DatomicBackupArgs, resolveBackupSettings } from "./settings";
import { createBackupBucket, createRunLogGroup } from "./storage";
import type { ComponentScope } from "../scope";

export type { DatomicBackupArgs } from "./settings";
export { BACKUP_METRICS, BACKUP_METRICS_NAMESPACE } from "./scripts";

/**
 * Scheduled Datomic Pro backups to S3, a staleness alarm per database and an on-demand restore drill.
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

    constructor(name: string, args: DatomicBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:pro:Backup", name, {}, opts);
        const settings = resolveBackupSettings(name, args, (argument, problem) => {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, this);
        });
        // The transactor's parts and these share the shape of what they are created in.
        const scope: ComponentScope = { name, parent: this, tags: args.tags ?? {} };
        const parent = { parent: this };

        const partition = aws.getPartitionOutput({}, parent).partition;
        const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        const region = aws.getRegionOutput({}, parent).region;
        const tableName = pulumi.output(args.tableName).apply((table) => {
            const problem = backupTableNameProblem(table);
            if (problem) {
                throw new pulumi.ResourceError(`tableName: ${problem}`, this);
            }
            return table;
        });

        const bucket = createBackupBucket(scope, args, settings);
        const logGroup = createRunLogGroup(scope, settings);
        const targets = pulumi
            .all([partition, region, accountId, tableName, bucket.arn, logGroup.arn])
            .apply(([p, r, account, table, bucketArn, logGroupArn]) => ({
                partition: p,
                region: r,
                accountId: account,
                tableName: table,
                bucketArn,
                logGroupArn,
            }));
        const scriptSettings = pulumi
            .all([region, tableName, bucket.bucket, logGroup.name])
            .apply(([r, table, bucketName, logGroupName]): BackupScriptSettings => ({
                version: args.version,
                sha256: args.sha256,
                region: r,
                jrePackage: settings.jrePackage,
                javaXmx: args.javaXmx,
                systemName: settings.systemName,
                tableName: table,
                databases: settings.databases,
                bucketName,
                logGroupName,
                commandTimeoutMinutes: settings.commandTimeoutMinutes,
            }));
        const shared = { targets, scriptSettings, securityGroup: createRunSecurityGroup(scope, args, settings) };
        const backupRun = createRun(scope, args, settings, shared, {
            kind: "backup",
            purpose: "backups",
            policy: backupJobPolicy,
            render: renderBackupScript,
        });
        createBackupSchedule(scope, settings, backupRun.group);
        const alarms = createStalenessAlarms(scope, args, settings);
        const drillRun = settings.restoreDrill
            ? createRun(scope, args, settings, shared, {
                  kind: "restore-drill",
                  purpose: "restore drills",
                  policy: restoreDrillPolicy,
                  render: renderRestoreDrillScript,
              })
            : undefined;

        const startCommand = (group: aws.autoscaling.Group) =>
            pulumi.interpolate`aws autoscaling set-desired-capacity --region ${region} --auto-scaling-group-name ${group.name} --desired-capacity 1`;
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.backupUris = bucket.bucket.apply((b) =>
            Object.fromEntries(settings.databases.map((db) => [db, `s3://${b}/backups/${db}`])),
        );
        this.logGroupName = logGroup.name;
        this.backupGroupName = backupRun.group.name;
        this.backupRoleArn = backupRun.role.arn;
        this.backupNowCommand = startCommand(backupRun.group);
        this.alarmNames = pulumi.output(
            Object.fromEntries(Object.entries(alarms).map(([db, alarm]) => [db, alarm.name])),
        );
        this.restoreDrillGroupName = drillRun ? drillRun.group.name : pulumi.output(undefined);
        this.restoreDrillRoleArn = drillRun ? drillRun.role.arn : pulumi.output(undefined);
        this.restoreDrillCommand = drillRun ? startCommand(drillRun.group) : pulumi.output(undefined);

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
        });
    }
}
