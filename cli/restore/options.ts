/**
 * datomic-restore's options and the settings file, checked before anything is changed: every problem
 * names the option, the value and what is allowed.
 */
import * as fs from "fs";
import { z } from "zod";
import { backupUri, RestoreSettings } from "../../components/pro/backup/restoreSettings";

/** What the command was asked to do. */
export interface RestoreOptions {
    mode: "restore" | "resume" | "abort" | "status";
    settings: RestoreSettings;
    database?: string;
    t?: number;
    fromCopy: boolean;
    stopPeersCommand?: string;
    startPeersCommand?: string;
    lockWaitSeconds: number;
    timeoutSeconds: number;
    pollSeconds: number;
    json: boolean;
}

/** The flags as commander gives them. */
export interface RestoreFlags {
    settings: string;
    database?: string;
    t?: string;
    fromCopy?: boolean;
    peersStopped?: boolean;
    stopPeers?: string;
    startPeers?: string;
    transactorGroup?: string;
    resume?: boolean;
    abort?: boolean;
    status?: boolean;
    lockWait: number;
    timeout?: number;
    pollInterval: number;
    json?: boolean;
}

const settingsSchema = z.object({
    region: z.string().min(1),
    systemName: z.string().min(1),
    tableName: z.string().min(1),
    bucketName: z.string().min(1),
    replicaBucketName: z.string().min(1).optional(),
    databases: z.array(z.string().min(1)).min(1),
    lockTableName: z.string().min(1),
    restoreParameterName: z.string().startsWith("/"),
    restoreGroupName: z.string().min(1),
    backupGroupName: z.string().min(1),
    restoreDrillGroupName: z.string().min(1).optional(),
    transactorGroupName: z.string().min(1).optional(),
    transactorMetricsDimension: z.string().min(1),
    commandTimeoutMinutes: z.number().int().positive(),
    logGroupName: z.string().min(1),
});

/** Thrown for a bad option or settings file; nothing has been changed. */
export class UsageError extends Error {}

/** Reads `--settings` and checks the flags; throws UsageError listing every problem. */
export function resolveOptions(flags: RestoreFlags): RestoreOptions {
    const problems: string[] = [];
    const settings = readSettings(flags.settings, problems);
    if (flags.transactorGroup !== undefined && settings) {
        settings.transactorGroupName = flags.transactorGroup;
    }
    const modes = (["resume", "abort", "status"] as const).filter((mode) => flags[mode]);
    if (modes.length > 1) {
        problems.push(`--${modes.join(", --")}: choose one`);
    }
    const mode: RestoreOptions["mode"] = modes.at(0) ?? "restore";
    let t: number | undefined;
    if (mode === "restore" && settings) {
        if (flags.database === undefined) {
            problems.push(`--database: required; one of ${settings.databases.join(", ")}`);
        } else if (!settings.databases.includes(flags.database)) {
            problems.push(
                `--database: "${flags.database}" is not backed up here; one of ${settings.databases.join(", ")}`,
            );
        }
        if (flags.t !== undefined) {
            t = Number(flags.t);
            if (!/^[0-9]+$/.test(flags.t) || !Number.isSafeInteger(t)) {
                problems.push(`--t: "${flags.t}" is not a basis t (a whole number, as list-backups prints)`);
            }
        }
        if (flags.fromCopy && settings.replicaBucketName === undefined) {
            problems.push("--from-copy: this system has no copy (DatomicBackup's replicaBucketArn is not set)");
        }
        if (!settings.transactorGroupName) {
            problems.push(
                "--transactor-group: required (DatomicBackup's transactorGroupName is not set): the group to stop",
            );
        }
        if (!flags.peersStopped && flags.stopPeers === undefined) {
            problems.push(
                "--peers-stopped or --stop-peers <command>: Datomic requires every peer to be stopped for a restore; stop them and confirm with --peers-stopped, or give the command that stops them",
            );
        }
    }
    if (problems.length > 0 || !settings) {
        throw new UsageError(problems.join("\n"));
    }
    return {
        mode,
        settings,
        database: flags.database,
        t,
        fromCopy: flags.fromCopy ?? false,
        stopPeersCommand: flags.stopPeers,
        startPeersCommand: flags.startPeers,
        lockWaitSeconds: flags.lockWait,
        timeoutSeconds: flags.timeout ?? settings.commandTimeoutMinutes * 60 + 3600,
        pollSeconds: flags.pollInterval,
        json: flags.json ?? false,
    };
}

function readSettings(file: string, problems: string[]): RestoreSettings | undefined {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        problems.push(
            `--settings: cannot read ${file} (${(e as Error).message}); write it with "pulumi stack output restoreSettings --json > ${file}"`,
        );
        return undefined;
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch {
        problems.push(`--settings: ${file} is not JSON; write it with "pulumi stack output restoreSettings --json"`);
        return undefined;
    }
    const parsed = settingsSchema.safeParse(json);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            problems.push(`--settings: ${file}: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
        }
        return undefined;
    }
    return parsed.data;
}

/** The backup URI a restore reads: the bucket's, or the copy's with `--from-copy`. */
export function sourceUri(options: RestoreOptions, database: string): string {
    const bucket = options.fromCopy ? options.settings.replicaBucketName! : options.settings.bucketName;
    return backupUri(bucket, database);
}
