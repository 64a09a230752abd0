/**
 * The transactor instances and how changes reach them: the launch template and group (compute.ts), the
 * launch hook that counts an instance only once its transactor is active or a standby, with the role's
 * permission to complete it (readiness.ts), and the command that rolls the group onto each new launch
 * template version (roll.ts).
 */
import type * as aws from "@pulumi/aws";
import type { local } from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import { createTransactorGroup, TransactorComputeInputs } from "./compute";
import { createReadinessHook, createReadinessPolicy } from "./readiness";
import { createTransactorRoll } from "./roll";
import type { RollSettings } from "./rollArgs";
import type { ComponentScope } from "../scope";
import type { TransactorSettings } from "./settings";

/** What the instances and the roll need beyond the compute inputs. */
export interface RolloutInputs extends Omit<TransactorComputeInputs, "readinessHook"> {
    transactorRole: aws.iam.Role;
    partition: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    /** An alarm whose ALARM state fails a roll and rolls it back (no active transactor). */
    rollbackAlarmName?: pulumi.Output<string>;
}

/** The launch template, the group, and the roll command. */
export function createTransactorRollout(
    scope: ComponentScope,
    settings: TransactorSettings,
    rollSettings: RollSettings,
    args: DatomicTransactorArgs,
    inputs: RolloutInputs,
): { launchTemplate: aws.ec2.LaunchTemplate; group: aws.autoscaling.Group; roll: local.Command } {
    const readyPolicy = rollSettings.readinessHook
        ? createReadinessPolicy(scope, {
              role: inputs.transactorRole,
              groupName: settings.groupName,
              partition: inputs.partition,
              region: inputs.region,
              accountId: inputs.accountId,
          })
        : undefined;
    const { launchTemplate, group } = createTransactorGroup(scope, settings, args, {
        ...inputs,
        policies: [...inputs.policies, ...(readyPolicy ? [readyPolicy] : [])],
        readinessHook: readyPolicy !== undefined,
    });
    const readyHook = readyPolicy ? createReadinessHook(scope, group, rollSettings.readyTimeoutSeconds) : undefined;
    const roll = createTransactorRoll(scope, rollSettings, {
        group,
        launchTemplate,
        region: inputs.region,
        rollbackAlarmName: inputs.rollbackAlarmName,
        // Without the launch hook, a new instance counts after the warmup instead.
        warmupSeconds: readyHook ? 0 : settings.warmupSeconds,
        dependsOn: readyHook && readyPolicy ? [readyHook, readyPolicy] : [],
        rollCommand: args.rollCommand,
        datomicVersion: args.version,
    });
    return { launchTemplate, group, roll };
}
