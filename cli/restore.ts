#!/usr/bin/env node
/**
 * datomic-restore: restore a Datomic Pro database from DatomicBackup's backups into the live table, the
 * way Datomic requires (docs.datomic.com/operation/backup.html): transactors and peers stopped, no backup
 * writing the backup URI. It takes the lock, pauses the backup and drill schedules, stops the peers (a
 * hook, or the user's confirmation) and the transactors, restores through DatomicBackup's restore run,
 * starts the transactors again, waits until one is active, resumes the schedules and reports. Its progress
 * lives in an SSM parameter, so `--resume` and `--abort` finish what an interrupted run left; while it
 * exists the `<system>-datomic-restore-in-progress` alarm is on. Exit statuses: RESTORE_EXIT.
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SSMClient } from "@aws-sdk/client-ssm";
import { randomBytes } from "crypto";
import { Command, InvalidArgumentError } from "commander";
import { parseCommandLine } from "./commandLine";
import { abortRestore } from "./restore/abort";
import { RESTORE_EXIT, RestoreStop } from "./restore/exitCodes";
import { UriLock } from "./restore/lock";
import { resolveOptions, RestoreFlags, RestoreOptions, sourceUri, UsageError } from "./restore/options";
import { RecordStore, RestoreRecord } from "./restore/record";
import { RestoreContext, runSteps } from "./restore/steps";
import { SystemControls } from "./restore/system";
import { backupUri } from "../components/pro/backup/restoreSettings";

/** What the command prints as its result (`--json`: this object). */
interface RestoreReport {
    status: "restored" | "aborted" | "in-progress" | "idle" | "stopped";
    exitCode: number;
    restoreId?: string;
    database?: string;
    t?: string;
    source?: string;
    step?: string;
    message?: string;
    inMaintenance: boolean;
    history?: RestoreRecord["history"];
}

export async function main(argv: string[]): Promise<number> {
    const program = new Command()
        .name("datomic-restore")
        .description(
            "Restore a Datomic Pro database from DatomicBackup's backups into the live table: maintenance\n" +
                "(lock, schedules paused, peers and transactors stopped), restore, transactors back, schedules resumed.\n" +
                "Exit: 0 done, 1 restore failed (in maintenance), 2 usage, 3 busy, 4 timed out (in maintenance),\n" +
                "5 nothing to resume or abort, 6 peer hook failed (in maintenance), 7 AWS error, 130 interrupted.",
        )
        .requiredOption(
            "--settings <file>",
            "DatomicBackup's restoreSettings (pulumi stack output restoreSettings --json)",
        )
        .option("--database <name>", "the database to restore")
        .option("--t <t>", "the basis t to restore (default: the newest in the backup)")
        .option("--from-copy", "restore from the replicated copy (replicaBucketArn) instead of the bucket")
        .option("--peers-stopped", "confirm that every peer of the database is stopped")
        .option("--stop-peers <command>", "a shell command that stops every peer (run before the transactors stop)")
        .option(
            "--start-peers <command>",
            "a shell command that starts the peers again (run once a transactor is active)",
        )
        .option("--transactor-group <name>", "the transactors' Auto Scaling group (default: from the settings)")
        .option("--resume", "continue the restore in progress")
        .option("--abort", "undo the restore in progress and end maintenance")
        .option("--status", "print the restore in progress, if any")
        .option(
            "--lock-wait <seconds>",
            "wait this long for another run's lock before reporting busy",
            seconds(true),
            0,
        )
        .option(
            "--timeout <seconds>",
            "give up waiting after this long (default: the command timeout plus an hour)",
            seconds(false),
        )
        .option("--poll-interval <seconds>", "seconds between checks", seconds(false), 10)
        .option("--json", "print the result as JSON on stdout")
        .showHelpAfterError();
    const exit = parseCommandLine(program, argv, RESTORE_EXIT.usage);
    if (exit !== undefined) {
        return exit;
    }
    let options: RestoreOptions;
    try {
        options = resolveOptions(program.opts<RestoreFlags>());
    } catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`datomic-restore: nothing was changed:\n${e.message}\n`);
            return RESTORE_EXIT.usage;
        }
        throw e;
    }
    const report = await execute(options);
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : describe(report));
    return report.exitCode;
}

async function execute(options: RestoreOptions): Promise<RestoreReport> {
    const { settings } = options;
    const clients = {
        ssm: new SSMClient({ region: settings.region }),
        dynamodb: new DynamoDBClient({ region: settings.region }),
        autoscaling: new AutoScalingClient({ region: settings.region }),
        cloudwatch: new CloudWatchClient({ region: settings.region }),
    };
    const store = new RecordStore(clients.ssm, settings.restoreParameterName);
    const system = new SystemControls(clients.autoscaling, clients.cloudwatch, settings.systemName);
    let interrupted = false;
    const onSignal = () => {
        interrupted = true;
        process.stderr.write("datomic-restore: interrupted; stopping at the next check\n");
    };
    process.on("SIGINT", onSignal).on("SIGTERM", onSignal);
    let record: RestoreRecord | undefined;
    try {
        record = await store.read();
        if (options.mode === "status") {
            return record
                ? summary(record, "in-progress", RESTORE_EXIT.ok)
                : idle(RESTORE_EXIT.ok, "no restore in progress");
        }
        if (options.mode !== "restore" && !record) {
            return idle(RESTORE_EXIT.nothingInProgress, "no restore in progress");
        }
        if (options.mode === "restore") {
            if (record) {
                return summary(
                    record,
                    "stopped",
                    RESTORE_EXIT.busy,
                    `restore ${record.id} of ${record.database} is in progress since ${record.startedAt} (step ${record.step}); --resume or --abort it first`,
                );
            }
            record = newRecord(options);
        }
        const active: RestoreRecord = record!;
        const lock = new UriLock(
            clients.dynamodb,
            settings.lockTableName,
            active.lockUri,
            active.id,
            settings.commandTimeoutMinutes * 60 + 900,
        );
        const ctx: RestoreContext = {
            settings,
            store,
            lock,
            system,
            record: active,
            pollSeconds: options.pollSeconds,
            deadline: Date.now() + options.timeoutSeconds * 1000,
            say: (line) => process.stderr.write(`datomic-restore: ${line}\n`),
            checkInterrupted: () => {
                if (interrupted) {
                    throw new RestoreStop(`interrupted during step ${active.step}`, RESTORE_EXIT.interrupted);
                }
            },
        };
        if (options.mode === "abort") {
            const outcome = await abortRestore(ctx);
            record = undefined;
            return {
                ...summary(active, "aborted", RESTORE_EXIT.ok),
                inMaintenance: false,
                message: outcome.partialRestore
                    ? `the live table may hold a partial restore of ${active.database}`
                    : undefined,
            };
        }
        if (options.mode === "restore") {
            const busy = await startRestore(ctx, options);
            if (busy) {
                record = undefined;
                return { ...summary(active, "stopped", RESTORE_EXIT.busy, busy), inMaintenance: false };
            }
        }
        await runSteps(ctx);
        record = undefined;
        return { ...summary(active, "restored", RESTORE_EXIT.ok), inMaintenance: false };
    } catch (e) {
        const stop =
            e instanceof RestoreStop ? e : new RestoreStop(`AWS: ${(e as Error).message}`, RESTORE_EXIT.awsError);
        const current = record ?? (await store.read().catch(() => undefined));
        return current ? summary(current, "stopped", stop.exitCode, stop.message) : idle(stop.exitCode, stop.message);
    } finally {
        process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
        Object.values(clients).forEach((client) => client.destroy());
    }
}

/** Claims the record and the lock; the reason when busy (then nothing was changed). */
async function startRestore(ctx: RestoreContext, options: RestoreOptions): Promise<string | undefined> {
    if (!(await ctx.store.create(ctx.record))) {
        const other = await ctx.store.read();
        return `restore ${other?.id ?? "?"} is in progress since ${other?.startedAt ?? "?"}; --resume or --abort it first`;
    }
    const until = Date.now() + options.lockWaitSeconds * 1000;
    while (!(await ctx.lock.take())) {
        if (Date.now() >= until) {
            const holder = await ctx.lock.read();
            await ctx.store.remove();
            const expires = holder ? new Date(holder.expiresAt * 1000).toISOString() : "?";
            return `busy: ${ctx.lock.uri} is locked by ${holder?.owner ?? "another run"} until ${expires}; nothing was changed (retry later, or --lock-wait)`;
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollSeconds * 1000));
    }
    return undefined;
}

function newRecord(options: RestoreOptions): RestoreRecord {
    const database = options.database!;
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    return {
        id: `r-${stamp}-${randomBytes(2).toString("hex")}`,
        database,
        ...(options.t !== undefined ? { t: options.t } : {}),
        sourceUri: sourceUri(options, database),
        lockUri: backupUri(options.settings.bucketName, database),
        startedAt: new Date().toISOString(),
        step: "lock",
        ...(options.stopPeersCommand ? { stopPeersCommand: options.stopPeersCommand } : {}),
        ...(options.startPeersCommand ? { startPeersCommand: options.startPeersCommand } : {}),
        history: [],
    };
}

function summary(
    record: RestoreRecord,
    status: RestoreReport["status"],
    exitCode: number,
    message?: string,
): RestoreReport {
    return {
        status,
        exitCode,
        restoreId: record.id,
        database: record.database,
        t: record.restoredT ?? (record.t !== undefined ? String(record.t) : undefined),
        source: record.sourceUri,
        step: record.step,
        ...(message ? { message } : {}),
        inMaintenance: true,
        history: record.history,
    };
}

function idle(exitCode: number, message: string): RestoreReport {
    return { status: "idle", exitCode, message, inMaintenance: false };
}

function describe(report: RestoreReport): string {
    const lines = [
        ["status", report.status],
        ["restore", report.restoreId],
        ["database", report.database],
        ["t", report.t],
        ["from", report.source],
        ["step", report.status === "restored" ? undefined : report.step],
        ["message", report.message],
    ]
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}: ${value}\n`);
    if (report.inMaintenance) {
        lines.push(
            "THE SYSTEM IS IN MAINTENANCE: finish with datomic-restore --resume, or undo with datomic-restore --abort\n",
        );
    }
    return lines.join("");
}

function seconds(allowZero: boolean) {
    return (text: string): number => {
        const value = Number(text);
        if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
            throw new InvalidArgumentError(`expected a ${allowZero ? "non-negative" : "positive"} number of seconds`);
        }
        return value;
    };
}

if (require.main === module) {
    main(process.argv).then(
        (code) => process.exit(code),
        (e) => {
            process.stderr.write(`datomic-restore: ${e instanceof Error ? e.stack : String(e)}\n`);
            process.exit(RESTORE_EXIT.awsError);
        },
    );
}
