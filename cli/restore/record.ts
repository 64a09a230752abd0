/**
 * The durable record of a restore: one SSM parameter per system (`/datomic/<system>/restore`), created
 * only if absent (PutParameter without Overwrite fails with ParameterAlreadyExists,
 * docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html), so two restores never
 * run at once. It is the request the restore run reads (restoreScript.ts) and the progress `--resume`
 * and `--abort` continue from; it exists exactly while the system is out of its normal state.
 */
import {
    DeleteParameterCommand,
    GetParameterCommand,
    ParameterAlreadyExists,
    ParameterNotFound,
    PutParameterCommand,
    SSMClient,
} from "@aws-sdk/client-ssm";

/** The steps of a restore, in order; the record names the next one to do. */
export const RESTORE_STEPS = [
    "lock",
    "pause-schedules",
    "stop-peers",
    "stop-transactors",
    "restore",
    "start-transactors",
    "wait-active",
    "start-peers",
    "resume-schedules",
    "unlock",
] as const;
export type RestoreStep = (typeof RESTORE_STEPS)[number] | "done";

/** A restore in progress. */
export interface RestoreRecord {
    id: string;
    database: string;
    /** The requested t; absent: the newest in the backup. */
    t?: number;
    /** The backup URI read (the bucket's, or the copy's). */
    sourceUri: string;
    /** The lock key: always the primary bucket's backup URI of the database. */
    lockUri: string;
    startedAt: string;
    step: RestoreStep;
    /** The transactor group's sizes before maintenance. */
    transactors?: { groupName: string; minSize: number; maxSize: number; desiredCapacity: number };
    /** Groups whose scheduled actions this restore suspended (and so resumes). */
    suspendedGroups?: string[];
    runStartedAt?: string;
    restoredT?: string;
    transactorsStartedAt?: string;
    /** The peer hooks, kept so that `--resume` and `--abort` run the same ones. */
    stopPeersCommand?: string;
    startPeersCommand?: string;
    history: { step: string; at: string }[];
}

/** Reads, creates, saves and deletes the record. */
export class RecordStore {
    constructor(
        private readonly ssm: SSMClient,
        readonly parameterName: string,
    ) {}

    async read(): Promise<RestoreRecord | undefined> {
        try {
            const answer = await this.ssm.send(new GetParameterCommand({ Name: this.parameterName }));
            return JSON.parse(answer.Parameter?.Value ?? "null") ?? undefined;
        } catch (e) {
            if (e instanceof ParameterNotFound) {
                return undefined;
            }
            throw e;
        }
    }

    /** Creates the record; false when another restore's record exists. */
    async create(record: RestoreRecord): Promise<boolean> {
        try {
            await this.ssm.send(
                new PutParameterCommand({
                    Name: this.parameterName,
                    Type: "String",
                    Value: JSON.stringify(record),
                    Overwrite: false,
                    Description:
                        "datomic-restore: the restore in progress (while it exists, the system is in maintenance)",
                }),
            );
            return true;
        } catch (e) {
            if (e instanceof ParameterAlreadyExists) {
                return false;
            }
            throw e;
        }
    }

    async save(record: RestoreRecord): Promise<void> {
        await this.ssm.send(
            new PutParameterCommand({
                Name: this.parameterName,
                Type: "String",
                Value: JSON.stringify(record),
                Overwrite: true,
            }),
        );
    }

    async remove(): Promise<void> {
        try {
            await this.ssm.send(new DeleteParameterCommand({ Name: this.parameterName }));
        } catch (e) {
            if (!(e instanceof ParameterNotFound)) {
                throw e;
            }
        }
    }
}
