/**
 * The opt-in copy of DatomicBackup's backups: S3 replication of `backups/` to a versioned bucket in
 * another region or account, with a role of its own that S3 assumes.
 *
 * The role's permissions are those of docs.aws.amazon.com/AmazonS3/latest/userguide/
 * setting-repl-config-perm-overview.html: `s3:GetReplicationConfiguration` and `s3:ListBucket` on the
 * source bucket, `s3:GetObjectVersionForReplication`, `GetObjectVersionAcl` and `GetObjectVersionTagging`
 * on its objects, `s3:ReplicateObject`, `ReplicateDelete` and `ReplicateTags` on the destination's. In
 * another account the replicas are handed to the destination's owner (owner override,
 * replication-change-owner.html: the role also needs `s3:ObjectOwnerOverrideToBucketOwner`, and the
 * destination's bucket policy must allow the role; that policy belongs to the other account). Both
 * buckets must be versioned: the configuration waits for the source's versioning (the provider's
 * `aws_s3_bucket_replication_configuration` docs ask for `depends_on` the versioning resource).
 * Delete markers are not replicated, so the copy outlives a deletion in the source.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_PREFIX } from "./scripts";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import type { ComponentScope } from "../scope";

/** The replication configuration and its role, when `replicaBucketArn` is set. */
export function createReplication(
    { name, parent, tags }: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
    source: { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning },
): aws.s3.BucketReplicationConfig | undefined {
    if (args.replicaBucketArn === undefined) {
        return undefined;
    }
    const replica = pulumi.output(args.replicaBucketArn);
    const otherAccount = args.replicaAccountId !== undefined;
    const role = new aws.iam.Role(
        `${name}-replication-role`,
        {
            name: `${settings.systemName}-datomic-backup-replication`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: ["sts:AssumeRole"] },
                ],
            }),
            tags,
        },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${name}-replication-policy`,
        {
            name: `${settings.systemName}-datomic-backup-replication`,
            role: role.id,
            policy: pulumi
                .all([source.bucket.arn, replica])
                .apply(([sourceArn, replicaArn]) =>
                    JSON.stringify(replicationPolicy(sourceArn, replicaArn, otherAccount)),
                ),
        },
        { parent },
    );
    return new aws.s3.BucketReplicationConfig(
        `${name}-replication`,
        {
            bucket: source.bucket.id,
            role: role.arn,
            rules: [
                {
                    id: "copy-backups",
                    status: "Enabled",
                    filter: { prefix: BACKUP_PREFIX },
                    deleteMarkerReplication: { status: "Disabled" },
                    destination: {
                        bucket: replica,
                        ...(otherAccount
                            ? { account: args.replicaAccountId, accessControlTranslation: { owner: "Destination" } }
                            : {}),
                    },
                },
            ],
        },
        { parent, dependsOn: [source.versioning, policy] },
    );
}

/** The replication role's policy document. */
export function replicationPolicy(sourceArn: string, replicaArn: string, otherAccount: boolean) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadSourceConfiguration",
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: sourceArn,
            },
            {
                Sid: "ReadSourceVersions",
                Effect: "Allow",
                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                Resource: `${sourceArn}/${BACKUP_PREFIX}*`,
            },
            {
                Sid: "WriteReplicas",
                Effect: "Allow",
                Action: [
                    "s3:ReplicateObject",
                    "s3:ReplicateDelete",
                    "s3:ReplicateTags",
                    ...(otherAccount ? ["s3:ObjectOwnerOverrideToBucketOwner"] : []),
                ],
                Resource: `${replicaArn}/${BACKUP_PREFIX}*`,
            },
        ],
    };
}
