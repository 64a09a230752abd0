/**
 * Ready means standby or active: a launch lifecycle hook holds every new transactor instance in
 * `Pending:Wait` until the instance itself completes it (readinessScript.ts), once its transactor is the
 * active one or a standby watching the active's heartbeat. Auto Scaling counts the instance as in service,
 * and an instance refresh moves on, only then. An instance that never gets there is abandoned when the hook
 * times out: its default result ABANDON terminates it
 * (docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks.html), so a roll onto a bad release fails.
 *
 * The hook is its own resource, not the group's `initialLifecycleHooks` (which the provider applies only when
 * it creates a group), so groups that exist get it too.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../policies";
import { autoScalingGroupArn } from "../policies";
import { createRolePolicy } from "../instanceRole";
import type { ComponentScope } from "../scope";

/** The hook's name, the same in every group. */
export const READY_HOOK_NAME = "datomic-transactor-ready";

/** Completing the launch hook of the transactor's own group, and nothing else. */
export function readinessPolicy(groupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["autoscaling:CompleteLifecycleAction"], Resource: groupArn }],
    };
}

/** Where the readiness policy points. */
export interface ReadinessTargets {
    role: aws.iam.Role;
    groupName: string;
    partition: pulumi.Output<string>;
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
}

/** The transactor role's permission to complete its group's launch hook; instances boot with it in place. */
export function createReadinessPolicy(scope: ComponentScope, targets: ReadinessTargets): aws.iam.RolePolicy {
    return createRolePolicy(
        scope,
        `${scope.name}-transactor-ready`,
        targets.role,
        "transactor-ready",
        pulumi
            .all([targets.partition, targets.region, targets.accountId])
            .apply(([partition, region, account]) =>
                readinessPolicy(autoScalingGroupArn(partition, region, account, targets.groupName)),
            ),
    );
}

/** The launch hook on the group: ABANDON unless completed within `timeoutSeconds`. */
export function createReadinessHook(
    scope: ComponentScope,
    group: aws.autoscaling.Group,
    timeoutSeconds: number,
): aws.autoscaling.LifecycleHook {
    return new aws.autoscaling.LifecycleHook(
        `${scope.name}-ready-hook`,
        {
            autoscalingGroupName: group.name,
            name: READY_HOOK_NAME,
            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            defaultResult: "ABANDON",
            heartbeatTimeout: timeoutSeconds,
        },
        { parent: scope.parent },
    );
}
