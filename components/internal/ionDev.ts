/**
 * Datomic's ion-dev tool, as `datomic-ion-release` drives it: the EDN argument of each
 * operation, the reading of its EDN output, and the meaning of deploy statuses.
 *
 * Source: Datomic's ions reference (docs.datomic.com/ions/ions-reference.html): push takes
 * `:uname`, `:creds-profile`, `:region` and returns `:rev`, `:uname`, `:deploy-groups`,
 * `:dependency-conflicts`; deploy takes `:group` and `:rev` or `:uname` and returns
 * `:execution-arn`; deploy-status returns `:deploy-status` and `:code-deploy-status`, and
 * "on success, both ... will eventually return with SUCCEEDED".
 */
import { lastEdnMap, toEdn } from "./edn";

/** Exit codes of `datomic-ion-release`. */
export const ION_RELEASE_EXIT = {
    /** Both statuses SUCCEEDED. */
    succeeded: 0,
    /** The deploy ended in another status (FAILED, TIMED_OUT, ABORTED...). */
    deployFailed: 1,
    /** Bad flags, or what ion-dev needs is missing (a git repository or --uname). */
    usage: 2,
    /** Still running when --timeout passed; the message gives the command that resumes watching. */
    timedOut: 3,
    /** ion-dev failed, could not be run, or printed output that does not read as its result. */
    ionDevError: 4,
    /** Push reported dependency conflicts and --fail-on-conflicts is set. */
    dependencyConflicts: 5,
    /** Interrupted by SIGINT: 128 + the signal's number, as shells report it. */
    interruptedBySigint: 130,
    /** Interrupted by SIGTERM: 128 + the signal's number. */
    interruptedBySigterm: 143,
} as const;

/** The JSON `datomic-ion-release --json` prints on stdout, which `IonDeployment` reads. */
export interface IonReleaseResult {
    /** `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `INTERRUPTED`, `DEPENDENCY_CONFLICTS` or `ERROR`. */
    status: string;
    /** The compute group's CodeDeploy deployment group. */
    group: string;
    /** The pushed or deployed git revision (a reproducible push). */
    rev?: string;
    /** The unreproducible name pushed or deployed. */
    uname?: string;
    /** The Step Functions execution of the deploy. */
    executionArn?: string;
    /** The Step Functions status of the deploy, when it started (`SUCCEEDED`, `FAILED`...). */
    deployStatus?: string;
    /** The CodeDeploy status of the deploy, when it started. */
    codeDeployStatus?: string;
    /** Seconds from start to end. */
    durationSeconds: number;
    /** ion-dev's `:dependency-conflicts` `:deps`, when push reported any. */
    dependencyConflicts?: Record<string, unknown>;
    /** Why the release did not succeed. */
    message?: string;
    /** On timeout or interruption: the command that resumes watching the deploy (or runs the release again). */
    resumeCommand?: string;
}

/** Where and as whom ion-dev works. */
export interface IonDevContext {
    region?: string;
    credsProfile?: string;
}

/** What push returned. */
export interface PushOutput {
    rev?: string;
    uname?: string;
    deployGroups: string[];
    /** `:dependency-conflicts` `:deps`: the libraries Datomic Cloud's own versions override. */
    dependencyConflicts?: Record<string, unknown>;
}

/** What one deploy-status call returned. */
export interface DeployStatus {
    deployStatus: string;
    /** `UNKNOWN` while ion-dev reports none. */
    codeDeployStatus: string;
    /** The other keys of the status map (a failed deploy's CodeDeploy message, for example). */
    details: Record<string, unknown>;
}

/** ion-dev's output was not its result: unreadable, an anomaly, or missing a key. */
export class IonDevOutputError extends Error {
    /** AWS throttled or was busy: the same request may succeed later. */
    public readonly retryable: boolean;

    constructor(message: string, retryable = false) {
        super(message);
        this.retryable = retryable;
    }
}

/** What ion-dev's failure map says: the first cause's message, and whether retrying may help. */
export interface IonDevFailure {
    message: string;
    retryable: boolean;
}

/** Anomaly categories that mean "try again later" (cognitect.anomalies). */
const RETRYABLE_ANOMALIES = new Set([
    ":cognitect.anomalies/busy",
    ":cognitect.anomalies/unavailable",
    ":cognitect.anomalies/interrupted",
]);
/** How AWS says it throttles (ThrottlingException, "Rate exceeded", TooManyRequestsException...). */
const THROTTLING = /throttl|rate exceeded|too ?many ?requests|slow ?down|request limit exceeded/i;

/**
 * Whether ion-dev's stderr says AWS throttled it. An exception ion-dev does not catch leaves no failure map
 * on stdout: clojure.main prints "Execution error (ExceptionInfo) at ...", the message and "Full report at"
 * on stderr and exits 1 (clojure.main/ex-str and report-error, Clojure 1.10 and later).
 */
export function isThrottledStderr(stderr: string): boolean {
    return THROTTLING.test(stderr);
}

/** The EDN map argument of `{:op :push}`. */
export function pushArgument(context: IonDevContext, uname: string | undefined): string {
    return toEdn({ op: ":push", uname, ...contextFields(context) });
}

/** The EDN map argument of `{:op :deploy}`: `rev` or `uname` names what was pushed. */
export function deployArgument(
    context: IonDevContext,
    group: string,
    pushed: { rev?: string; uname?: string },
): string {
    return toEdn({
        op: ":deploy",
        group,
        rev: pushed.rev,
        uname: pushed.rev ? undefined : pushed.uname,
        ...contextFields(context),
    });
}

/** The EDN map argument of `{:op :deploy-status}`. */
export function deployStatusArgument(context: IonDevContext, executionArn: string): string {
    return toEdn({ op: ":deploy-status", "execution-arn": executionArn, ...contextFields(context) });
}

export function parsePushOutput(stdout: string): PushOutput {
    const result = resultMap(stdout, "push");
    const rev = optionalString(result, "rev", "push");
    const uname = optionalString(result, "uname", "push");
    if (rev === undefined && uname === undefined) {
        throw new IonDevOutputError(`push returned neither :rev nor :uname: ${summarize(stdout)}`);
    }
    const groups = result["deploy-groups"];
    const conflicts = result["dependency-conflicts"] as Record<string, unknown> | undefined;
    const conflictDeps = conflicts && typeof conflicts === "object" ? conflicts.deps : undefined;
    return {
        rev,
        uname,
        deployGroups: Array.isArray(groups) ? groups.map(String) : [],
        dependencyConflicts:
            conflictDeps && typeof conflictDeps === "object" && Object.keys(conflictDeps).length > 0
                ? (conflictDeps as Record<string, unknown>)
                : undefined,
    };
}

export function parseDeployOutput(stdout: string): { executionArn: string } {
    const result = resultMap(stdout, "deploy");
    const executionArn = optionalString(result, "execution-arn", "deploy");
    if (executionArn === undefined) {
        throw new IonDevOutputError(`deploy returned no :execution-arn: ${summarize(stdout)}`);
    }
    return { executionArn };
}

export function parseDeployStatusOutput(stdout: string): DeployStatus {
    const result = resultMap(stdout, "deploy-status");
    const deployStatus = optionalString(result, "deploy-status", "deploy-status");
    if (deployStatus === undefined) {
        throw new IonDevOutputError(`deploy-status returned no :deploy-status: ${summarize(stdout)}`);
    }
    const { "deploy-status": _deploy, "code-deploy-status": codeDeploy, ...details } = result;
    return {
        deployStatus,
        codeDeployStatus: codeDeploy === undefined || codeDeploy === null ? "UNKNOWN" : String(codeDeploy),
        details,
    };
}

/** Whether ion-dev is still deploying: either status is RUNNING. */
export function isDeployInProgress(status: DeployStatus): boolean {
    return status.deployStatus === "RUNNING" || status.codeDeployStatus === "RUNNING";
}

/** Whether the deploy succeeded: both statuses are SUCCEEDED. */
export function isDeploySucceeded(status: DeployStatus): boolean {
    return status.deployStatus === "SUCCEEDED" && status.codeDeployStatus === "SUCCEEDED";
}

/** The conflicting libraries, one per line: `com.cognitect/s3-creds {:mvn/version "0.1.23"}`. */
export function describeConflicts(deps: Record<string, unknown>): string[] {
    return Object.keys(deps)
        .sort()
        .map((lib) => {
            const coordinate = deps[lib];
            return `${lib} ${coordinate !== null && typeof coordinate === "object" ? toEdn(coordinate) : String(coordinate)}`;
        });
}

/** Quotes a word for POSIX shells when it needs it (`'...'`, with `'` written as `'\\''`). */
export function shellWord(word: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function contextFields(context: IonDevContext): Record<string, string | undefined> {
    return { region: context.region, "creds-profile": context.credsProfile };
}

/**
 * ion-dev's failure map in its output, if any. ion-dev prints failures on stdout as
 * `{:command-failed "{:op :push}", :causes ({:message "...", :class ExceptionInfo, :data {...}})}`
 * (DATOMIC-FACTS.md, "ion-dev as it really behaves").
 */
export function readFailure(stdout: string): IonDevFailure | undefined {
    const map = lastEdnMap(stdout);
    if (!map || !("command-failed" in map)) {
        return undefined;
    }
    const causes = Array.isArray(map.causes) ? (map.causes as unknown[]) : [];
    const described = causes.filter(isMap).map((cause) => {
        const data = isMap(cause.data) ? cause.data : {};
        const category = data["cognitect.anomalies/category"];
        const text = [
            typeof cause.message === "string" ? cause.message : undefined,
            typeof cause.class === "string" ? `(${cause.class}${category ? ` ${String(category)}` : ""})` : undefined,
        ]
            .filter(Boolean)
            .join(" ");
        const retryable =
            RETRYABLE_ANOMALIES.has(String(category)) ||
            THROTTLING.test(`${String(cause.message)} ${String(data["cognitect.aws.error/code"] ?? "")}`);
        return { text, retryable };
    });
    return {
        message: described.length > 0 ? described.map((cause) => cause.text).join("; caused by ") : summarize(stdout),
        retryable: described.some((cause) => cause.retryable),
    };
}

function isMap(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function resultMap(stdout: string, op: string): Record<string, unknown> {
    const result = lastEdnMap(stdout);
    if (!result) {
        throw new IonDevOutputError(`${op} printed no EDN map: ${summarize(stdout)}`);
    }
    // ion-dev and the AWS API it uses report errors as Cognitect anomalies.
    const anomaly = result["cognitect.anomalies/category"];
    if (anomaly !== undefined) {
        const message = result["cognitect.anomalies/message"];
        throw new IonDevOutputError(
            `${op} failed (${String(anomaly)})${typeof message === "string" ? `: ${message}` : ""}`,
            RETRYABLE_ANOMALIES.has(String(anomaly)) || THROTTLING.test(String(message)),
        );
    }
    return result;
}

function optionalString(result: Record<string, unknown>, key: string, op: string): string | undefined {
    const value = result[key];
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "string") {
        throw new IonDevOutputError(`${op} returned :${key} ${JSON.stringify(value)}, not a string`);
    }
    return value;
}

function summarize(output: string): string {
    const trimmed = output.trim();
    if (!trimmed) {
        return "(no output)";
    }
    return trimmed.length > 500 ? `${trimmed.slice(0, 500)}...` : trimmed;
}
