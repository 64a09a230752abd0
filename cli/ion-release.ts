#!/usr/bin/env node
/**
 * datomic-ion-release: push an ion, deploy it to a compute group and wait for the deploy
 * to finish, as one blocking, shell-friendly command over Datomic's ion-dev
 * (`clojure -M:ion-dev '{:op ...}'`). Exits 0 only when the deploy and its CodeDeploy
 * deployment both SUCCEEDED; see ION_RELEASE_EXIT for the other exit codes.
 */
import { spawn, spawnSync } from "child_process";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { performance } from "perf_hooks";
import { ION_RELEASE_EXIT, IonReleaseResult } from "../components/internal/ionDev";
import { GitState, IonDevRun, release, ReleaseEffects, ReleaseOptions } from "./ionRelease/release";

interface Flags {
    group: string;
    region?: string;
    uname?: string;
    rev?: string;
    executionArn?: string;
    credsProfile?: string;
    alias: string;
    clojure: string;
    timeout: number;
    pollInterval: number;
    failOnConflicts?: boolean;
    json?: boolean;
}

/** The environment variable `--creds-profile` falls back to (IonDeployment passes the profile this way). */
const CREDS_PROFILE_VARIABLE = "DATOMIC_ION_CREDS_PROFILE";
/** Grace period between asking ion-dev to stop at the deadline and killing it. */
const KILL_GRACE_MILLISECONDS = 5000;

async function main(argv: string[]): Promise<number> {
    const program = new Command()
        .name("datomic-ion-release")
        .description(
            "Push a Datomic ion, deploy it to a compute group and wait until the deploy ends.\n" +
                "Runs `<clojure> -M:<alias> '<edn>'` (ion-dev) in the current directory, the ion project.",
        )
        .requiredOption("--group <group>", "the compute group's CodeDeploy deployment group (ion-dev's :group)")
        .option("--region <region>", "the AWS region (ion-dev's default when omitted)")
        .option(
            "--uname <name>",
            "push and deploy an unreproducible name (required without git or with uncommitted changes)",
        )
        .option("--rev <sha>", "deploy a revision pushed before, skipping push")
        .addOption(new Option("--creds-profile <profile>", "the AWS profile ion-dev uses").env(CREDS_PROFILE_VARIABLE))
        .option("--alias <alias>", "the deps.edn alias that runs ion-dev", "ion-dev")
        .option("--clojure <command>", "the Clojure CLI to run", "clojure")
        .option("--timeout <seconds>", "give up waiting after this many seconds from start", seconds, 1800)
        .option("--poll-interval <seconds>", "seconds between deploy-status polls, before backing off", seconds, 5)
        .option("--fail-on-conflicts", "fail, before deploying, when push reports dependency conflicts")
        .option("--json", "print the result as JSON on stdout")
        .option(
            "--execution-arn <arn>",
            "watch a deploy already started (as a timed-out run prints) instead of releasing",
        )
        .showHelpAfterError()
        .exitOverride();
    try {
        program.parse(argv);
    } catch (e) {
        if (e instanceof CommanderError) {
            // Commander has printed the problem (or the help, which exits 0).
            return e.exitCode === 0 ? 0 : ION_RELEASE_EXIT.usage;
        }
        throw e;
    }
    const flags = program.opts<Flags>();
    const options: ReleaseOptions = {
        group: flags.group,
        region: flags.region,
        uname: flags.uname,
        rev: flags.rev,
        executionArn: flags.executionArn,
        credsProfile: flags.credsProfile || undefined,
        credsProfileFromFlag: program.getOptionValueSource("credsProfile") === "cli",
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
    return {
        runIonDev: (argument, deadline) => runIonDev(options, argument, deadline),
        gitState,
        now: () => performance.now(),
        sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
        progress: (line) => process.stderr.write(`${line}\n`),
    };
}

/** Runs ion-dev without a shell: the EDN map is one argument, whatever it contains. */
function runIonDev(options: ReleaseOptions, argument: string, deadline: number): Promise<IonDevRun> {
    return new Promise((resolve) => {
        const child = spawn(options.clojure, [`-M:${options.alias}`, argument], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        let settled = false;
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        const timer = setTimeout(
            () => {
                timedOut = true;
                child.kill("SIGTERM");
                setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MILLISECONDS).unref();
            },
            Math.max(0, deadline - performance.now()),
        );
        const settle = (run: IonDevRun) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(run);
            }
        };
        child.on("error", (error: NodeJS.ErrnoException) =>
            settle({
                exitCode: null,
                stdout,
                stderr,
                timedOut: false,
                startError: error.code === "ENOENT" ? "command not found" : error.message,
            }),
        );
        child.on("close", (code) => settle({ exitCode: code, stdout, stderr, timedOut }));
    });
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
