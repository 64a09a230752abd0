/**
 * The release `datomic-ion-release` performs: push (unless a revision is given), deploy,
 * then watch deploy-status until the deploy ends, the time is up or the user interrupts.
 * Every effect (starting ion-dev, asking git, the clock, sleeping, progress lines, signals)
 * is injected, so the whole flow is tested without processes or waiting.
 */
import { toEdn } from "../../components/internal/edn";
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
    isThrottledStderr,
    readFailure,
} from "../../components/internal/ionDev";
import { ReleaseOptions, releaseCommandLine, resumeCommand, usageProblem } from "./options";

export type { ReleaseOptions } from "./options";

/** How one ion-dev operation ended. */
export interface IonDevRun {
    /** The exit code (1 for an operation the driver reports as thrown), or null when killed or not started. */
    exitCode: number | null;
    /** What ion-dev printed (per operation), or the EDN of the result the driver got. */
    stdout: string;
    stderr: string;
    /** The run was stopped because the deadline passed. */
    timedOut: boolean;
    /** The signal that killed ion-dev, e.g. `SIGKILL`. */
    signal?: string;
}

/** Runs ion-dev operations: one JVM for the release (the driver), or one process per operation. */
export interface IonDevRunner {
    /** Runs the operation whose EDN argument map is `argument`, stopping it at `deadline` (a `now` value). */
    run(argument: string, deadline: number): Promise<IonDevRun>;
    /** Stops ion-dev; resolves once it has exited. */
    close(): Promise<void>;
}

/** ion-dev could not be started (no Clojure CLI, an undeclared alias, the role could not be assumed...). */
export class IonDevStartError extends Error {}

/** The state of the git working tree the release runs in. */
export type GitState = "clean" | "dirty" | "no-repository" | "no-git";

/** The effects a release needs. */
export interface ReleaseEffects {
    /** Assumes the role (if any) and starts ion-dev. Throws {@link IonDevStartError}. */
    startIonDev(deadline: number): Promise<IonDevRunner>;
    gitState(): Promise<GitState>;
    /** The libraries of the project's deps.edn that are `:local/root` dependencies. */
    localRootDependencies(): Promise<string[]>;
    /** A suffix that makes an unreproducible name unique: each deploy needs its own uname. */
    uniqueSuffix(): string;
    /** Milliseconds on a monotonic clock. */
    now(): number;
    sleep(milliseconds: number): Promise<void>;
    /** A progress line, for stderr. */
    progress(line: string): void;
    /** Resolves with the signal's name when the user interrupts the release (SIGINT, SIGTERM). */
    interrupted: Promise<NodeJS.Signals>;
    /** The exit code for an interruption by `signal` (128 + its number, as shells report it). */
    interruptedExitCode(signal: NodeJS.Signals): number;
}

/** How the release ended: the exit code, the result to print, and the message for stderr. */
export interface ReleaseOutcome {
    exitCode: number;
    result: IonReleaseResult;
    message?: string;
}

/** Throttled status polls wait twice as long each time, up to this (and never past the deadline). */
export const MAX_THROTTLE_DELAY_MILLISECONDS = 30_000;
/** ion-dev's stderr lines kept in a failure message. */
const STDERR_TAIL_LINES = 40;

class ReleaseStop extends Error {
    constructor(
        public readonly exitCode: number,
        public readonly status: string,
        message: string,
        public readonly resumeCommand?: string,
        /** AWS throttled or was busy: the same request may succeed later. */
        public readonly retryable = false,
    ) {
        super(message);
    }
}

class Interrupted extends Error {
    constructor(public readonly signal: NodeJS.Signals) {
        super(signal);
    }
}

/** The delay before retrying the `attempt`th throttled status poll in a row (1, 2, ...). */
export function throttleDelay(attempt: number, interval: number): number {
    return Math.min(interval * 2 ** attempt, Math.max(MAX_THROTTLE_DELAY_MILLISECONDS, interval));
}

/** Runs a release. Never throws for expected failures: they are outcomes with an exit code. */
export async function release(options: ReleaseOptions, effects: ReleaseEffects): Promise<ReleaseOutcome> {
    const started = effects.now();
    const deadline = started + options.timeoutSeconds * 1000;
    // With a role, the profile only assumes it; ion-dev works with the role's credentials.
    const context: IonDevContext = {
        region: options.region,
        credsProfile: options.roleArn ? undefined : options.credsProfile,
    };
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
    const interruption = effects.interrupted.then((signal) => {
        throw new Interrupted(signal);
    });
    interruption.catch(() => undefined);
    /** Waits for `work`, unless the user interrupts first. */
    const unlessInterrupted = <T>(work: Promise<T>): Promise<T> => Promise.race([work, interruption]);

    let runner: IonDevRunner | undefined;
    let starting: Promise<IonDevRunner> | undefined;
    /** Stops ion-dev, including one still starting when the user interrupts. */
    const stopIonDev = async () => {
        runner ??= await starting?.catch(() => undefined);
        await runner?.close();
    };
    const ionDev = async (op: string, argument: string): Promise<string> => {
        starting ??= startStopping(effects.startIonDev(deadline));
        runner ??= await unlessInterrupted(starting);
        const run = await unlessInterrupted(startStopping(runner.run(argument, deadline)));
        if (run.timedOut) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.timedOut,
                "TIMED_OUT",
                `ion-dev :${op} did not finish within --timeout ${options.timeoutSeconds}s`,
            );
        }
        // ion-dev prints its failure map on stdout ({:command-failed ..., :causes (...)}).
        const failure = readFailure(run.stdout);
        if (failure) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.ionDevError,
                "ERROR",
                `ion-dev :${op} failed: ${failure.message}`,
                undefined,
                failure.retryable,
            );
        }
        if (run.signal) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.ionDevError,
                "ERROR",
                `ion-dev :${op} was killed by ${run.signal}${stderrTail(run.stderr)}`,
            );
        }
        if (run.exitCode !== 0) {
            throw new ReleaseStop(
                ION_RELEASE_EXIT.ionDevError,
                "ERROR",
                `ion-dev :${op} failed (exit ${run.exitCode})${stderrTail(run.stderr)}`,
                undefined,
                // One process per operation: a throttled call ion-dev does not catch ends the JVM with
                // the exception on stderr, and the same request may succeed later.
                isThrottledStderr(run.stderr),
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
            const pushed = options.rev ? { rev: options.rev } : await push();
            if ("exitCode" in pushed) {
                return pushed;
            }
            result.rev = pushed.rev;
            result.uname = pushed.uname;
            progress(`deploying to ${options.group}`);
            const deployOutput = await ionDev("deploy", deployArgument(context, options.group, pushed));
            result.executionArn = parseOrStop(parseDeployOutput, "deploy")(deployOutput).executionArn;
            progress(`deploy started: ${result.executionArn}`);
        }
        return await watch(result.executionArn!);
    } catch (e) {
        if (e instanceof Interrupted) {
            // ion-dev is stopped in `finally`, before the outcome is returned.
            const resume = result.executionArn
                ? resumeCommand(options, result.executionArn)
                : releaseCommandLine(options);
            result.resumeCommand = resume;
            return finish(
                effects.interruptedExitCode(e.signal),
                "INTERRUPTED",
                `interrupted by ${e.signal}; ion-dev was stopped. ` +
                    (result.executionArn
                        ? `The deploy continues in AWS. Resume watching with:\n  ${resume}`
                        : `No deploy had been started${result.rev || result.uname ? "" : " (nothing was pushed)"}, unless it was starting at this moment. Run the release again with:\n  ${resume}`),
            );
        }
        if (e instanceof ReleaseStop) {
            if (e.resumeCommand) {
                result.resumeCommand = e.resumeCommand;
            }
            return finish(e.exitCode, e.status, e.message);
        }
        throw e;
    } finally {
        await stopIonDev();
    }

    async function push(): Promise<{ rev?: string; uname?: string } | ReleaseOutcome> {
        const uname =
            options.uname && options.uniqueUname ? `${options.uname}-${effects.uniqueSuffix()}` : options.uname;
        progress(uname ? `pushing (unreproducible, uname ${uname})` : "pushing");
        const parsed = parseOrStop(parsePushOutput, "push")(await ionDev("push", pushArgument(context, uname)));
        result.rev = parsed.rev;
        result.uname = parsed.uname;
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
            progress(`warning: push lists the deploy groups ${parsed.deployGroups.join(", ")}, not ${options.group}`);
        }
        progress(`pushed ${parsed.rev ? `rev ${parsed.rev}` : `uname ${parsed.uname}`}`);
        return { rev: parsed.rev, uname: parsed.uname };
    }

    async function watch(executionArn: string): Promise<ReleaseOutcome> {
        const readStatus = parseOrStop(parseDeployStatusOutput, "deploy-status");
        const interval = options.pollIntervalSeconds * 1000;
        let throttled = 0;
        let last: DeployStatus | undefined;
        for (;;) {
            let status: DeployStatus | undefined;
            try {
                status = readStatus(await ionDev("deploy-status", deployStatusArgument(context, executionArn)));
                throttled = 0;
            } catch (e) {
                if (e instanceof ReleaseStop && e.status === "TIMED_OUT") {
                    throw timedOut(executionArn);
                }
                if (!(e instanceof ReleaseStop && e.retryable)) {
                    throw e;
                }
                // AWS throttles DescribeExecution and GetDeployment under load; the deploy goes on.
                throttled += 1;
                progress(
                    `deploy-status throttled (${e.message.replace(/\n\s*/g, " ")}); retrying in ${throttleDelay(throttled, interval) / 1000}s`,
                );
            }
            if (status) {
                result.deployStatus = status.deployStatus;
                result.codeDeployStatus = status.codeDeployStatus;
                if (
                    last === undefined ||
                    last.deployStatus !== status.deployStatus ||
                    last.codeDeployStatus !== status.codeDeployStatus
                ) {
                    progress(`deploy ${status.deployStatus}, code deploy ${status.codeDeployStatus}`);
                }
                last = status;
                if (!isDeployInProgress(status)) {
                    return ended(status, executionArn);
                }
            }
            const remaining = deadline - effects.now();
            if (remaining <= 0) {
                throw timedOut(executionArn);
            }
            const delay = throttled > 0 ? throttleDelay(throttled, interval) : interval;
            await unlessInterrupted(effects.sleep(Math.min(delay, remaining)));
        }
    }

    function ended(final: DeployStatus, executionArn: string): ReleaseOutcome {
        if (isDeploySucceeded(final)) {
            return finish(ION_RELEASE_EXIT.succeeded, "SUCCEEDED");
        }
        const details = Object.entries(final.details)
            .map(([key, value]) => `  :${key} ${typeof value === "string" ? value : toEdn(value)}`)
            .join("\n");
        // A real failed status is exactly {:deploy-status "FAILED", :code-deploy-status "FAILED"}:
        // the reason is only in AWS (DATOMIC-FACTS.md, from Datomic/ion-starter issue 5).
        return finish(
            ION_RELEASE_EXIT.deployFailed,
            "FAILED",
            `the deploy to ${options.group} ended with deploy status ${final.deployStatus} and code deploy status ` +
                `${final.codeDeployStatus}${details ? `:\n${details}` : " (ion-dev gives no reason)"}\n` +
                `See the Step Functions execution ${executionArn} and the deployment group's CodeDeploy deployments ` +
                `(HEALTH_CONSTRAINTS: the ion failed to start on the nodes; see the group's CloudWatch logs).`,
        );
    }

    function timedOut(executionArn: string): ReleaseStop {
        const command = resumeCommand(options, executionArn);
        return new ReleaseStop(
            ION_RELEASE_EXIT.timedOut,
            "TIMED_OUT",
            `the deploy was still running after --timeout ${options.timeoutSeconds}s; it continues in AWS. Resume watching with:\n  ${command}`,
            command,
        );
    }
}

/** `work`, with an {@link IonDevStartError} turned into a stop of the release. */
async function startStopping<T>(work: Promise<T>): Promise<T> {
    try {
        return await work;
    } catch (e) {
        if (e instanceof IonDevStartError) {
            throw new ReleaseStop(ION_RELEASE_EXIT.ionDevError, "ERROR", e.message);
        }
        throw e;
    }
}

/** Wraps a parser so that unreadable output stops the release as an ion-dev error. */
function parseOrStop<T>(parse: (stdout: string) => T, op: string): (stdout: string) => T {
    return (stdout) => {
        try {
            return parse(stdout);
        } catch (e) {
            if (e instanceof IonDevOutputError) {
                throw new ReleaseStop(
                    ION_RELEASE_EXIT.ionDevError,
                    "ERROR",
                    `ion-dev :${op}: ${e.message}`,
                    undefined,
                    e.retryable,
                );
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
