/**
 * IonDeployment: push and deploy a Datomic ion project to a query group, exactly when
 * the ion's sources or the query group's stack change.
 *
 * A `@pulumi/command` `local.Command` runs `datomic-ion-release` in the ion project. Its
 * triggers are the hash of the ion sources (hashIonSources) and the query group's stack
 * id, and nothing in its inputs depends on the machine (no absolute path, no credentials),
 * so a CI runner and a laptop agree and neither redeploys what the other deployed. The
 * Terraform setup this replaces (jdhollis/datomic-terraform-example) re-deployed on the
 * same two signals and, like this, blocked the run until the deploy finished.
 */
import { local } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { IonReleaseResult, shellWord } from "../internal/ionDev";
import { hashIonSources } from "../internal/ionSources";

/** Arguments of {@link IonDeployment}. */
export interface IonDeploymentArgs {
    /**
     * The ion project directory (deps.edn at its root), e.g. `"../ion"`. The command's `dir` is this
     * directory relative to the Pulumi program's directory, where Pulumi runs providers
     * (pulumi/pulumi-eks#541), so it is identical on every checkout.
     */
    projectDir: string;
    /**
     * The CodeDeploy deployment group ion-dev deploys to: `QueryGroup.deploymentGroup`. An undefined
     * value (the stack has no `CodeDeployDeploymentGroup` output) fails the deployment saying so.
     */
    group: pulumi.Input<string | undefined>;
    /** The query group stack's id (`QueryGroup.stackId`): a changed or replaced stack means a new deploy. */
    groupStackId: pulumi.Input<string>;
    /** The AWS region (`--region`); ion-dev's default when omitted. */
    region?: pulumi.Input<string>;
    /** Push an unreproducible name (`--uname`): needed when the project is not in git or has uncommitted changes. */
    uname?: pulumi.Input<string>;
    /** Deploy a revision pushed before (`--rev`), skipping push. */
    rev?: pulumi.Input<string>;
    /** The AWS profile ion-dev uses; passed in the environment (`DATOMIC_ION_CREDS_PROFILE`), not the command. */
    credsProfile?: pulumi.Input<string>;
    /**
     * Extra environment for ion-dev, such as `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`. Values whose
     * names mention SECRET, TOKEN, PASSWORD, ACCESS_KEY or CREDENTIAL are stored as secrets. A changed value
     * runs the release again, so keep per-machine credentials in the environment Pulumi itself runs in
     * (the command inherits it) rather than here.
     */
    environment?: Record<string, pulumi.Input<string>>;
    /** deps.edn aliases on the ion's classpath, for the source hash (see `hashIonSources`). */
    aliases?: string[];
    /** Extra globs of files to hash (relative to `projectDir`), even if git ignores them. */
    include?: string[];
    /** Globs of files to leave out of the hash. */
    exclude?: string[];
    /** Honour .gitignore files in the hash. Default true. */
    gitignore?: boolean;
    /** The deps.edn alias that runs ion-dev (`--alias`). Default `ion-dev`. */
    ionDevAlias?: string;
    /** The Clojure CLI (`--clojure`). Default `clojure`; keep it the same on every machine (a name on the PATH). */
    clojure?: string;
    /** Fail before deploying when push reports dependency conflicts (`--fail-on-conflicts`). Default false. */
    failOnConflicts?: boolean;
    /** Seconds between deploy-status polls before backing off (`--poll-interval`). Default 5. */
    pollIntervalSeconds?: number;
    /** Pulumi's timeout for the release, in minutes; the command gives up a minute earlier. Default 30. */
    timeoutMinutes?: number;
    /**
     * How to run `datomic-ion-release`, e.g. `"datomic-ion-release"` when it is on the PATH. Default: `node`
     * with the path of this package's CLI relative to `projectDir` (npx would look for the command from the
     * ion project, which usually has no node_modules). Keep it the same on every machine.
     */
    releaseCommand?: string;
}

const DEFAULT_TIMEOUT_MINUTES = 30;
const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** The command stops this long before Pulumi's timeout, so it can report how to resume. */
const COMMAND_TIMEOUT_MARGIN_SECONDS = 60;
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|ACCESS_KEY|CREDENTIAL/i;

/**
 * Releases a Datomic ion project to a query group when its sources or the group change.
 *
 * @example
 * ```ts
 * const group = new QueryGroup("orders", { systemName: datomic.systemName, applicationName: "orders" });
 * const ions = new IonDeployment("orders-ions", {
 *     projectDir: "../ion",
 *     group: group.deploymentGroup,
 *     groupStackId: group.stackId,
 *     region: "us-east-1",
 * });
 * export const deployedRev = ions.rev;
 * ```
 */
export class IonDeployment extends pulumi.ComponentResource {
    /** The hash of the ion sources the release was triggered by. */
    public readonly sourceHash: pulumi.Output<string>;
    /** The git revision pushed or deployed (a reproducible push). */
    public readonly rev: pulumi.Output<string | undefined>;
    /** The unreproducible name pushed or deployed. */
    public readonly uname: pulumi.Output<string | undefined>;
    /** The Step Functions execution of the deploy. */
    public readonly executionArn: pulumi.Output<string | undefined>;
    /** The release's status: `SUCCEEDED`, since any other ending fails the deployment. */
    public readonly status: pulumi.Output<string | undefined>;
    /** The command that runs the release. */
    public readonly command: local.Command;

    constructor(name: string, args: IonDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:IonDeployment", name, {}, opts);

        const timeoutMinutes = args.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
        const pollInterval = args.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS;
        this.validateTimings(timeoutMinutes, pollInterval);

        const projectDir = path.resolve(args.projectDir);
        this.sourceHash = pulumi.output(
            hashIonSources(projectDir, {
                aliases: args.aliases,
                include: args.include,
                exclude: args.exclude,
                gitignore: args.gitignore,
            }).then(
                (sources) => sources.hash,
                (e: Error) => {
                    throw new pulumi.ResourceError(`projectDir: cannot hash the ion sources: ${e.message}`, this);
                },
            ),
        );

        const group = pulumi.output(args.group).apply((value) => {
            if (!value) {
                throw new pulumi.ResourceError(
                    "group: the query group stack has no CodeDeployDeploymentGroup output, which ion deploys target; " +
                        "check the stack's outputs, or pass the deployment group's name",
                    this,
                );
            }
            return value;
        });
        const commandTimeoutSeconds = Math.max(
            timeoutMinutes * 60 - COMMAND_TIMEOUT_MARGIN_SECONDS,
            (timeoutMinutes * 60) / 2,
        );
        const releaseCommand = args.releaseCommand ?? defaultReleaseCommand(projectDir);
        const create = pulumi
            .all([group, args.region, args.uname, args.rev])
            .apply(([groupName, region, uname, rev]) =>
                [
                    releaseCommand,
                    ...flag("--group", groupName),
                    ...flag("--region", region),
                    ...flag("--uname", uname),
                    ...flag("--rev", rev),
                    ...flag("--alias", args.ionDevAlias),
                    ...flag("--clojure", args.clojure),
                    ...flag("--timeout", String(commandTimeoutSeconds)),
                    ...flag("--poll-interval", String(pollInterval)),
                    ...(args.failOnConflicts ? ["--fail-on-conflicts"] : []),
                    "--json",
                ].join(" "),
            );

        const environment: Record<string, pulumi.Input<string>> = {};
        for (const [key, value] of Object.entries(args.environment ?? {})) {
            environment[key] = SECRET_NAME.test(key) ? pulumi.secret(value) : value;
        }
        if (args.credsProfile !== undefined) {
            environment.DATOMIC_ION_CREDS_PROFILE = args.credsProfile;
        }

        const timeout = `${timeoutMinutes}m`;
        this.command = new local.Command(
            `${name}-release`,
            {
                create,
                dir: commandDir(projectDir),
                environment,
                triggers: [this.sourceHash, args.groupStackId],
                addPreviousOutputInEnv: false,
            },
            { parent: this, customTimeouts: { create: timeout, update: timeout, delete: timeout } },
        );

        const result = this.command.stdout.apply(parseReleaseResult);
        this.rev = result.apply((r) => r?.rev);
        this.uname = result.apply((r) => r?.uname);
        this.executionArn = result.apply((r) => r?.executionArn);
        this.status = result.apply((r) => r?.status);

        this.registerOutputs({
            sourceHash: this.sourceHash,
            rev: this.rev,
            uname: this.uname,
            executionArn: this.executionArn,
            status: this.status,
        });
    }

    private validateTimings(timeoutMinutes: number, pollInterval: number): void {
        if (!(Number.isInteger(timeoutMinutes) && timeoutMinutes > 0)) {
            throw new pulumi.ResourceError(
                `timeoutMinutes: ${timeoutMinutes} is not a positive whole number of minutes`,
                this,
            );
        }
        if (!(Number.isFinite(pollInterval) && pollInterval > 0)) {
            throw new pulumi.ResourceError(
                `pollIntervalSeconds: ${pollInterval} is not a positive number of seconds`,
                this,
            );
        }
    }
}

/** The command's `dir`: the project relative to the program's directory, with `/` separators. */
function commandDir(projectDir: string): string {
    return path.relative(process.cwd(), projectDir).split(path.sep).join("/") || ".";
}

/** `node <this package's CLI>`, the path relative to the project so that it is the same on every checkout. */
function defaultReleaseCommand(projectDir: string): string {
    const cli = path.resolve(__dirname, "..", "..", "cli", "ion-release.js");
    return `node ${shellWord(path.relative(projectDir, cli).split(path.sep).join("/"))}`;
}

function flag(name: string, value: string | undefined): string[] {
    return value === undefined || value === "" ? [] : [name, shellWord(value)];
}

/** The `--json` result the release printed (none under mocks, which run nothing). */
function parseReleaseResult(stdout: string | undefined): IonReleaseResult | undefined {
    if (stdout === undefined || stdout === "") {
        return undefined;
    }
    try {
        return JSON.parse(stdout) as IonReleaseResult;
    } catch {
        throw new Error(`datomic-ion-release printed no JSON result: ${stdout.slice(0, 500)}`);
    }
}
