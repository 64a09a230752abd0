/**
 * The transactor's storage: the DynamoDB table (hash key `id`, string, as `ensure-transactor` created
 * it) and the optional log bucket. Both are protected and retained unless the caller relaxes it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import type { ComponentScope } from "../scope";
import type { TransactorSettings } from "./settings";

/**
 * The storage table. `tableName` arrives through the checked region, so a deployment to the wrong
 * region fails before the table is registered.
 *
 * An adopted table is imported exactly as it is: its billing mode, capacity, point-in-time recovery,
 * deletion protection and tags are read from AWS (unless given), because Pulumi fails an import whose
 * inputs differ from the resource, and a table `ensure-transactor` made (provisioned, no point-in-time
 * recovery) would otherwise be flipped by the first update after it.
 */
export function createStorageTable(
    scope: ComponentScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
    tableName: pulumi.Output<string>,
): aws.dynamodb.Table {
    const options = {
        parent: scope.parent,
        protect: settings.protectStorage,
        retainOnDelete: settings.protectStorage,
    };
    const schema = { name: tableName, hashKey: "id", attributes: [{ name: "id", type: "S" }] };
    if (!args.adoptTable) {
        const provisioned = settings.billingMode === "PROVISIONED";
        return new aws.dynamodb.Table(
            `${scope.name}-table`,
            {
                ...schema,
                billingMode: settings.billingMode,
                readCapacity: provisioned ? args.readCapacity : undefined,
                writeCapacity: provisioned ? args.writeCapacity : undefined,
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: settings.protectStorage,
                tags: scope.tags,
            },
            options,
        );
    }
    const existing = tableName
        .apply((name) => aws.dynamodb.getTable({ name }, { parent: scope.parent }))
        .apply((table) => {
            const key = table.attributes.find((attribute) => attribute.name === table.hashKey);
            if (table.hashKey !== "id" || key?.type !== "S" || table.rangeKey) {
                throw new pulumi.ResourceError(
                    `tableName: the table "${table.name}" has hash key ${table.hashKey} (${key?.type})${table.rangeKey ? ` and range key ${table.rangeKey}` : ""}; a Datomic table has only hash key "id" (S)`,
                    scope.parent,
                );
            }
            return table;
        });
    const billingMode = existing.apply((table) => settings.billingMode ?? table.billingMode);
    const capacity = (given: number | undefined, read: (table: aws.dynamodb.GetTableResult) => number) =>
        pulumi
            .all([existing, billingMode])
            .apply(([table, mode]) => (mode === "PROVISIONED" ? (given ?? read(table)) : undefined));
    return new aws.dynamodb.Table(
        `${scope.name}-table`,
        {
            ...schema,
            billingMode,
            readCapacity: capacity(args.readCapacity, (table) => table.readCapacity),
            writeCapacity: capacity(args.writeCapacity, (table) => table.writeCapacity),
            pointInTimeRecovery: existing.apply((table) => ({ enabled: table.pointInTimeRecovery.enabled })),
            deletionProtectionEnabled:
                args.protectStorage !== undefined
                    ? args.protectStorage
                    : existing.apply((table) => table.deletionProtectionEnabled),
            tags: existing.apply((table) => table.tags),
        },
        { ...options, import: settings.tableName },
    );
}

/** The log bucket: AES-256 encrypted, public access blocked, optional expiry, protected like the table. */
export function createLogBucket(scope: ComponentScope, args: DatomicTransactorArgs, protect: boolean): aws.s3.Bucket {
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
