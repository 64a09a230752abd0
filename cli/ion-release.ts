#!/usr/bin/env node
/**
 * datomic-ion-release: push an ion, deploy it to a compute group and wait for the deploy
 * to finish, as one blocking, shell-friendly command over Datomic's ion-dev. Push, deploy
 * and the status polls run in one JVM (see ionRelease/ionDevProcess.ts). Exits 0 only when
 * the deploy and its CodeDeploy deployment both SUCCEEDED; see ION_RELEASE_EXIT for the others.
 */
import { spawnSync } from "child_process";
import { randomBytes } from "crypto";
import { Command, InvalidArgumentError, Option } from "commander";
import { parseCommandLine } from "./commandLine";
import { constants as osConstants } from "os";
import { performance } from "perf_hooks";
import { localRootDependencies } from "../components/internal/depsEdn";
import { ION_RELEASE_EXIT, IonReleaseResult } from "../components/internal/ionDev";
import { assumeRoleEnvironment, sessionSeconds, withRoleCredentials } from "./ionRelease/assumeRole";
import { startIonDev } from "./ionRelease/ionDevProcess";
import { GitState, IonDevStartError, release, ReleaseEffects, ReleaseOptions } from "./ionRelease/release";

interface Flags {
    group: string;
    region?: string;
    uname?: string;
    uniqueUname?: boolean;
    rev?: string;
    executionArn?: string;
    credsProfile?: string;
    roleArn?: string;
    alias: string;
    clojure: string;
    timeout: number;
    pollInterval: number;
    failOnConflicts?: boolean;
    json?: boolean;
}

/** The environment variables `--creds-profile` and `--role-arn` fall back to (IonDeployment sets them). */
const CREDS_PROFILE_VARIABLE = "DATOMIC_ION_CREDS_PROFILE";
const ROLE_ARN_VARIABLE = "DATOMIC_ION_ROLE_ARN";
/**
 * Seconds between deploy-status polls. With one JVM a poll is two AWS requests, not a JVM start,
 * so polling every second notices the end of a deploy within about a second.
 */
const DEFAULT_POLL_INTERVAL_SECONDS = 1;

async function main(argv: string[]): Promise<number> {
    const program = new Command()
        .name("datomic-ion-release")
        .description(
            "Push a Datomic ion, deploy it to a compute group and wait until the deploy ends.\n" +
                "Runs ion-dev (the deps.edn alias --alias) in the current directory, the ion project, in one JVM.",
        )
        .requiredOption("--group <group>", "the compute group's CodeDeploy deployment group (ion-dev's :group)")
        .option("--region <region>", "the AWS region (ion-dev's default when omitted)")
        .option(
            "--uname <name>",
            "push and deploy an unreproducible name (required without git, with uncommitted changes or :local/root deps)",
        )
        .option("--unique-uname", "append a timestamp and random suffix to --uname: ion rollbacks need unique names")
        .option("--rev <sha>", "deploy a revision pushed before, skipping push")
        .addOption(new Option("--creds-profile <profile>", "the AWS profile ion-dev uses").env(CREDS_PROFILE_VARIABLE))
        .addOption(
            new Option(
                "--role-arn <arn>",
                "assume this IAM role (STS) and run ion-dev with its temporary credentials",
            ).env(ROLE_ARN_VARIABLE),
        )
        .option("--alias <alias>", "the deps.edn alias that runs ion-dev", "ion-dev")
        .option("--clojure <command>", "the Clojure CLI (tools.deps) to run", "clojure")
        .option("--timeout <seconds>", "give up waiting after this many seconds from start", seconds, 1800)
        .option(
            "--poll-interval <seconds>",
            "seconds between deploy-status polls (longer after throttling)",
            seconds,
            DEFAULT_POLL_INTERVAL_SECONDS,
        )
        .option("--fail-on-conflicts", "fail, before deploying, when push reports dependency conflicts")
        .option("--json", "print the result as JSON on stdout")
        .option(
            "--execution-arn <arn>",
            "watch a deploy already started (as a timed-out run prints) instead of releasing",
        )
        .showHelpAfterError();
    const exit = parseCommandLine(program, argv, ION_RELEASE_EXIT.usage);
    if (exit !== undefined) {
        return exit;
    }
    const flags = program.opts<Flags>();
    const options: ReleaseOptions = {
        group: flags.group,
        region: flags.region,
        uname: flags.uname,
        uniqueUname: flags.uniqueUname ?? false,
        rev: flags.rev,
        executionArn: flags.executionArn,
        credsProfile: flags.credsProfile || undefined,
        credsProfileFromFlag: program.getOptionValueSource("credsProfile") === "cli",
        roleArn: flags.roleArn || undefined,
        roleArnFromFlag: program.getOptionValueSource("roleArn") === "cli",
        alias: flags.alias.replace(/^:/, ""),
        clojure: flags.clojure,
        timeoutSeconds: flags.timeout,
        pollIntervalSeconds: flags.pollInterval,
        failOnConflicts: flags.failOnConflicts ?? false,
        json: flags.json ?? false,
    };

    const outcome = await release(options, processEffects(options));
    process.stdout.write(options.json ? `${JSON.stringify(outcome.result, null, 2)}\n` : describe(outcome.result));
    if (outcome.message) {
        process.stderr.write(`datomic-ion-release: ${outcome.message}\n`);
    }
    return outcome.exitCode;
}

function seconds(text: string): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
        throw new InvalidArgumentError("expected a positive number of seconds");
    }
    return value;
}

function processEffects(options: ReleaseOptions): ReleaseEffects {
    const now = () => performance.now();
    return {
        async startIonDev(deadline) {
            let env: NodeJS.ProcessEnv = process.env;
            if (options.roleArn) {
                try {
                    const credentials = await assumeRoleEnvironment(options.roleArn, {
                        region: options.region,
                        profile: options.credsProfile,
                        durationSeconds: sessionSeconds(options.timeoutSeconds),
                        sessionName: "datomic-ion-release",
                    });
                    env = withRoleCredentials(process.env, credentials);
                } catch (e) {
                    throw new IonDevStartError(
                        `could not assume --role-arn ${options.roleArn}: ${e instanceof Error ? e.message : String(e)}`,
                    );
                }
            }
            return startIonDev(
                {
                    alias: options.alias,
                    clojure: options.clojure,
                    env,
                    now,
                    notice: (line) => process.stderr.write(`datomic-ion-release: ${line}\n`),
                },
                deadline,
            );
        },
        gitState,
        localRootDependencies: async () => localRootDependencies(process.cwd()),
        uniqueSuffix,
        now,
        sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
        progress: (line) => process.stderr.write(`${line}\n`),
        interrupted: new Promise((resolve) => {
            for (const signal of ["SIGINT", "SIGTERM"] as const) {
                process.once(signal, () => resolve(signal));
            }
        }),
        interruptedExitCode: (signal) => 128 + osConstants.signals[signal],
    };
}

/** `20261202T140501Z-3f9a`: sortable, and unique even for two deploys in the same second. */
function uniqueSuffix(): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    return `${stamp}-${randomBytes(2).toString("hex")}`;
}

async function gitState(): Promise<GitState> {
    const status = spawnSync("git", ["status", "--porcelain"], { encoding: "utf8" });
    if (status.error) {
        return (status.error as NodeJS.ErrnoException).code === "ENOENT" ? "no-git" : "no-repository";
    }
    if (status.status !== 0) {
        return "no-repository";
    }
    return status.stdout.trim() === "" ? "clean" : "dirty";
}

function describe(result: IonReleaseResult): string {
    const rows: [string, string | undefined][] = [
        ["status", result.status],
        ["group", result.group],
        ["rev", result.rev],
        ["uname", result.uname],
        ["execution ARN", result.executionArn],
        ["deploy status", result.deployStatus],
        ["code deploy status", result.codeDeployStatus],
        ["duration", `${result.durationSeconds.toFixed(1)}s`],
    ];
    return rows.map(([label, value]) => `${`${label}:`.padEnd(20)}${value ?? "-"}\n`).join("");
}

main(process.argv).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        process.stderr.write(`datomic-ion-release: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = ION_RELEASE_EXIT.ionDevError;
    },
);
