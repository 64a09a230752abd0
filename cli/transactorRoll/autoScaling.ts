/**
 * The Auto Scaling calls the transactor roll makes, each retried with backoff while AWS throttles it.
 *
 * Auto Scaling speaks the AWS Query protocol: a throttled call answers HTTP 400 with the error code
 * `Throttling` (docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html), and a group with a
 * pending update answers `ResourceContention` (the API reference's errors of StartInstanceRefresh). The
 * SDK client is built with `maxAttempts: 1` so that this module owns every retry and its timing.
 */
import {
    AutoScalingClient,
    AutoScalingGroup,
    DescribeAutoScalingGroupsCommand,
    DescribeInstanceRefreshesCommand,
    InstanceRefresh,
    SetDesiredCapacityCommand,
    StartInstanceRefreshCommand,
    StartInstanceRefreshCommandInput,
} from "@aws-sdk/client-auto-scaling";

/** Error codes that mean "the same call may succeed later". */
const RETRYABLE_CODES = new Set(["Throttling", "ThrottlingException", "RequestLimitExceeded", "ResourceContention"]);
/** The longest wait between two attempts of a throttled call. */
const MAX_BACKOFF_MILLISECONDS = 20_000;

/** What the calls need from the world: time, and a place to say they are waiting. */
export interface CallEffects {
    sleep(milliseconds: number): Promise<void>;
    now(): number;
    progress(line: string): void;
}

/** The first wait after a throttled call; doubled for each further throttled attempt. */
export interface RetryPolicy {
    baseDelayMilliseconds: number;
    /** No retry starts after this moment (`now()` time). */
    deadline: number;
}

/** An error's code as the SDK reports it (`name`, or the Query protocol's `Code`). */
export function errorCode(error: unknown): string | undefined {
    if (error && typeof error === "object") {
        const { name, Code } = error as { name?: string; Code?: string };
        return Code ?? name;
    }
    return undefined;
}

/** The Auto Scaling calls of a roll, throttle-safe. */
export class RollApi {
    constructor(
        private readonly client: AutoScalingClient,
        private readonly effects: CallEffects,
        private readonly retry: RetryPolicy,
    ) {}

    /** The group, or undefined when there is none of that name. */
    async group(groupName: string): Promise<AutoScalingGroup | undefined> {
        const answer = await this.call("DescribeAutoScalingGroups", () =>
            this.client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] })),
        );
        return answer.AutoScalingGroups?.[0];
    }

    /** The group's refreshes, newest first (AWS's order), or the one asked for. */
    async refreshes(groupName: string, refreshId?: string): Promise<InstanceRefresh[]> {
        const answer = await this.call("DescribeInstanceRefreshes", () =>
            this.client.send(
                new DescribeInstanceRefreshesCommand({
                    AutoScalingGroupName: groupName,
                    InstanceRefreshIds: refreshId ? [refreshId] : undefined,
                }),
            ),
        );
        return answer.InstanceRefreshes ?? [];
    }

    /** Starts a refresh and answers its id; an `InstanceRefreshInProgress` error reaches the caller. */
    async start(input: StartInstanceRefreshCommandInput): Promise<string> {
        const answer = await this.call("StartInstanceRefresh", () =>
            this.client.send(new StartInstanceRefreshCommand(input)),
        );
        if (!answer.InstanceRefreshId) {
            throw new Error("StartInstanceRefresh answered no InstanceRefreshId");
        }
        return answer.InstanceRefreshId;
    }

    /** Sets the group's desired capacity (how a backup run is started). */
    async setDesiredCapacity(groupName: string, capacity: number): Promise<void> {
        await this.call("SetDesiredCapacity", () =>
            this.client.send(
                new SetDesiredCapacityCommand({ AutoScalingGroupName: groupName, DesiredCapacity: capacity }),
            ),
        );
    }

    private async call<T>(action: string, send: () => Promise<T>): Promise<T> {
        for (let attempt = 0; ; attempt++) {
            try {
                return await send();
            } catch (error) {
                const code = errorCode(error);
                const delay = Math.min(this.retry.baseDelayMilliseconds * 2 ** attempt, MAX_BACKOFF_MILLISECONDS);
                if (!code || !RETRYABLE_CODES.has(code) || this.effects.now() + delay > this.retry.deadline) {
                    throw error;
                }
                this.effects.progress(`${action} answered ${code}; trying again in ${(delay / 1000).toFixed(1)} s`);
                await this.effects.sleep(delay);
            }
        }
    }
}
