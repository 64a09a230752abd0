/**
 * IAM policy documents of DatomicBackup's two instance roles.
 *
 * The backup job reads the live table with a peer's actions ("when backing up from DDB, the required
 * AWS permissions are the same as those a Peer would use, i.e. storage read-only",
 * docs.datomic.com/operation/backup.html) and writes its own bucket's backup and status prefixes. It
 * may not delete objects: with versioning on, nothing the job does can destroy a backup.
 *
 * The restore drill reads the backups and may do anything to scratch tables named
 * `<table>-drill-<timestamp>` ("when restoring to DDB, the AWS permissions should be those used by the
 * transactor", ibid.), and is explicitly denied every DynamoDB action on the live table, so no
 * other policy attached to its role can open it.
 *
 * The restore run reads the backups (of the bucket and, when replication is on, of the copy) and has the
 * transactor's `dynamodb:*` on the live table ("when restoring to DDB, the AWS permissions should be those
 * used by the transactor", ibid.); it reads its request from one SSM parameter and writes its outcome
 * on the lock item; nothing more.
 *
 * Every run takes the lock of lock.ts: PutItem, GetItem, UpdateItem, DeleteItem on the lock table only.
 *
 * `s3:ListBucket` on the bucket is granted without a prefix condition: S3 answers a HEAD or GET of a
 * missing key with 404 only to a caller allowed to list the bucket, and 403 otherwise
 * (docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html), and a differential backup looks for
 * segments that are not there yet.
 */
import { BACKUP_METRICS_NAMESPACE, BACKUP_PREFIX, STATUS_PREFIX } from "./scripts";
import { PEER_TABLE_ACTIONS, PolicyDocument, PolicyStatement } from "../policies";

/** Where the roles act. */
export interface BackupPolicyTargets {
    partition: string;
    region: string;
    accountId: string;
    /** The live storage table. */
    tableName: string;
    bucketArn: string;
    logGroupArn: string;
    /** The Auto Scaling group the instance runs in (and leaves). */
    groupName: string;
    /** The lock table of lock.ts. */
    lockTableName: string;
    /** The SSM parameter holding a restore's request. */
    restoreParameterName: string;
    /** The replica bucket, when replication is on. */
    replicaBucketArn?: string;
}

/** The scratch tables of restore drills: `<table>-drill-<UTC timestamp>`. */
export function scratchTablePattern(tableName: string): string {
    return `${tableName}-drill-*`;
}

function tableArn(t: BackupPolicyTargets, name: string): string {
    return `arn:${t.partition}:dynamodb:${t.region}:${t.accountId}:table/${name}`;
}

/** Statements every role needs: the lock, their run's log, their metrics (not the restore's), and leaving their group. */
function runStatements(t: BackupPolicyTargets, publishesMetrics = true): PolicyStatement[] {
    const metrics: PolicyStatement = {
        Sid: "PublishBackupMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": BACKUP_METRICS_NAMESPACE } },
    };
    return [
        {
            Sid: "TakeBackupUriLocks",
            Effect: "Allow",
            Action: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            Resource: tableArn(t, t.lockTableName),
        },
        {
            Sid: "WriteRunLog",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [t.logGroupArn, `${t.logGroupArn}:log-stream:*`],
        },
        ...(publishesMetrics ? [metrics] : []),
        {
            Sid: "LeaveOwnGroup",
            Effect: "Allow",
            Action: ["autoscaling:TerminateInstanceInAutoScalingGroup"],
            Resource: `arn:${t.partition}:autoscaling:${t.region}:${t.accountId}:autoScalingGroup:*:autoScalingGroupName/${t.groupName}`,
        },
    ];
}

/** The backup job: read the live table, write the backup and status prefixes. */
export function backupJobPolicy(t: BackupPolicyTargets): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadLiveTable",
                Effect: "Allow",
                Action: PEER_TABLE_ACTIONS,
                Resource: tableArn(t, t.tableName),
            },
            { Sid: "ListBackupBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: t.bucketArn },
            {
                Sid: "WriteBackups",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject"],
                Resource: `${t.bucketArn}/${BACKUP_PREFIX}*`,
            },
            {
                Sid: "WriteBackupStatus",
                Effect: "Allow",
                Action: ["s3:PutObject"],
                Resource: `${t.bucketArn}/${STATUS_PREFIX}*`,
            },
            ...runStatements(t),
        ],
    };
}

/** The restore drill: read backups, own scratch tables, and never the live table. */
export function restoreDrillPolicy(t: BackupPolicyTargets): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListBackupBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: t.bucketArn },
            {
                Sid: "ReadBackups",
                Effect: "Allow",
                Action: ["s3:GetObject"],
                Resource: [`${t.bucketArn}/${BACKUP_PREFIX}*`, `${t.bucketArn}/${STATUS_PREFIX}*`],
            },
            {
                Sid: "UseScratchTables",
                Effect: "Allow",
                Action: ["dynamodb:*"],
                Resource: tableArn(t, scratchTablePattern(t.tableName)),
            },
            {
                Sid: "NeverTouchLiveTable",
                Effect: "Deny",
                Action: ["dynamodb:*"],
                Resource: [tableArn(t, t.tableName), tableArn(t, `${t.tableName}/*`)],
            },
            ...runStatements(t),
        ],
    };
}

/** The restore run: read backups (and the copy), write the live table, read its request. */
export function restoreRunPolicy(t: BackupPolicyTargets): PolicyDocument {
    const buckets = [t.bucketArn, ...(t.replicaBucketArn ? [t.replicaBucketArn] : [])];
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ListBackupBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: buckets },
            {
                Sid: "ReadBackups",
                Effect: "Allow",
                Action: ["s3:GetObject"],
                Resource: buckets.map((arn) => `${arn}/${BACKUP_PREFIX}*`),
            },
            {
                Sid: "WriteLiveTable",
                Effect: "Allow",
                Action: ["dynamodb:*"],
                Resource: [tableArn(t, t.tableName), tableArn(t, `${t.tableName}/*`)],
            },
            {
                Sid: "ReadRestoreRequest",
                Effect: "Allow",
                Action: ["ssm:GetParameter"],
                Resource: `arn:${t.partition}:ssm:${t.region}:${t.accountId}:parameter${t.restoreParameterName}`,
            },
            ...runStatements(t, false),
        ],
    };
}
