/**
 * The transactor's storage: the DynamoDB table (hash key `id`, string, as `ensure-transactor` created
 * it) and the optional log bucket. Both are protected and retained unless the caller relaxes it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import type { TransactorScope } from "./scope";
import type { TransactorSettings } from "./settings";

/**
 * The storage table. `tableName` arrives through the checked region, so a deployment to the wrong
 * region fails before the table is registered.
 */
export function createStorageTable(
    scope: TransactorScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
    tableName: pulumi.Output<string>,
): aws.dynamodb.Table {
    const provisioned = settings.billingMode === "PROVISIONED";
    return new aws.dynamodb.Table(
        `${scope.name}-table`,
        {
            name: tableName,
            hashKey: "id",
            attributes: [{ name: "id", type: "S" }],
            billingMode: settings.billingMode,
            readCapacity: provisioned ? args.readCapacity : undefined,
            writeCapacity: provisioned ? args.writeCapacity : undefined,
            pointInTimeRecovery: { enabled: true },
            deletionProtectionEnabled: settings.protectStorage,
            tags: scope.tags,
        },
        {
            parent: scope.parent,
            protect: settings.protectStorage,
            retainOnDelete: settings.protectStorage,
            import: args.adoptTable ? settings.tableName : undefined,
        },
    );
}

/** The log bucket: AES-256 encrypted, public access blocked, optional expiry, protected like the table. */
export function createLogBucket(scope: TransactorScope, args: DatomicTransactorArgs, protect: boolean): aws.s3.Bucket {
    const { name, parent, tags } = scope;
    const bucket = new aws.s3.Bucket(
        `${name}-logs`,
        { bucket: args.logBucketName, forceDestroy: !protect, tags },
        { parent, protect, retainOnDelete: protect },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-logs-encryption`,
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { parent },
    );
    new aws.s3.BucketPublicAccessBlock(
        `${name}-logs-public-access`,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        { parent },
    );
    if (args.logExpirationDays !== undefined) {
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-logs-expiry`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-transactor-logs",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: args.logExpirationDays },
                    },
                ],
            },
            { parent },
        );
    }
    return bucket;
}
