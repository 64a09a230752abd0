/**
 * The roll: a `@pulumi/command` local command that runs `datomic-transactor-roll` (cli/transactorRoll.ts)
 * whenever the launch template gets a new version, and fails the `pulumi up` when the roll fails.
 *
 * Its only trigger is the launch template's version: @pulumi/command marks `triggers` replaceOnChanges, so a
 * new version replaces the command, which runs `create`, the roll; an `up` that changes nothing keeps the
 * same trigger and runs nothing. Anything else (the command line, the timeout, the poll interval) runs the
 * command's `update`, the same roll: it starts nothing when the group already runs the version, and it
 * converges a group that a failed, partially recorded roll left behind (the engine retries a resource whose
 * create failed after it was recorded through an update, pulumi/pulumi#1836). The command gets no
 * credentials: the CLI finds them as the AWS SDK does, in the environment `pulumi up` runs in, so none is ever
 * in the state.
 */
import { local } from "@pulumi/command";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { shellWord } from "../../internal/ionDev";
import type { ComponentScope } from "../scope";
import type { RollSettings } from "./rollArgs";

/** The command stops this long before Pulumi's timeout, so it reports the refresh it leaves running. */
const COMMAND_TIMEOUT_MARGIN_SECONDS = 60;

/** What a roll rolls, and what must exist before it starts. */
export interface RollInputs {
    group: aws.autoscaling.Group;
    launchTemplate: aws.ec2.LaunchTemplate;
    region: pulumi.Output<string>;
    /** An alarm whose ALARM state fails the refresh and rolls it back (no active transactor). */
    rollbackAlarmName?: pulumi.Output<string>;
    /** The launch hook and the instances' permission to complete it. */
    dependsOn: pulumi.Resource[];
    /** Seconds a new InService instance warms up: 0 when the launch hook already waited for readiness. */
    warmupSeconds: number;
    /** `rollCommand`: how to run the CLI. */
    rollCommand?: string;
    /** The Datomic release (`version`): its change, and only its change, backs up first. */
    datomicVersion: string;
}

/**
 * `node` with this package's CLI, by a path relative to the program's directory (where Pulumi runs the
 * command): the compiled file in the package, or the TypeScript source through ts-node in this repository.
 */
export function defaultRollCommand(programDir: string): string {
    const compiled = path.resolve(__dirname, "..", "..", "..", "cli", "transactorRoll.js");
    const relative = (file: string) => shellWord(path.relative(programDir, file).split(path.sep).join("/"));
    if (fs.existsSync(compiled)) {
        return `node ${relative(compiled)}`;
    }
    return `node -r ts-node/register/transpile-only ${relative(compiled.replace(/\.js$/, ".ts"))}`;
}

/** What a command line of datomic-transactor-roll names. */
interface RollFlags {
    group: string;
    warmupSeconds: number;
    templateId: string;
    version: number;
    region: string;
    alarm?: string;
    pollSeconds: number;
    timeoutSeconds: number;
}

/** The command line of a roll onto one launch template version. */
export function rollCommandLine(command: string, flags: RollFlags): string {
    return [
        command,
        "--group",
        shellWord(flags.group),
        "--launch-template-id",
        shellWord(flags.templateId),
        "--launch-template-version",
        String(flags.version),
        "--region",
        shellWord(flags.region),
        "--warmup",
        String(flags.warmupSeconds),
        ...(flags.alarm ? ["--alarm", shellWord(flags.alarm)] : []),
        "--poll-interval",
        String(flags.pollSeconds),
        "--timeout",
        String(flags.timeoutSeconds),
    ].join(" ");
}

/** The local command that rolls the group onto each new launch template version. */
export function createTransactorRoll(scope: ComponentScope, settings: RollSettings, inputs: RollInputs): local.Command {
    const timeoutSeconds = settings.rollTimeoutMinutes * 60 - COMMAND_TIMEOUT_MARGIN_SECONDS;
    const command = inputs.rollCommand ?? defaultRollCommand(process.cwd());
    const flags = pulumi
        .all([
            inputs.group.name,
            inputs.launchTemplate.id,
            inputs.launchTemplate.latestVersion,
            inputs.region,
            inputs.rollbackAlarmName,
        ])
        .apply(([group, templateId, version, region, alarm]): RollFlags => ({
            group,
            templateId,
            version,
            region,
            alarm,
            warmupSeconds: inputs.warmupSeconds,
            pollSeconds: settings.rollPollIntervalSeconds,
            timeoutSeconds,
        }));
    const create = flags.apply((f) => rollCommandLine(command, f));
    const timeout = `${settings.rollTimeoutMinutes}m`;
    const backup = settings.backup ? createBackupBeforeRoll(scope, settings, inputs, command, flags) : undefined;
    return new local.Command(
        `${scope.name}-roll`,
        {
            create,
            update: create,
            triggers: [inputs.launchTemplate.latestVersion],
        },
        {
            parent: scope.parent,
            dependsOn: [inputs.group, ...inputs.dependsOn, ...(backup ? [backup] : [])],
            customTimeouts: { create: timeout, update: timeout },
        },
    );
}

/**
 * The backup before a version change: `datomic-transactor-roll --backup-only`, triggered by `version` alone,
 * so an AMI or property change rolls without one. It backs up only when a roll onto the new launch template
 * version is due, so a first deployment (the group starts on its version) backs up nothing. Any other change
 * of its inputs runs nothing (`update` is a no-op): a backup belongs to a version change.
 */
function createBackupBeforeRoll(
    scope: ComponentScope,
    settings: RollSettings,
    inputs: RollInputs,
    command: string,
    flags: pulumi.Output<RollFlags>,
): local.Command {
    const backup = settings.backup!;
    const create = pulumi
        .all([flags, backup.groupName, backup.bucketName])
        .apply(([f, groupName, bucketName]) =>
            [
                rollCommandLine(command, f),
                "--backup-only",
                "--backup-group",
                shellWord(groupName),
                "--backup-bucket",
                shellWord(bucketName),
                ...backup.databases.flatMap((db) => ["--backup-database", shellWord(db)]),
            ].join(" "),
        );
    const timeout = `${settings.rollTimeoutMinutes}m`;
    return new local.Command(
        `${scope.name}-backup-before-roll`,
        { create, update: "true", triggers: [inputs.datomicVersion] },
        {
            parent: scope.parent,
            dependsOn: [inputs.group, ...inputs.dependsOn],
            customTimeouts: { create: timeout, update: timeout },
        },
    );
}
