/**
 * IonDeployment: push and deploy a Datomic ion project to a compute group, exactly when
 * what the release depends on changes.
 *
 * A `@pulumi/command` `local.Command` runs `datomic-ion-release` in the ion project. Its
 * triggers are the hash of the ion sources (hashIonSources), the group's stack id, the group,
 * the region, the role, and the rev or uname; a changed trigger replaces the command, which
 * releases. Any other change (tuning flags, where the CLI is installed) runs the command's
 * `update`, which only re-prints the previous result (see ionReleaseCommand.ts). No trigger
 * depends on the machine, so a CI runner and a laptop agree and neither redeploys what the
 * other deployed. The Terraform setup this replaces (jdhollis/datomic-terraform-example)
 * re-deployed on the sources and the stack and, like this, blocked the run until the deploy finished.
 */
import { local } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { hashIonSources } from "../../internal/ionSources";
import {
    commandDir,
    defaultReleaseCommand,
    ionConfigAppName,
    KEEP_PREVIOUS_RESULT,
    parseReleaseResult,
    releaseCommandLine,
} from "../../internal/ionReleaseCommand";

/** Arguments of {@link IonDeployment}. */
export interface IonDeploymentArgs {
    /**
     * The ion project directory (deps.edn at its root), e.g. `"../ion"`. The command's `dir` is this
     * directory relative to the Pulumi program's directory, where Pulumi runs providers
     * (pulumi/pulumi-eks#541), so it is identical on every checkout.
     */
    projectDir: string;
    /**
     * The `:group` ion-dev deploys to: the compute group's name, which is its stack name (Datomic's ions
     * reference), as `QueryGroup.deploymentGroup` gives it (the `CodeDeployDeploymentGroup` output where a
     * release has one). An undefined or empty value fails the deployment saying so.
     */
    group: pulumi.Input<string | undefined>;
    /** The group stack's id (`QueryGroup.stackId`): a changed or replaced stack means a new deploy. Required. */
    groupStackId: pulumi.Input<string>;
    /**
     * The group's `ApplicationName` (`QueryGroup`'s `applicationName`). When given, the ion-config.edn
     * `:app-name` must equal it, checked at preview: ion-dev deploys to the application the config names.
     */
    applicationName?: pulumi.Input<string>;
    /**
     * The IAM role ion-dev works as (`--role-arn`), assumed through STS before ion-dev starts: the AWS
     * provider's `assumeRoles` does not reach a local command. Passed in the environment
     * (`DATOMIC_ION_ROLE_ARN`); the temporary credentials exist only in ion-dev's environment.
     */
    roleArn?: pulumi.Input<string>;
    /** The AWS region (`--region`); ion-dev's default when omitted. */
    region?: pulumi.Input<string>;
    /**
     * Push an unreproducible name (`--uname`): needed when the project is not in git, has uncommitted changes
     * or `:local/root` dependencies. Each release appends a timestamp and random suffix (`--unique-uname`),
     * because ion rollbacks need unique names; the `uname` output is the name pushed.
     */
    uname?: pulumi.Input<string>;
    /** Deploy a revision pushed before (`--rev`), skipping push. */
    rev?: pulumi.Input<string>;
    /**
     * The AWS profile ion-dev uses (or, with `roleArn`, that assumes the role); passed in the environment
     * (`DATOMIC_ION_CREDS_PROFILE`), not the command. Changing it does not release again.
     */
    credsProfile?: pulumi.Input<string>;
    /**
     * Extra environment for ion-dev, such as `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`. Values whose
     * names mention SECRET, TOKEN, PASSWORD, ACCESS_KEY or CREDENTIAL are stored as secrets. A changed value
     * does not release again. Prefer `roleArn`, and keep per-machine credentials in the environment Pulumi
     * itself runs in (the command inherits it).
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
    /** Seconds between deploy-status polls (`--poll-interval`). Default 1. Changing it does not release again. */
    pollIntervalSeconds?: number;
    /** Pulumi's timeout for the release, in minutes; the command gives up a minute earlier. Default 30. */
    timeoutMinutes?: number;
    /**
     * How to run `datomic-ion-release`, e.g. `"datomic-ion-release"` when it is on the PATH. Default: `node`
     * with the path of this package's CLI relative to `projectDir` (npx would look for the command from the
     * ion project, which usually has no node_modules). It may differ between machines (npm, pnpm, a symlinked
     * node_modules): changing it does not release again.
     */
    releaseCommand?: string;
}

const DEFAULT_TIMEOUT_MINUTES = 30;
const DEFAULT_POLL_INTERVAL_SECONDS = 1;
/** The command stops this long before Pulumi's timeout, so it can report how to resume. */
const COMMAND_TIMEOUT_MARGIN_SECONDS = 60;
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|ACCESS_KEY|CREDENTIAL/i;

/**
 * Releases a Datomic ion project to a query group when its sources or the group change.
 *
 * @example
 * ```ts
 * const group = new QueryGroup("orders", {
 *     systemName: datomic.systemName,
 *     systemRelease: datomic.release,
 *     keyName: datomic.keyName,
 *     applicationName: "orders",
 * });
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

        if (args.groupStackId === undefined || args.groupStackId === null) {
            throw new pulumi.ResourceError(
                "groupStackId: is required: the group stack's id (QueryGroup.stackId), so that a replaced or updated " +
                    "group gets the ion deployed again",
                this,
            );
        }

        const projectDir = path.resolve(args.projectDir);
        const sources = hashIonSources(projectDir, {
            aliases: args.aliases,
            include: args.include,
            exclude: args.exclude,
            gitignore: args.gitignore,
        }).catch((e: Error) => {
            throw new pulumi.ResourceError(`projectDir: cannot hash the ion sources: ${e.message}`, this);
        });
        // The app-name check runs with the hash, so a mismatch fails the preview.
        this.sourceHash = pulumi.all([sources, args.applicationName]).apply(([hashed, applicationName]) => {
            this.checkAppName(projectDir, hashed.ionConfig, applicationName);
            return hashed.hash;
        });

        const group = this.requiredGroup(args.group);
        const groupStackId = this.requiredStackId(args.groupStackId);
        const commandTimeoutSeconds = Math.max(
            timeoutMinutes * 60 - COMMAND_TIMEOUT_MARGIN_SECONDS,
            (timeoutMinutes * 60) / 2,
        );
        const releaseCommand =
            args.releaseCommand ??
            defaultReleaseCommand(projectDir, path.resolve(__dirname, "..", "..", "..", "cli", "ion-release.js"));
        const create = pulumi.all([group, args.region, args.uname, args.rev]).apply(([groupName, region, uname, rev]) =>
            releaseCommandLine(releaseCommand, {
                group: groupName,
                region,
                uname,
                rev,
                alias: args.ionDevAlias,
                clojure: args.clojure,
                timeoutSeconds: commandTimeoutSeconds,
                pollIntervalSeconds: pollInterval,
                failOnConflicts: args.failOnConflicts,
            }),
        );
        // Each trigger its own element, so that in a preview the known ones stay known. Absent values are "".
        const orEmpty = (value: pulumi.Input<string | undefined> | undefined) =>
            pulumi.output(value).apply((known) => known ?? "");
        const triggers = [
            this.sourceHash,
            groupStackId,
            group,
            orEmpty(args.region),
            orEmpty(args.roleArn),
            orEmpty(args.rev),
            orEmpty(args.uname),
        ];

        const timeout = `${timeoutMinutes}m`;
        this.command = new local.Command(
            `${name}-release`,
            {
                create,
                update: KEEP_PREVIOUS_RESULT,
                dir: commandDir(projectDir, process.cwd()),
                environment: releaseEnvironment(args),
                triggers,
                // The update re-prints the previous result from PULUMI_COMMAND_STDOUT.
                addPreviousOutputInEnv: true,
            },
            // @pulumi/command itself marks `triggers[*]` replaceOnChanges: a changed trigger replaces the
            // command, which runs `create`, the release.
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

    private requiredGroup(group: pulumi.Input<string | undefined>): pulumi.Output<string> {
        return pulumi.output(group).apply((value) => {
            if (!value) {
                throw new pulumi.ResourceError(
                    "group: is empty; pass the compute group's name, which is its stack name (QueryGroup.deploymentGroup " +
                        "or QueryGroup.stackName)",
                    this,
                );
            }
            return value;
        });
    }

    private requiredStackId(groupStackId: pulumi.Input<string>): pulumi.Output<string> {
        return pulumi.output(groupStackId).apply((value) => {
            if (value === "") {
                throw new pulumi.ResourceError(
                    "groupStackId: is empty; pass the group stack's id (QueryGroup.stackId)",
                    this,
                );
            }
            return value;
        });
    }

    private checkAppName(projectDir: string, ionConfig: string | undefined, applicationName: string | undefined): void {
        if (applicationName === undefined) {
            return;
        }
        if (ionConfig === undefined) {
            throw new pulumi.ResourceError(
                `applicationName: ${applicationName} is given, but the ion project has no datomic/ion-config.edn on its classpath, whose :app-name ion-dev deploys to`,
                this,
            );
        }
        const appName = ionConfigAppName(path.join(projectDir, ionConfig));
        if (appName !== applicationName) {
            throw new pulumi.ResourceError(
                `applicationName: the group's application is ${applicationName}, but ${ionConfig} has :app-name ${appName ?? "(none)"}; ` +
                    "ion-dev deploys to the application ion-config.edn names, so they must be equal",
                this,
            );
        }
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

/** The release's environment: the caller's (secret-looking names as secrets), the profile and the role. */
function releaseEnvironment(args: IonDeploymentArgs): Record<string, pulumi.Input<string>> {
    const environment: Record<string, pulumi.Input<string>> = {};
    for (const [key, value] of Object.entries(args.environment ?? {})) {
        environment[key] = SECRET_NAME.test(key) ? pulumi.secret(value) : value;
    }
    if (args.credsProfile !== undefined) {
        environment.DATOMIC_ION_CREDS_PROFILE = args.credsProfile;
    }
    if (args.roleArn !== undefined) {
        environment.DATOMIC_ION_ROLE_ARN = args.roleArn;
    }
    return environment;
}
