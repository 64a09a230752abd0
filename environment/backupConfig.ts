/**
 * The backups of a Datomic Pro stack (`datomic:pro.backup`): their config schema, and DatomicBackup's
 * arguments built from it and the transactor's settings.
 */
import { z } from "zod";
import type { DatomicBackupArgs } from "../components/pro/backup/backup";
import type { DatomicTransactorArgs } from "../components/pro/transactor/transactor";

/** The stacks whose pro flavor backs up its databases unless `datomic:pro.backup.enabled` is false. */
export const BACKUP_STACKS = ["stage", "prod"];

/** DatomicBackup's arguments under `datomic:pro.backup`; the rest comes from the transactor's settings. */
export const proBackupSchema = z.strictObject({
    enabled: z.boolean().optional(),
    databases: z.array(z.string()).optional(),
    amiId: z.string().optional(),
    instanceType: z.string().optional(),
    javaXmx: z.string().optional(),
    schedule: z.string().optional(),
    scheduleTimeZone: z.string().optional(),
    maxBackupAgeHours: z.number().int().positive().optional(),
    commandTimeoutMinutes: z.number().int().positive().optional(),
    restoreDrill: z.boolean().optional(),
    bucketName: z.string().optional(),
    protectBucket: z.boolean().optional(),
    noncurrentVersionExpirationDays: z.number().int().positive().optional(),
    logRetentionDays: z.number().int().positive().optional(),
    alarmTopicArn: z.string().optional(),
});

/** DatomicBackup's arguments but the table, which the transactor names. */
export type EnvironmentBackupArgs = Omit<DatomicBackupArgs, "tableName">;

/** The transactor's settings the backups follow. */
type TransactorConfigValues = Pick<
    DatomicTransactorArgs,
    | "version"
    | "sha256"
    | "systemName"
    | "vpcId"
    | "subnetIds"
    | "amiId"
    | "instanceType"
    | "javaXmx"
    | "jrePackage"
    | "alarmTopicArn"
    | "tags"
>;

/**
 * The backups of a pro stack, when they are on: in {@link BACKUP_STACKS} unless `enabled` is false,
 * elsewhere only if `enabled` is true. They run the transactor's release, in its VPC and subnets, on its
 * image, instance type and heap (Datomic asks a backup for at least the transactor's heap), unless
 * `backup` says otherwise.
 */
export function toBackupArgs(
    transactor: TransactorConfigValues,
    backupConfig: z.infer<typeof proBackupSchema> | undefined,
    { key, stack }: { key: string; stack: string | undefined },
    problems: string[],
): EnvironmentBackupArgs | undefined {
    const { enabled, databases, amiId, ...rest } = backupConfig ?? {};
    const inBackupStack = stack !== undefined && BACKUP_STACKS.includes(stack);
    if (!(enabled ?? inBackupStack)) {
        return undefined;
    }
    const why = enabled ? "backup.enabled is true" : `backups are on in stack "${stack}"`;
    const ami = amiId ?? transactor.amiId;
    if (databases === undefined || databases.length === 0) {
        problems.push(
            `${key}.databases: required, as ${why}: list the databases to back up (or set ${key}.enabled: false)`,
        );
    }
    if (ami === undefined) {
        problems.push(
            `${key}.amiId: required, as ${why} and ${key.replace(/\.backup$/, "")}.amiId is not set: pin the Amazon Linux 2023 image`,
        );
    }
    if (databases === undefined || databases.length === 0 || ami === undefined) {
        return undefined;
    }
    return {
        version: transactor.version,
        sha256: transactor.sha256,
        systemName: transactor.systemName,
        vpcId: transactor.vpcId,
        subnetIds: transactor.subnetIds,
        amiId: ami,
        instanceType: transactor.instanceType,
        javaXmx: transactor.javaXmx,
        jrePackage: transactor.jrePackage,
        alarmTopicArn: transactor.alarmTopicArn,
        tags: transactor.tags,
        databases,
        ...rest,
    };
}
