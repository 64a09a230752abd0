#!/usr/bin/env node
/**
 * datomic-transactor-roll: roll a DatomicTransactor's Auto Scaling group onto a launch template version
 * with an instance refresh (launch before terminate, auto rollback on) and wait until it ends; see
 * transactorRoll/roll.ts. DatomicTransactor runs it through a `@pulumi/command` local command whenever the
 * launch template's version changes. Credentials come from the ambient AWS chain (environment, profile,
 * instance role), never from flags. Progress goes to stderr; the result, as JSON, to stdout.
 *
 * Exit status: 0 when the refresh succeeded (or nothing needed rolling), 1 when it failed, was cancelled or
 * rolled back, 2 for bad usage, 3 when it was still running at `--timeout` (a later run resumes the wait).
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { S3Client } from "@aws-sdk/client-s3";
import { Command, InvalidArgumentError } from "commander";
import { parseCommandLine } from "./commandLine";
import { performance } from "perf_hooks";
import { CallEffects, RollApi } from "./transactorRoll/autoScaling";
import { BackupRequest, BackupStatus, backUp } from "./transactorRoll/backup";
import { roll, rollDue, RollFailure, RollRequest, TRANSACTOR_ROLL_EXIT } from "./transactorRoll/roll";

interface Flags {
    group: string;
    launchTemplateId: string;
    launchTemplateVersion: string;
    region?: string;
    warmup: number;
    alarm: string[];
    pollInterval: number;
    retryDelay: number;
    timeout: number;
    backupOnly?: boolean;
    backupGroup?: string;
    backupBucket?: string;
    backupDatabase: string[];
}

function seconds(text: string): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) {
        throw new InvalidArgumentError("expected a number of seconds, 0 or more");
    }
    return value;
}

function positiveSeconds(text: string): number {
    const value = seconds(text);
    if (value === 0) {
        throw new InvalidArgumentError("expected a positive number of seconds");
    }
    return value;
}

function version(text: string): string {
    if (!/^[1-9]\d*$/.test(text)) {
        throw new InvalidArgumentError(
            "expected a launch template version number ($Latest and $Default cannot roll back)",
        );
    }
    return text;
}

async function main(argv: string[]): Promise<number> {
    const program = new Command()
        .name("datomic-transactor-roll")
        .description(
            "Roll a transactor Auto Scaling group onto a launch template version: an instance refresh that launches\n" +
                "before it terminates and rolls back on failure, waited for until it ends.",
        )
        .requiredOption("--group <name>", "the Auto Scaling group")
        .requiredOption("--launch-template-id <id>", "the launch template")
        .requiredOption("--launch-template-version <number>", "the version to roll onto", version)
        .option("--region <region>", "the AWS region (the SDK's default chain when omitted)")
        .option("--warmup <seconds>", "seconds a new InService instance warms up", seconds, 0)
        .option(
            "--alarm <name>",
            "a CloudWatch alarm that fails the refresh (repeatable)",
            (v, all: string[]) => [...all, v],
            [],
        )
        .option("--poll-interval <seconds>", "seconds between status polls", positiveSeconds, 15)
        .option("--retry-delay <seconds>", "first wait after a throttled call, doubled each time", positiveSeconds, 1)
        .option(
            "--timeout <seconds>",
            "stop waiting after this many seconds (the refresh goes on)",
            positiveSeconds,
            3600,
        )
        .option(
            "--backup-only",
            "instead of rolling: when a roll onto the version is due, back up every database first (DatomicBackup)",
        )
        .option("--backup-group <name>", "with --backup-only: the DatomicBackup's backup group")
        .option("--backup-bucket <bucket>", "with --backup-only: the DatomicBackup's bucket")
        .option(
            "--backup-database <name>",
            "with --backup-only: a database (repeatable)",
            (v, all: string[]) => [...all, v],
            [],
        )
        .showHelpAfterError();
    const exit = parseCommandLine(program, argv, TRANSACTOR_ROLL_EXIT.usage);
    if (exit !== undefined) {
        return exit;
    }
    const flags = program.opts<Flags>();
    const request: RollRequest = {
        groupName: flags.group,
        launchTemplateId: flags.launchTemplateId,
        launchTemplateVersion: flags.launchTemplateVersion,
        instanceWarmupSeconds: flags.warmup,
        alarmNames: flags.alarm,
        pollIntervalSeconds: flags.pollInterval,
        timeoutSeconds: flags.timeout,
    };
    const effects: CallEffects = {
        now: () => performance.now(),
        sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
        progress: (line) => process.stderr.write(`datomic-transactor-roll: ${line}\n`),
    };
    // One attempt per SDK call: RollApi retries throttled calls itself, with its own backoff.
    // The endpoint is AWS's unless AWS_ENDPOINT_URL_AUTO_SCALING names another (the SDKs' service-specific
    // endpoint setting, docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html); tests use it.
    const client = new AutoScalingClient({ region: flags.region, maxAttempts: 1 });
    const api = new RollApi(client, effects, {
        baseDelayMilliseconds: flags.retryDelay * 1000,
        deadline: effects.now() + flags.timeout * 1000,
    });
    try {
        const result = flags.backupOnly
            ? await backUpIfRollDue(request, api, effects, flags.region, {
                  groupName: flags.backupGroup!,
                  bucketName: flags.backupBucket!,
                  databases: flags.backupDatabase,
              })
            : await roll(request, api, effects);
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return TRANSACTOR_ROLL_EXIT.success;
    } catch (error) {
        if (error instanceof RollFailure) {
            process.stderr.write(`datomic-transactor-roll: ${error.message}\n`);
            return error.kind === "timeout" ? TRANSACTOR_ROLL_EXIT.timeout : TRANSACTOR_ROLL_EXIT.failed;
        }
        throw error;
    } finally {
        client.destroy();
    }
}

/** `--backup-only`: a backup when a roll onto the version is due (not on a first deployment, nor a rerun). */
async function backUpIfRollDue(
    request: RollRequest,
    api: RollApi,
    effects: CallEffects,
    region: string | undefined,
    backup: BackupRequest,
): Promise<{ status: "BackedUp" | "NoRollDue"; databases: string[] }> {
    if (!(await rollDue(request, api))) {
        effects.progress(`${request.groupName} needs no roll onto version ${request.launchTemplateVersion}; no backup`);
        return { status: "NoRollDue", databases: [] };
    }
    // A custom S3 endpoint (tests, S3-compatible stores) is addressed path-style; AWS's is not touched.
    const s3 = new S3Client({ region, forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined });
    try {
        await backUp(backup, api, new BackupStatus(s3), effects, {
            pollSeconds: request.pollIntervalSeconds,
            deadline: effects.now() + request.timeoutSeconds * 1000,
        });
    } finally {
        s3.destroy();
    }
    return { status: "BackedUp", databases: backup.databases };
}

main(process.argv).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`datomic-transactor-roll: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = TRANSACTOR_ROLL_EXIT.failed;
    },
);
