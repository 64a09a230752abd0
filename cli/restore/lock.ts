/**
 * The restore's side of the lock of components/pro/backup/lock.ts: the same item, keyed by the backup
 * URI, taken with a conditional PutItem (free, expired, or already this restore's: `--resume`), renewed
 * while the restore waits, released with a conditional DeleteItem. The restore run writes its outcome
 * (`runState`, `restoredT`) on the item.
 */
import {
    ConditionalCheckFailedException,
    DeleteItemCommand,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

/** The lock item as the command reads it. */
export interface LockItem {
    owner: string;
    kind?: string;
    expiresAt: number;
    runState?: string;
    restoredT?: string;
}

const epoch = () => Math.floor(Date.now() / 1000);

/** One backup URI's lock, held as `restore/<id>`. */
export class UriLock {
    readonly owner: string;

    constructor(
        private readonly dynamodb: DynamoDBClient,
        private readonly tableName: string,
        readonly uri: string,
        restoreId: string,
        private readonly leaseSeconds: number,
    ) {
        this.owner = `restore/${restoreId}`;
    }

    private get key() {
        return { uri: { S: this.uri } };
    }

    /** Takes the lock; false when another run holds it and it has not expired. */
    async take(): Promise<boolean> {
        const now = epoch();
        try {
            await this.dynamodb.send(
                new PutItemCommand({
                    TableName: this.tableName,
                    Item: {
                        ...this.key,
                        owner: { S: this.owner },
                        kind: { S: "restore" },
                        takenAt: { N: String(now) },
                        expiresAt: { N: String(now + this.leaseSeconds) },
                    },
                    ConditionExpression: "attribute_not_exists(uri) OR expiresAt < :now OR #owner = :owner",
                    ExpressionAttributeNames: { "#owner": "owner" },
                    ExpressionAttributeValues: { ":now": { N: String(now) }, ":owner": { S: this.owner } },
                }),
            );
            return true;
        } catch (e) {
            if (e instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw e;
        }
    }

    /** Extends the lease and, when asked, clears the restore run's outcome (for a new run). */
    async renew(clearRun = false): Promise<void> {
        await this.dynamodb.send(
            new UpdateItemCommand({
                TableName: this.tableName,
                Key: this.key,
                UpdateExpression: `SET expiresAt = :expires${clearRun ? " REMOVE runState, restoredT" : ""}`,
                ConditionExpression: "#owner = :owner",
                ExpressionAttributeNames: { "#owner": "owner" },
                ExpressionAttributeValues: {
                    ":expires": { N: String(epoch() + this.leaseSeconds) },
                    ":owner": { S: this.owner },
                },
            }),
        );
    }

    async read(): Promise<LockItem | undefined> {
        const answer = await this.dynamodb.send(
            new GetItemCommand({ TableName: this.tableName, Key: this.key, ConsistentRead: true }),
        );
        const item = answer.Item;
        return item
            ? {
                  owner: item.owner?.S ?? "unknown",
                  kind: item.kind?.S,
                  expiresAt: Number(item.expiresAt?.N ?? 0),
                  runState: item.runState?.S,
                  restoredT: item.restoredT?.S || undefined,
              }
            : undefined;
    }

    /** Releases the lock if this restore still holds it. */
    async release(): Promise<void> {
        try {
            await this.dynamodb.send(
                new DeleteItemCommand({
                    TableName: this.tableName,
                    Key: this.key,
                    ConditionExpression: "#owner = :owner",
                    ExpressionAttributeNames: { "#owner": "owner" },
                    ExpressionAttributeValues: { ":owner": { S: this.owner } },
                }),
            );
        } catch (e) {
            if (!(e instanceof ConditionalCheckFailedException)) {
                throw e;
            }
        }
    }
}
