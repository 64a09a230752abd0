/**
 * The release `datomic-ion-release` performs: push (unless a revision is given), deploy,
 * then watch deploy-status until the deploy ends or the time is up. Every effect (running
 * ion-dev, asking git, the clock, sleeping, progress lines) is injected, so the whole flow
 * is tested without processes or waiting.
 */
import {
    deployArgument,
    DeployStatus,
    deployStatusArgument,
    describeConflicts,
    ION_RELEASE_EXIT,
    IonDevContext,
    IonDevOutputError,
    IonReleaseResult,
    isDeployInProgress,
    isDeploySucceeded,
    parseDeployOutput,
    parseDeployStatusOutput,
    parsePushOutput,
    pushArgument,
    shellWord,
} from "../../components/internal/ionDev";
import { toEdn } from "../../components/internal/edn";

/** What to release, as the command's flags give it. */
export interface ReleaseOptions {
    group: string;
    region?: string;
    uname?: string;
    rev?: string;
    /** Watch this deploy instead of pushing and deploying (how a timed-out release is resumed). */
    executionArn?: string;
    credsProfile?: string;
    /** Whether the profile came from a flag (and so belongs in a printed resume command). */
    credsProfileFromFlag: boolean;
    alias: string;
    clojure: string;
    timeoutSeconds: number;
    pollIntervalSeconds: number;
    failOnConflicts: boolean;
    json: boolean;
}

/** How one ion-dev run ended. */
export interface IonDevRun {
    /** The exit code, or null when the process was killed or could not start. */
    exitCode: number | null;
    stdout: string;
    stderr: string;
    /** The run was stopped because the deadline passed. */
    timedOut: boolean;
    /** Why the process could not start (for example the Clojure CLI is not installed). */
    startError?: string;
}

/** The state of the git working tree the release runs in. */
export type GitState = "clean" | "dirty" | "no-repository" | "no-git";

/** The effects a release needs. */
export interface ReleaseEffects {
    /** Runs `<clojure> -M:<alias> <argument>`, stopping it at `deadline` (a {@link now} value). */
    runIonDev(argument: string, deadline: number): Promise<IonDevRun>;
    gitState(): Promise<GitState>;
    /** Milliseconds on a monotonic clock. */
    now(): number;
    sleep(milliseconds: number): Promise<void>;
    /** A progress line, for stderr. */
    progress(line: string): void;
}

/** How the release ended: the exit code, the result to print, and the message for stderr. */
export interface ReleaseOutcome {
    exitCode: number;
    result: IonReleaseResult;
    message?: string;
}

/** Polls back off by half each unchanged poll, up to this multiple of the poll interval. */
export const MAX_BACKOFF_FACTOR = 4;
const BACKOFF_GROWTH = 1.5;
/** ion-dev's stderr lines kept in a failure message. */
const STDERR_TAIL_LINES = 40;

class ReleaseStop extends Error {
    constructor(
        public readonly exitCode: number,
        public readonly status: string,
        message: string,
        public readonly resumeCommand?: string,
    ) {
        super(message);
    }
}

/** The delay before the next poll: grows while nothing changes, back to the interval on a change. */
export function nextPollDelay(current: number, interval: number, changed: boolean): number {
    return changed ? interval : Math.min(current * BACKOFF_GROWTH, interval * MAX_BACKOFF_FACTOR);
}

/** Runs a release. Never throws for expected failures: they are outcomes with an exit code. */
export async function release(options: ReleaseOptions, effects: ReleaseEffects): Promise<ReleaseOutcome> {
    const started = effects.now();
    const deadline = started + options.timeoutSeconds * 1000;
    const context: IonDevContext = { region: options.region, credsProfile: options.credsProfile };
    const result: IonReleaseResult = { status: "RUNNING", group: options.group, durationSeconds: 0 };
    const elapsed = () => (effects.now() - started) / 1000;
    const progress = (line: string) => effects.progress(`[${elapsed().toFixed(1).padStart(6)}s] ${line}`);
    const finish = (exitCode: number, status: string, message?: string): ReleaseOutcome => {
        result.status = status;
        result.durationSeconds = Math.round(elapsed() * 10) / 10;
        if (message) {
            result.message = message;
        }
        return { exitCode, result, message };
    };

    const ionDev = async (op: string, argument: string): Promise<string> => {
        const run = await effects.runIonDev(argument, deadline);
        if (run.startError) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.ionDevError,
                "ERROR",
                `could not run ${options.clojure}: ${run.startError}. Install the Clojure CLI, or pass --clojure <path>.`,
            );
        }
        if (run.timedOut) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.timedOut,
                "TIMED_OUT",
                `ion-dev :${op} did not finish within --timeout ${options.timeoutSeconds}s`,
            );
        }
        if (run.exitCode !== 0) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.ionDevError,
                "ERROR",
                `ion-dev :${op} failed (exit ${run.exitCode})${stderrTail(run.stderr)}`,
            );
        }
        return run.stdout;
    };

    try {
        const problem = await usageProblem(options, effects);
        if (problem) {
            return finish(ION_RELEASE_EXIT.usage, "ERROR", problem);
        }
        if (options.executionArn) {
            result.executionArn = options.executionArn;
            progress(`watching deploy ${options.executionArn}`);
        } else {
            let pushed: { rev?: string; uname?: string };
            if (options.rev) {
                pushed = { rev: options.rev };
            } else {
                progress(options.uname ? `pushing (unreproducible, uname ${options.uname})` : "pushing");
                const parsed = parseOrStop(
                    parsePushOutput,
                    "push",
                )(await ionDev("push", pushArgument(context, options.uname)));
                pushed = { rev: parsed.rev, uname: parsed.uname };
                result.rev = pushed.rev;
                result.uname = pushed.uname;
                if (parsed.dependencyConflicts) {
                    result.dependencyConflicts = parsed.dependencyConflicts;
                    const lines = describeConflicts(parsed.dependencyConflicts);
                    const text = `push reported dependency conflicts (Datomic Cloud's versions are used):\n  ${lines.join("\n  ")}`;
                    if (options.failOnConflicts) {
                        return finish(
                            ION_RELEASE_EXIT.dependencyConflicts,
                            "DEPENDENCY_CONFLICTS",
                            `${text}\nAdd these versions to deps.edn, or release without --fail-on-conflicts.`,
                        );
                    }
                    progress(`warning: ${text}`);
                }
                if (parsed.deployGroups.length > 0 && !parsed.deployGroups.includes(options.group)) {
                    progress(
                        `warning: push lists the deploy groups ${parsed.deployGroups.join(", ")}, not ${options.group}`,
                    );
                }
                progress(`pushed ${parsed.rev ? `rev ${parsed.rev}` : `uname ${parsed.uname}`}`);
            }
            result.rev = pushed.rev;
            result.uname = pushed.uname;
            progress(`deploying to ${options.group}`);
            const deployOutput = await ionDev("deploy", deployArgument(context, options.group, pushed));
            result.executionArn = parseOrStop(parseDeployOutput, "deploy")(deployOutput).executionArn;
            progress(`deploy started: ${result.executionArn}`);
        }

        const executionArn = result.executionArn!;
        const readStatus = parseOrStop(parseDeployStatusOutput, "deploy-status");
        let delay = options.pollIntervalSeconds * 1000;
        let last: DeployStatus | undefined;
        for (;;) {
            let status: DeployStatus;
            try {
                status = readStatus(await ionDev("deploy-status", deployStatusArgument(context, executionArn)));
            } catch (e) {
                if (e instanceof ReleaseStop && e.status === "TIMED_OUT") {
                    throw timedOut(options, executionArn);
                }
                throw e;
            }
            result.deployStatus = status.deployStatus;
            result.codeDeployStatus = status.codeDeployStatus;
            const changed =
                last === undefined ||
                last.deployStatus !== status.deployStatus ||
                last.codeDeployStatus !== status.codeDeployStatus;
            if (changed) {
                progress(`deploy ${status.deployStatus}, code deploy ${status.codeDeployStatus}`);
            }
            last = status;
            if (!isDeployInProgress(status)) {
                break;
            }
            const remaining = deadline - effects.now();
            if (remaining <= 0) {
                throw timedOut(options, executionArn);
            }
            delay = nextPollDelay(delay, options.pollIntervalSeconds * 1000, changed);
            await effects.sleep(Math.min(delay, remaining));
        }
        const final = last!;
        if (isDeploySucceeded(final)) {
            return finish(ION_RELEASE_EXIT.succeeded, "SUCCEEDED");
        }
        const details = Object.entries(final.details)
            .map(([key, value]) => `  :${key} ${typeof value === "string" ? value : toEdn(value)}`)
            .join("\n");
        return finish(
            ION_RELEASE_EXIT.deployFailed,
            "FAILED",
            `the deploy to ${options.group} ended with deploy status ${final.deployStatus} and code deploy status ` +
                `${final.codeDeployStatus}${details ? `:\n${details}` : " (ion-dev gave no further detail)"}\n` +
                `See the Step Functions execution ${executionArn} and the group's CodeDeploy deployments.`,
        );
    } catch (e) {
        if (e instanceof ReleaseStop) {
            if (e.resumeCommand) {
                result.resumeCommand = e.resumeCommand;
            }
            return finish(e.exitCode, e.status, e.message);
        }
        throw e;
    }
}

async function usageProblem(options: ReleaseOptions, effects: ReleaseEffects): Promise<string | undefined> {
    if (!(options.timeoutSeconds > 0)) {
        return `--timeout ${options.timeoutSeconds} is not a positive number of seconds`;
    }
    if (!(options.pollIntervalSeconds > 0)) {
        return `--poll-interval ${options.pollIntervalSeconds} is not a positive number of seconds`;
    }
    if (options.rev && options.uname) {
        return "give --rev (deploy a pushed revision) or --uname (push and deploy an unreproducible name), not both";
    }
    if (options.executionArn && (options.rev || options.uname)) {
        return "--execution-arn watches a deploy already started; it cannot be combined with --rev or --uname";
    }
    if (options.executionArn || options.rev || options.uname) {
        return undefined;
    }
    // ion-dev names a reproducible push by its commit; anything else needs an unreproducible name.
    switch (await effects.gitState()) {
        case "no-git":
            return "--uname is required: git is not installed, and ion-dev names a reproducible push by its git commit. Pass --uname <name> for an unreproducible push, or --rev to deploy a pushed revision.";
        case "no-repository":
            return "--uname is required: this directory is not in a git repository, and ion-dev names a reproducible push by its git commit. Pass --uname <name> for an unreproducible push, or --rev to deploy a pushed revision.";
        case "dirty":
            return "the git working tree has uncommitted changes, and ion-dev needs a :uname to push a dirty tree. Commit the changes, or pass --uname <name> for an unreproducible push.";
        default:
            return undefined;
    }
}

/** The command that resumes watching `executionArn` with the same settings. */
export function resumeCommand(options: ReleaseOptions, executionArn: string): string {
    const args = ["datomic-ion-release", "--group", options.group, "--execution-arn", executionArn];
    if (options.region) {
        args.push("--region", options.region);
    }
    if (options.credsProfile && options.credsProfileFromFlag) {
        args.push("--creds-profile", options.credsProfile);
    }
    if (options.alias !== "ion-dev") {
        args.push("--alias", options.alias);
    }
    if (options.clojure !== "clojure") {
        args.push("--clojure", options.clojure);
    }
    args.push("--timeout", String(options.timeoutSeconds), "--poll-interval", String(options.pollIntervalSeconds));
    if (options.json) {
        args.push("--json");
    }
    return args.map(shellWord).join(" ");
}

function timedOut(options: ReleaseOptions, executionArn: string): ReleaseStop {
    const command = resumeCommand(options, executionArn);
    return new ReleaseStop(
        ION_RELEASE_EXIT.timedOut,
        "TIMED_OUT",
        `the deploy was still running after --timeout ${options.timeoutSeconds}s; it continues in AWS. Resume watching with:\n  ${command}`,
        command,
    );
}

/** Wraps a parser so that unreadable output stops the release as an ion-dev error. */
function parseOrStop<T>(parse: (stdout: string) => T, op: string): (stdout: string) => T {
    return (stdout) => {
        try {
            return parse(stdout);
        } catch (e) {
            if (e instanceof IonDevOutputError) {
                throw new ReleaseStop(ION_RELEASE_EXIT.ionDevError, "ERROR", `ion-dev :${op}: ${e.message}`);
            }
            throw e;
        }
    };
}

function stderrTail(stderr: string): string {
    const lines = stderr
        .trimEnd()
        .split(/\r?\n/)
        .filter((line) => line.length > 0);
    if (lines.length === 0) {
        return " and printed nothing on stderr";
    }
    const tail = lines.slice(-STDERR_TAIL_LINES);
    const skipped = lines.length - tail.length;
    return `:\n${skipped > 0 ? `  ... (${skipped} earlier lines)\n` : ""}${tail.map((line) => `  ${line}`).join("\n")}`;
}
