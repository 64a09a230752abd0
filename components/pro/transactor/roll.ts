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
    /** `rollCommand`: how to run the CLI. */
    rollCommand?: string;
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

/** The command line of a roll onto one launch template version. */
export function rollCommandLine(
    command: string,
    flags: {
        group: string;
        templateId: string;
        version: number;
        region: string;
        alarm?: string;
        pollSeconds: number;
        timeoutSeconds: number;
    },
): string {
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
        // The launch hook already held each instance until its transactor was a standby or active.
        "--warmup",
        "0",
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
    const create = pulumi
        .all([
            inputs.group.name,
            inputs.launchTemplate.id,
            inputs.launchTemplate.latestVersion,
            inputs.region,
            inputs.rollbackAlarmName,
        ])
        .apply(([group, templateId, version, region, alarm]) =>
            rollCommandLine(command, {
                group,
                templateId,
                version,
                region,
                alarm,
                pollSeconds: settings.rollPollIntervalSeconds,
                timeoutSeconds,
            }),
        );
    const timeout = `${settings.rollTimeoutMinutes}m`;
    return new local.Command(
        `${scope.name}-roll`,
        {
            create,
            update: create,
            triggers: [inputs.launchTemplate.latestVersion],
        },
        {
            parent: scope.parent,
            dependsOn: [inputs.group, ...inputs.dependsOn],
            customTimeouts: { create: timeout, update: timeout },
        },
    );
}
