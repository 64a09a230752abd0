/**
 * One transactor roll: an instance refresh of the group onto a launch template version, started with that
 * version as its desired configuration and auto rollback on, and waited for until it ends.
 *
 * Why the refresh is started here and not by the AWS provider's `instanceRefresh` block: the provider
 * saves the new launch template version on the group first and then starts the refresh without waiting
 * (hashicorp/terraform-provider-aws #34189, #29830; the fix, PR #39007, was closed unmerged), and AWS rolls a
 * failed refresh back to "the configuration that you last saved on the Auto Scaling group before starting the
 * instance refresh" (docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html), which
 * would be the new, bad one. Here the group keeps the previous version until the refresh succeeds, and AWS
 * saves the desired configuration on the group only then (StartInstanceRefresh, `DesiredConfiguration`).
 *
 * Preferences: MinHealthyPercentage 100 with MaxHealthyPercentage 200 launches the new instances before
 * terminating any old one (docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html), so
 * the group never has fewer than its size of transactors that are active or standing by. Auto rollback needs
 * a desired configuration, an AMI id rather than an SSM parameter, and a numbered launch template version on
 * the group, not `$Latest` or `$Default` (API reference, RollbackInstanceRefresh).
 */
import type { InstanceRefresh, StartInstanceRefreshCommandInput } from "@aws-sdk/client-auto-scaling";
import { CallEffects, errorCode, RollApi } from "./autoScaling";

/** The command's exit statuses. */
export const TRANSACTOR_ROLL_EXIT = { success: 0, failed: 1, usage: 2, timeout: 3 } as const;

/** What to roll onto. */
export interface RollRequest {
    groupName: string;
    launchTemplateId: string;
    /** A numbered version: auto rollback refuses `$Latest` and `$Default`. */
    launchTemplateVersion: string;
    /** Seconds after a new instance is InService before it counts; its launch hook already gated readiness. */
    instanceWarmupSeconds: number;
    /** CloudWatch alarms whose ALARM state fails the refresh (and so rolls it back). */
    alarmNames: string[];
    pollIntervalSeconds: number;
    timeoutSeconds: number;
}

/** How a roll ended. */
export interface RollResult {
    /** `Successful`, or `Unchanged` when the group and its instances already ran the version. */
    status: "Successful" | "Unchanged";
    refreshId?: string;
    groupName: string;
    launchTemplateVersion: string;
}

/** A refresh that ended any other way than Successful, or one still running at the deadline. */
export class RollFailure extends Error {
    constructor(
        message: string,
        public readonly kind: "failed" | "timeout",
    ) {
        super(message);
        this.name = "RollFailure";
    }
}

/** Refresh states that end a refresh (API reference, InstanceRefresh `Status`). */
const FAILED_STATES = new Set(["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]);
const ENDED_STATES = new Set(["Successful", ...FAILED_STATES]);

/** The refresh's input: the desired configuration and the preferences described above. */
export function startInput(request: RollRequest): StartInstanceRefreshCommandInput {
    return {
        AutoScalingGroupName: request.groupName,
        Strategy: "Rolling",
        DesiredConfiguration: {
            LaunchTemplate: { LaunchTemplateId: request.launchTemplateId, Version: request.launchTemplateVersion },
        },
        Preferences: {
            MinHealthyPercentage: 100,
            MaxHealthyPercentage: 200,
            InstanceWarmup: request.instanceWarmupSeconds,
            AutoRollback: true,
            // Instances already on the version stay: a roll resumed after a partial one replaces only the rest.
            SkipMatching: true,
            AlarmSpecification: request.alarmNames.length > 0 ? { Alarms: request.alarmNames } : undefined,
        },
    };
}

/** Whether a refresh rolls onto this request's launch template version. */
function isOurs(refresh: InstanceRefresh, request: RollRequest): boolean {
    const template = refresh.DesiredConfiguration?.LaunchTemplate;
    return (
        template?.LaunchTemplateId === request.launchTemplateId && template?.Version === request.launchTemplateVersion
    );
}

function describeProgress(refresh: InstanceRefresh): string {
    const details = [
        refresh.Status,
        refresh.PercentageComplete !== undefined ? `${refresh.PercentageComplete}% complete` : undefined,
        refresh.InstancesToUpdate !== undefined ? `${refresh.InstancesToUpdate} instance(s) to update` : undefined,
        refresh.StatusReason,
    ].filter((part) => part !== undefined && part !== "");
    return `refresh ${refresh.InstanceRefreshId}: ${details.join(", ")}`;
}

/** Rolls the group onto the version, or resumes waiting on the refresh an interrupted run started. */
export async function roll(request: RollRequest, api: RollApi, effects: CallEffects): Promise<RollResult> {
    const deadline = effects.now() + request.timeoutSeconds * 1000;
    const ended = (refreshId: string) => wait(request, refreshId, api, effects, deadline);
    for (;;) {
        const active = (await api.refreshes(request.groupName)).find(
            (refresh) => refresh.Status !== undefined && !ENDED_STATES.has(refresh.Status),
        );
        if (active?.InstanceRefreshId && isOurs(active, request)) {
            effects.progress(
                `resuming the wait on refresh ${active.InstanceRefreshId}, already rolling onto this version`,
            );
            return ended(active.InstanceRefreshId);
        }
        if (active?.InstanceRefreshId) {
            effects.progress(
                `refresh ${active.InstanceRefreshId} (another configuration) is running; waiting for it to end`,
            );
            await wait(request, active.InstanceRefreshId, api, effects, deadline).catch((error: unknown) => {
                if (!(error instanceof RollFailure && error.kind === "failed")) {
                    throw error;
                }
            });
            continue;
        }
        if (await alreadyOnVersion(request, api)) {
            effects.progress(
                `${request.groupName} already runs launch template version ${request.launchTemplateVersion}; nothing to roll`,
            );
            return {
                status: "Unchanged",
                groupName: request.groupName,
                launchTemplateVersion: request.launchTemplateVersion,
            };
        }
        let refreshId: string;
        try {
            refreshId = await api.start(startInput(request));
        } catch (error) {
            // Another refresh started between the look and the start: look again, after a poll interval (the
            // list may not show it at once), until the deadline.
            const code = errorCode(error);
            if (code !== "InstanceRefreshInProgress" && code !== "InstanceRefreshInProgressFault") {
                throw error;
            }
            if (effects.now() + request.pollIntervalSeconds * 1000 > deadline) {
                throw new RollFailure(
                    `another instance refresh of ${request.groupName} kept this roll from starting for ${request.timeoutSeconds} s`,
                    "timeout",
                );
            }
            await effects.sleep(request.pollIntervalSeconds * 1000);
            continue;
        }
        effects.progress(
            `started refresh ${refreshId} of ${request.groupName} onto launch template version ${request.launchTemplateVersion} (launch before terminate, auto rollback on)`,
        );
        return ended(refreshId);
    }
}

/**
 * Whether a roll onto the version is still to start: the group is not on it, and no refresh onto it is
 * under way (a refresh of another configuration does not count).
 */
export async function rollDue(request: RollRequest, api: RollApi): Promise<boolean> {
    const ours = (await api.refreshes(request.groupName)).some(
        (refresh) => refresh.Status !== undefined && !ENDED_STATES.has(refresh.Status) && isOurs(refresh, request),
    );
    return !ours && !(await alreadyOnVersion(request, api));
}

/** The group saves the version and every instance runs it: a refresh would replace nothing. */
async function alreadyOnVersion(request: RollRequest, api: RollApi): Promise<boolean> {
    const group = await api.group(request.groupName);
    if (!group) {
        throw new RollFailure(`there is no Auto Scaling group named ${request.groupName}`, "failed");
    }
    const onVersion = (template: { LaunchTemplateId?: string; Version?: string } | undefined) =>
        template?.LaunchTemplateId === request.launchTemplateId && template?.Version === request.launchTemplateVersion;
    return (
        onVersion(group.LaunchTemplate) &&
        (group.Instances ?? []).every((instance) => onVersion(instance.LaunchTemplate))
    );
}

/** Polls the refresh until it ends; prints each change of its progress. */
async function wait(
    request: RollRequest,
    refreshId: string,
    api: RollApi,
    effects: CallEffects,
    deadline: number,
): Promise<RollResult> {
    let last = "";
    for (;;) {
        const refresh = (await api.refreshes(request.groupName, refreshId))[0];
        if (!refresh) {
            throw new RollFailure(
                `refresh ${refreshId} of ${request.groupName} is not known to Auto Scaling`,
                "failed",
            );
        }
        const line = describeProgress(refresh);
        if (line !== last) {
            effects.progress(line);
            last = line;
        }
        if (refresh.Status === "Successful") {
            return {
                status: "Successful",
                refreshId,
                groupName: request.groupName,
                launchTemplateVersion: request.launchTemplateVersion,
            };
        }
        if (refresh.Status !== undefined && FAILED_STATES.has(refresh.Status)) {
            throw new RollFailure(
                `refresh ${refreshId} of ${request.groupName} ended ${refresh.Status}: ${refresh.StatusReason ?? "no reason given"}`,
                "failed",
            );
        }
        if (effects.now() + request.pollIntervalSeconds * 1000 > deadline) {
            throw new RollFailure(
                `refresh ${refreshId} of ${request.groupName} is still ${refresh.Status} after ${request.timeoutSeconds} s; ` +
                    "it goes on in AWS, and the next `pulumi up` waits for it again",
                "timeout",
            );
        }
        await effects.sleep(request.pollIntervalSeconds * 1000);
    }
}
