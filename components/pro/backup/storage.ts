/**
 * DatomicBackup's storage: the backup bucket and the runs' log group.
 *
 * The bucket is private, encrypted (SSE-S3 by default, and `backup-db --encryption sse` asks for it on
 * every object), TLS-only and versioned. Its lifecycle rule never expires current objects: a Datomic
 * backup is differential, and a later point in time reuses the segments of earlier ones
 * (docs.datomic.com/operation/backup.html, "Differential Backup"), so expiring old objects by age would
 * corrupt newer backups. It expires replaced or deleted versions after a while and aborts stale
 * multipart uploads. When protected, the bucket and the settings that keep its objects safe
 * (versioning, encryption, public access block) are retained if removed from the program: deleting the
 * versioning resource would otherwise suspend versioning on the retained bucket.
 *
 * The lock table (lock.ts) holds one item per backup URI while a run or a restore uses it.
 */
import * as aws from "@pulumi/aws";
import { backupNames } from "./restoreSettings";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import type { ComponentScope } from "../scope";

/** Days after which a multipart upload that never completed is aborted. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/** The backup bucket, and its versioning (replication waits for it). */
export function createBackupBucket(
    { name, parent, tags }: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
): { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning } {
    const protect = settings.protectBucket;
    const kept = { parent, retainOnDelete: protect };
    const bucket = new aws.s3.Bucket(
        `${name}-bucket`,
        { bucket: args.bucketName, forceDestroy: !protect, tags },
        { parent, protect, retainOnDelete: protect },
    );
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        kept,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        kept,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        kept,
    );
    new aws.s3.BucketPolicy(
        `${name}-tls-only`,
        {
            bucket: bucket.id,
            policy: bucket.arn.apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, `${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                }),
            ),
        },
        // One bucket setting at a time: S3 can answer concurrent changes with OperationAborted.
        { parent, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.id,
            rules: [
                {
                    id: "keep-current-backups-expire-old-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
                },
            ],
        },
        { parent },
    );
    return { bucket, versioning };
}

/** The log group every run writes its own stream to (`backup/...` and `restore-drill/...`). */
export function createRunLogGroup(
    { name, parent, tags }: ComponentScope,
    settings: BackupSettings,
): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        `${name}-logs`,
        { name: `/datomic/${settings.systemName}/backup`, retentionInDays: settings.logRetentionDays, tags },
        { parent },
    );
}

/** The lock table of lock.ts: one item per backup URI, keyed `uri`; TTL tidies expired items away. */
export function createLockTable({ name, parent, tags }: ComponentScope, settings: BackupSettings): aws.dynamodb.Table {
    return new aws.dynamodb.Table(
        `${name}-locks`,
        {
            name: backupNames(settings.systemName).lockTableName,
            billingMode: "PAY_PER_REQUEST",
            hashKey: "uri",
            attributes: [{ name: "uri", type: "S" }],
            ttl: { attributeName: "expiresAt", enabled: true },
            tags,
        },
        { parent },
    );
}
