/**
 * A backup of every database before a roll onto a new Datomic release: Datomic recommends a backup before
 * adopting a new release (docs.datomic.com/changes/pro.html). It starts a run of the attached DatomicBackup
 * as its own `backupNowCommand` does (the backup group's desired capacity to 1), waits for the run to leave
 * its group (a run lowers the desired capacity back to 0 when it ends, components/pro/backup/scripts.ts),
 * and then requires a new status object `status/<database>.json` for every database: a run writes one only
 * when that database's `backup-db` succeeded. A run already going is waited for first, since the group
 * runs one at a time.
 */
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CallEffects, errorCode, RollApi } from "./autoScaling";
import { RollFailure } from "./roll";

/** The attached DatomicBackup. */
export interface BackupRequest {
    groupName: string;
    bucketName: string;
    databases: string[];
}

/** The status object of each database: an ETag that changes with every successful backup. */
export class BackupStatus {
    constructor(private readonly s3: S3Client) {}

    /** The object's ETag, or undefined when there is none yet. */
    async etag(bucket: string, database: string): Promise<string | undefined> {
        try {
            const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `status/${database}.json` }));
            return head.ETag;
        } catch (error) {
            if (errorCode(error) === "NotFound" || errorCode(error) === "NoSuchKey") {
                return undefined;
            }
            throw error;
        }
    }
}

/** A run's group is idle when it wants no instance and has none. */
async function idle(api: RollApi, groupName: string): Promise<boolean> {
    const group = await api.group(groupName);
    if (!group) {
        throw new RollFailure(`there is no backup Auto Scaling group named ${groupName}`, "failed");
    }
    return (group.DesiredCapacity ?? 0) === 0 && (group.Instances ?? []).length === 0;
}

async function waitIdle(
    api: RollApi,
    groupName: string,
    effects: CallEffects,
    pollSeconds: number,
    deadline: number,
): Promise<void> {
    while (!(await idle(api, groupName))) {
        if (effects.now() + pollSeconds * 1000 > deadline) {
            throw new RollFailure(
                `the backup run in ${groupName} has not ended in time; no roll was started`,
                "timeout",
            );
        }
        await effects.sleep(pollSeconds * 1000);
    }
}

/** Backs up every database and waits; throws {@link RollFailure} naming the databases whose backup failed. */
export async function backUp(
    request: BackupRequest,
    api: RollApi,
    status: BackupStatus,
    effects: CallEffects,
    timing: { pollSeconds: number; deadline: number },
): Promise<void> {
    if (!(await idle(api, request.groupName))) {
        effects.progress(`a backup run in ${request.groupName} is going; waiting for it to end`);
        await waitIdle(api, request.groupName, effects, timing.pollSeconds, timing.deadline);
    }
    const before = await Promise.all(request.databases.map((db) => status.etag(request.bucketName, db)));
    effects.progress(`backing up ${request.databases.join(", ")} (${request.groupName}) before the roll`);
    await api.setDesiredCapacity(request.groupName, 1);
    // The run has started once its instance is in the group; it has ended once the group is idle again.
    await waitIdle(api, request.groupName, effects, timing.pollSeconds, timing.deadline);
    const after = await Promise.all(request.databases.map((db) => status.etag(request.bucketName, db)));
    const failed = request.databases.filter((_, i) => after[i] === undefined || after[i] === before[i]);
    if (failed.length > 0) {
        throw new RollFailure(
            `the backup before the roll failed for ${failed.join(", ")} (no new status/<database>.json in ${request.bucketName}); ` +
                "see the backup's log group; no roll was started",
            "failed",
        );
    }
    effects.progress(`backed up ${request.databases.join(", ")}`);
}
