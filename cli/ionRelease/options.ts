/**
 * What a release is asked to do (the command's flags), the problems with them that need no
 * ion-dev to find, and the command lines that resume or repeat a release.
 */
import { shellWord } from "../../components/internal/ionDev";

/** What to release, as the command's flags give it. */
export interface ReleaseOptions {
    group: string;
    region?: string;
    uname?: string;
    /** Make `uname` unique by appending a timestamp and random suffix (ion rollbacks need unique names). */
    uniqueUname: boolean;
    rev?: string;
    /** Watch this deploy instead of pushing and deploying (how a timed-out release is resumed). */
    executionArn?: string;
    credsProfile?: string;
    /** Whether the profile came from a flag (and so belongs in a printed resume command). */
    credsProfileFromFlag: boolean;
    /** The role ion-dev works as, assumed through STS before ion-dev starts. */
    roleArn?: string;
    /** Whether the role came from a flag (and so belongs in a printed resume command). */
    roleArnFromFlag: boolean;
    alias: string;
    clojure: string;
    timeoutSeconds: number;
    pollIntervalSeconds: number;
    failOnConflicts: boolean;
    json: boolean;
}

/** What {@link usageProblem} asks of the world. */
export interface UsageEffects {
    gitState(): Promise<"clean" | "dirty" | "no-repository" | "no-git">;
    localRootDependencies(): Promise<string[]>;
}

/** Why the flags cannot work, or undefined. */
export async function usageProblem(options: ReleaseOptions, effects: UsageEffects): Promise<string | undefined> {
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
    }
    // A reproducible push also needs no :local/root dependencies: their code is not in the commit
    // (ions reference; ion-dev: "You must either specify a uname or deploy from clean git commit").
    const localRoots = await effects.localRootDependencies();
    if (localRoots.length > 0) {
        return (
            `--uname is required: the git tree is clean, but deps.edn has :local/root dependencies (${localRoots.join(", ")}), ` +
            "whose code the commit does not pin, so ion-dev cannot push it as a reproducible revision. Pass --uname <name>."
        );
    }
    return undefined;
}

/** The command that resumes watching `executionArn` with the same settings. */
export function resumeCommand(options: ReleaseOptions, executionArn: string): string {
    return commandLine(options, ["--execution-arn", executionArn]);
}

/** The command that runs the same release again. */
export function releaseCommandLine(options: ReleaseOptions): string {
    const what = [
        ...(options.uname ? ["--uname", options.uname] : []),
        ...(options.uniqueUname ? ["--unique-uname"] : []),
        ...(options.rev ? ["--rev", options.rev] : []),
        ...(options.failOnConflicts ? ["--fail-on-conflicts"] : []),
    ];
    return commandLine(options, what);
}

function commandLine(options: ReleaseOptions, what: string[]): string {
    const args = ["datomic-ion-release", "--group", options.group, ...what];
    if (options.region) {
        args.push("--region", options.region);
    }
    if (options.credsProfile && options.credsProfileFromFlag) {
        args.push("--creds-profile", options.credsProfile);
    }
    if (options.roleArn && options.roleArnFromFlag) {
        args.push("--role-arn", options.roleArn);
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
