/**
 * The kinds of DatomicBackup run (the backup job, the restore drill, and the restore `datomic-restore`
 * starts): each has its role with its policy, and its launch template and group booting its script.
 * They share the bucket, lock table, log group, security group and script settings.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createRunRole } from "./iam";
import { BackupPolicyTargets, backupJobPolicy, restoreDrillPolicy, restoreRunPolicy } from "./policies";
import { backupNames, RunKindName } from "./restoreSettings";
import { renderRestoreScript } from "./restoreScript";
import { BackupScriptSettings, renderBackupScript, renderRestoreDrillScript } from "./scripts";
import { createRunGroup, createRunSchedule } from "./schedule";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import { PolicyDocument } from "../policies";
import type { ComponentScope } from "../scope";
import { USER_DATA_MAX_BYTES } from "../datomicInstall";

/** What every kind of run uses. */
export interface SharedRunParts {
    targets: pulumi.Output<Omit<BackupPolicyTargets, "groupName">>;
    scriptSettings: pulumi.Output<BackupScriptSettings>;
    securityGroup: aws.ec2.SecurityGroup;
}

/** One kind of run. */
export interface RunKind {
    /** The suffix of resource and group names. */
    kind: RunKindName;
    /** What the runs do, for the launch template's description: "backups", "restore drills", "restores". */
    purpose: string;
    policy: (targets: BackupPolicyTargets) => PolicyDocument;
    render: (settings: BackupScriptSettings) => string;
}

/** A run's role and group; the group is named `<systemName>-datomic-<kind>`, as is the role. */
export function createRun(
    scope: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
    shared: SharedRunParts,
    run: RunKind,
): { role: aws.iam.Role; group: aws.autoscaling.Group } {
    const groupName = `${settings.systemName}-datomic-${run.kind}`;
    const role = createRunRole(scope, `${scope.name}-${run.kind}`, groupName, shared.targets, run.policy);
    const userData = shared.scriptSettings.apply((scriptSettings) => {
        const script = run.render(scriptSettings);
        if (Buffer.byteLength(script) > USER_DATA_MAX_BYTES) {
            throw new pulumi.ResourceError(
                `the ${run.kind} user data is over EC2's limit of ${USER_DATA_MAX_BYTES} bytes; list fewer databases`,
                scope.parent,
            );
        }
        return Buffer.from(script).toString("base64");
    });
    const group = createRunGroup(scope, args, settings, {
        kind: run.kind,
        groupName,
        description: `Datomic Pro ${args.version} ${run.purpose} of ${settings.systemName}`,
        ...role,
        securityGroup: shared.securityGroup,
        userData,
    });
    return { role: role.role, group };
}

/** A run's role and group. */
export type Run = ReturnType<typeof createRun>;

/** Every kind of run; the backup and drill groups start on their schedules, the restore's by `datomic-restore`. */
export function createRuns(
    scope: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
    shared: SharedRunParts,
): { backup: Run; drill?: Run; restore: Run } {
    const backup = createRun(scope, args, settings, shared, {
        kind: "backup",
        purpose: "backups",
        policy: backupJobPolicy,
        render: renderBackupScript,
    });
    createRunSchedule(scope, settings, backup.group, "backup");
    const drill = settings.restoreDrill
        ? createRun(scope, args, settings, shared, {
              kind: "restore-drill",
              purpose: "restore drills",
              policy: restoreDrillPolicy,
              render: renderRestoreDrillScript,
          })
        : undefined;
    if (drill) {
        createRunSchedule(scope, settings, drill.group, "restore-drill");
    }
    const restore = createRun(scope, args, settings, shared, {
        kind: "restore",
        purpose: "restores",
        policy: restoreRunPolicy,
        render: renderRestoreScript,
    });
    return { backup, drill, restore };
}

/** What the runs' policies and scripts are rendered from, once the names and the account are known. */
export function runInputs(
    scope: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
    made: {
        tableName: pulumi.Output<string>;
        bucket: aws.s3.Bucket;
        logGroup: aws.cloudwatch.LogGroup;
        lockTable: aws.dynamodb.Table;
    },
) {
    const parent = { parent: scope.parent };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const region = aws.getRegionOutput({}, parent).region;
    const restoreParameterName = backupNames(settings.systemName).restoreParameterName;
    const targets = pulumi
        .all([
            partition,
            region,
            accountId,
            made.tableName,
            made.bucket.arn,
            made.logGroup.arn,
            made.lockTable.name,
            args.replicaBucketArn,
        ])
        .apply(([p, r, account, tableName, bucketArn, logGroupArn, lockTableName, replicaBucketArn]) => ({
            partition: p,
            region: r,
            accountId: account,
            tableName,
            bucketArn,
            logGroupArn,
            lockTableName,
            restoreParameterName,
            replicaBucketArn,
        }));
    const scriptSettings = pulumi
        .all([region, made.tableName, made.bucket.bucket, made.logGroup.name, made.lockTable.name])
        .apply(([r, tableName, bucketName, logGroupName, lockTableName]): BackupScriptSettings => ({
            ...settings,
            version: args.version,
            sha256: args.sha256,
            region: r,
            javaXmx: args.javaXmx,
            tableName,
            bucketName,
            logGroupName,
            lockTableName,
            restoreParameterName,
        }));
    return { region, targets, scriptSettings };
}
