/**
 * A fake Amazon EC2 Auto Scaling endpoint on 127.0.0.1 for the calls a transactor roll makes
 * (moto has no instance refresh). It speaks the AWS Query protocol as the API reference documents it:
 * a signed, form-encoded POST with `Action` and `Version=2011-01-01`; an XML `<Action>Response>` with an
 * `<Action>Result>` and `ResponseMetadata`; errors as `<ErrorResponse><Error><Type>`, `<Code>`,
 * `<Message>` with HTTP 400 (docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html for
 * `Throttling`; StartInstanceRefresh's errors for `InstanceRefreshInProgress`).
 *
 * A refresh moves one step each time it is described by id. Its steps follow AWS's documented order
 * (docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html): with a minimum healthy
 * percentage of 100 a batch of new instances is launched before the old ones go; below 100 old instances
 * are terminated first. A successful refresh saves its desired configuration on the group; a rolled back
 * one leaves the group's saved configuration alone and puts back instances of it
 * (docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html).
 *
 * A DatomicBackup's run group is modelled too: SetDesiredCapacity to 1 starts a run, which after a few
 * describes writes `status/<database>.json` for the databases it backs up and leaves the group (desired
 * capacity back to 0), as components/pro/backup/scripts.ts does. The same server answers S3's HeadObject
 * (`HEAD /<bucket>/<key>`, path style: 200 with an `ETag`, or 404 with no body) for those status objects.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";

const NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

export interface FakeLaunchTemplate {
    id: string;
    version: string;
}

export interface FakeInstance {
    id: string;
    version: string;
}

export interface FakeGroup {
    name: string;
    launchTemplate: FakeLaunchTemplate;
    desired: number;
    instances: FakeInstance[];
    /** The fewest instances of the group at any moment of a refresh (launched ones included once ready). */
    fewestInService: number;
    /** Launches and terminations in order, e.g. `launch i-2 (v2)`. */
    events: string[];
}

/** How a started refresh ends: its new instances become ready, or never do (their launch hook is abandoned). */
export type RefreshOutcome = "succeeds" | "newInstancesNeverReady" | "cancelledByOperator";

interface Step {
    status: string;
    reason?: string;
    apply?: (group: FakeGroup) => void;
}

interface FakeRefresh {
    id: string;
    group: string;
    status: string;
    reason?: string;
    desired?: FakeLaunchTemplate;
    preferences: Record<string, string>;
    percentage: number;
    toUpdate: number;
    steps: Step[];
}

/** A backup run group: which databases a run backs up successfully, and how many describes it takes. */
export interface FakeBackupGroup {
    bucket: string;
    succeeds: string[];
    polls: number;
    runs: number;
    /** Describes left before the running run ends, or undefined when none runs. */
    running?: number;
}

export interface RecordedCall {
    action: string;
    params: Record<string, string>;
}

/** The fake endpoint and what tests script or read. */
export class FakeAutoScaling {
    readonly groups = new Map<string, FakeGroup>();
    readonly calls: RecordedCall[] = [];
    /**
     * Someone else starts a refresh (onto this configuration) just before the next StartInstanceRefresh
     * arrives, so that call answers InstanceRefreshInProgress.
     */
    raceNextStart?: FakeLaunchTemplate;
    /** How the next refresh started through StartInstanceRefresh ends. */
    nextOutcome: RefreshOutcome = "succeeds";
    /** Throttle this many of the next calls of each action. */
    readonly throttle = new Map<string, number>();
    /** Backup run groups by name (their group is in `groups` too). */
    readonly backupGroups = new Map<string, FakeBackupGroup>();
    /** S3 objects, `<bucket>/<key>` to ETag. */
    readonly objects = new Map<string, string>();
    private readonly refreshes: FakeRefresh[] = [];
    private server?: http.Server;
    private instanceCounter = 0;

    /** Starts listening on 127.0.0.1; answers the endpoint URL. */
    async start(): Promise<string> {
        this.server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
            req.on("end", () => {
                const { status, xml, etag } = this.answer(req, body) as { status: number; xml: string; etag?: string };
                res.writeHead(status, etag ? { ETag: etag, "Content-Length": "64" } : { "Content-Type": "text/xml" });
                res.end(req.method === "HEAD" ? undefined : xml);
            });
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        await new Promise((resolve) => this.server?.close(resolve));
    }

    /** A group of `desired` instances on the version. */
    addGroup(name: string, launchTemplate: FakeLaunchTemplate, desired: number): FakeGroup {
        const group: FakeGroup = {
            name,
            launchTemplate,
            desired,
            instances: [],
            fewestInService: desired,
            events: [],
        };
        for (let i = 0; i < desired; i++) {
            group.instances.push(this.newInstance(launchTemplate.version));
        }
        this.groups.set(name, group);
        return group;
    }

    /** A DatomicBackup run group, idle; each run backs up `succeeds` and takes `polls` describes. */
    addBackupGroup(name: string, bucket: string, succeeds: string[], polls = 2): FakeBackupGroup {
        this.groups.set(name, {
            name,
            launchTemplate: { id: "lt-backup", version: "1" },
            desired: 0,
            instances: [],
            fewestInService: 0,
            events: [],
        });
        const backup: FakeBackupGroup = { bucket, succeeds, polls, runs: 0 };
        this.backupGroups.set(name, backup);
        return backup;
    }

    /** A refresh someone else started (the console, another run), in progress for `polls` more polls. */
    addRunningRefresh(groupName: string, desired: FakeLaunchTemplate, polls: number): string {
        const group = this.groups.get(groupName)!;
        const refresh = this.newRefresh(group, desired, { MinHealthyPercentage: "100", MaxHealthyPercentage: "200" });
        refresh.status = "InProgress";
        refresh.steps = [
            ...Array.from({ length: polls }, () => ({ status: "InProgress" })),
            ...this.successSteps(group, refresh).slice(1),
        ];
        return refresh.id;
    }

    private newInstance(version: string): FakeInstance {
        this.instanceCounter += 1;
        return { id: `i-${String(this.instanceCounter).padStart(17, "0")}`, version };
    }

    private newRefresh(
        group: FakeGroup,
        desired: FakeLaunchTemplate,
        preferences: Record<string, string>,
    ): FakeRefresh {
        const refresh: FakeRefresh = {
            id: randomUUID(),
            group: group.name,
            status: "Pending",
            desired,
            preferences,
            percentage: 0,
            toUpdate: group.instances.filter((instance) => instance.version !== desired.version).length,
            steps: [],
        };
        this.refreshes.unshift(refresh);
        return refresh;
    }

    private answer(req: http.IncomingMessage, body: string): { status: number; xml: string } {
        if (req.method === "HEAD") {
            return this.headObject(req.url ?? "");
        }
        const params = Object.fromEntries(new URLSearchParams(body));
        const action = params.Action ?? "";
        this.calls.push({ action, params });
        if (req.method !== "POST" || !String(req.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) {
            return error(
                403,
                "Sender",
                "MissingAuthenticationToken",
                "Request must be signed with Signature Version 4",
            );
        }
        if (params.Version !== "2011-01-01") {
            return error(400, "Sender", "InvalidAction", `Unknown API version ${params.Version}`);
        }
        const throttled = this.throttle.get(action) ?? 0;
        if (throttled > 0) {
            this.throttle.set(action, throttled - 1);
            return error(400, "Sender", "Throttling", "Rate exceeded");
        }
        switch (action) {
            case "DescribeAutoScalingGroups":
                return ok(action, `<AutoScalingGroups>${this.describeGroups(params)}</AutoScalingGroups>`);
            case "DescribeInstanceRefreshes":
                return ok(action, `<InstanceRefreshes>${this.describeRefreshes(params)}</InstanceRefreshes>`);
            case "StartInstanceRefresh":
                return this.startRefresh(params);
            case "SetDesiredCapacity":
                return this.setDesiredCapacity(params);
            default:
                return error(400, "Sender", "InvalidAction", `The action ${action} is not valid for this web service.`);
        }
    }

    /** S3 HeadObject, path style. */
    private headObject(url: string): { status: number; xml: string; etag?: string } {
        const key = decodeURIComponent(url.replace(/^\//, "").split("?")[0]);
        this.calls.push({ action: "HeadObject", params: { key } });
        const etag = this.objects.get(key);
        return etag ? { status: 200, xml: "", etag } : { status: 404, xml: "" };
    }

    private setDesiredCapacity(params: Record<string, string>): { status: number; xml: string } {
        const group = this.groups.get(params.AutoScalingGroupName);
        if (!group) {
            return error(
                400,
                "Sender",
                "ValidationError",
                `AutoScalingGroup name not found - ${params.AutoScalingGroupName}`,
            );
        }
        group.desired = Number(params.DesiredCapacity);
        const backup = this.backupGroups.get(group.name);
        if (backup && group.desired === 1 && backup.running === undefined) {
            backup.running = backup.polls;
            backup.runs += 1;
            group.instances = [this.newInstance("1")];
        }
        return ok("SetDesiredCapacity", "");
    }

    /** A backup run moves on with each describe of its group; at its end it writes status objects and leaves. */
    private advanceBackupRun(group: FakeGroup): void {
        const backup = this.backupGroups.get(group.name);
        if (!backup || backup.running === undefined) {
            return;
        }
        if (backup.running > 0) {
            backup.running -= 1;
            return;
        }
        for (const db of backup.succeeds) {
            this.objects.set(`${backup.bucket}/status/${db}.json`, `"${randomUUID()}"`);
        }
        backup.running = undefined;
        group.instances = [];
        group.desired = 0;
    }

    private describeGroups(params: Record<string, string>): string {
        const names = members(params, "AutoScalingGroupNames");
        [...this.groups.values()]
            .filter((group) => names.length === 0 || names.includes(group.name))
            .forEach((group) => this.advanceBackupRun(group));
        return [...this.groups.values()]
            .filter((group) => names.length === 0 || names.includes(group.name))
            .map(
                (group) =>
                    `<member><AutoScalingGroupName>${group.name}</AutoScalingGroupName>` +
                    templateXml(group.launchTemplate) +
                    `<MinSize>${group.desired}</MinSize><MaxSize>${group.desired}</MaxSize>` +
                    `<DesiredCapacity>${group.desired}</DesiredCapacity><Instances>` +
                    group.instances
                        .map(
                            (instance) =>
                                `<member><InstanceId>${instance.id}</InstanceId><LifecycleState>InService</LifecycleState>` +
                                `<HealthStatus>Healthy</HealthStatus>` +
                                templateXml({ id: group.launchTemplate.id, version: instance.version }) +
                                `<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>`,
                        )
                        .join("") +
                    `</Instances></member>`,
            )
            .join("");
    }

    private describeRefreshes(params: Record<string, string>): string {
        const ids = members(params, "InstanceRefreshIds");
        const found = this.refreshes.filter(
            (refresh) =>
                refresh.group === params.AutoScalingGroupName && (ids.length === 0 || ids.includes(refresh.id)),
        );
        // Described by id, a refresh moves on one step.
        if (ids.length > 0) {
            found.forEach((refresh) => this.advance(refresh));
        }
        return found
            .map(
                (refresh) =>
                    `<member><InstanceRefreshId>${refresh.id}</InstanceRefreshId>` +
                    `<AutoScalingGroupName>${refresh.group}</AutoScalingGroupName><Status>${refresh.status}</Status>` +
                    (refresh.reason ? `<StatusReason>${escapeXml(refresh.reason)}</StatusReason>` : "") +
                    `<StartTime>2026-12-03T16:00:00Z</StartTime>` +
                    `<PercentageComplete>${refresh.percentage}</PercentageComplete>` +
                    `<InstancesToUpdate>${refresh.toUpdate}</InstancesToUpdate>` +
                    (refresh.desired
                        ? `<DesiredConfiguration>${templateXml(refresh.desired)}</DesiredConfiguration>`
                        : "") +
                    `</member>`,
            )
            .join("");
    }

    private startRefresh(params: Record<string, string>): { status: number; xml: string } {
        const group = this.groups.get(params.AutoScalingGroupName);
        if (!group) {
            return error(
                400,
                "Sender",
                "ValidationError",
                `AutoScalingGroup name not found - ${params.AutoScalingGroupName}`,
            );
        }
        if (this.raceNextStart) {
            this.addRunningRefresh(group.name, this.raceNextStart, 1);
            this.raceNextStart = undefined;
        }
        if (this.refreshes.some((refresh) => refresh.group === group.name && !ENDED.has(refresh.status))) {
            return error(
                400,
                "Sender",
                "InstanceRefreshInProgress",
                "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
            );
        }
        const desired = {
            id: params["DesiredConfiguration.LaunchTemplate.LaunchTemplateId"],
            version: params["DesiredConfiguration.LaunchTemplate.Version"],
        };
        const preferences = Object.fromEntries(
            Object.entries(params)
                .filter(([key]) => key.startsWith("Preferences."))
                .map(([key, value]) => [key.slice("Preferences.".length), value]),
        );
        const refresh = this.newRefresh(group, desired, preferences);
        refresh.steps = {
            succeeds: () => this.successSteps(group, refresh),
            newInstancesNeverReady: () => this.neverReadySteps(refresh),
            // Someone ran CancelInstanceRefresh: Cancelling, then Cancelled (no rollback of its own).
            cancelledByOperator: () => [
                { status: "Pending" },
                { status: "Cancelling" },
                { status: "Cancelled", reason: "The instance refresh was cancelled by a user request." },
            ],
        }[this.nextOutcome]();
        return ok("StartInstanceRefresh", `<InstanceRefreshId>${refresh.id}</InstanceRefreshId>`);
    }

    /** Batches as AWS sizes them from the healthy percentages; launch first only at a minimum of 100. */
    private successSteps(group: FakeGroup, refresh: FakeRefresh): Step[] {
        const min = Number(refresh.preferences.MinHealthyPercentage ?? 90);
        const max = Number(refresh.preferences.MaxHealthyPercentage ?? 100);
        const launchFirst = min === 100;
        const batch = Math.max(1, Math.floor((group.desired * (launchFirst ? max - min : 100 - min)) / 100));
        const steps: Step[] = [{ status: "Pending" }];
        const version = refresh.desired!.version;
        for (let done = 0; done < refresh.toUpdate; done += batch) {
            const count = Math.min(batch, refresh.toUpdate - done);
            const launch = { status: "InProgress", apply: (g: FakeGroup) => this.launch(g, version, count) };
            const terminate = { status: "InProgress", apply: (g: FakeGroup) => this.terminateOld(g, version, count) };
            steps.push(...(launchFirst ? [launch, terminate] : [terminate, launch]));
        }
        steps.push({
            status: "Successful",
            apply: (g) => {
                g.launchTemplate = { ...refresh.desired! };
            },
        });
        return steps;
    }

    /** The new instances are launched and their launch hook times out (ABANDON): the refresh fails and rolls back. */
    private neverReadySteps(refresh: FakeRefresh): Step[] {
        const version = refresh.desired!.version;
        const count = refresh.toUpdate;
        const reason =
            `Instance refresh failed: ${count} instance(s) were abandoned by lifecycle hook datomic-transactor-ready ` +
            "(heartbeat timeout). Rollback is in progress.";
        return [
            { status: "Pending" },
            { status: "InProgress", apply: (g) => this.launch(g, version, count, false) },
            {
                status: "RollbackInProgress",
                reason,
                apply: (g) => {
                    g.instances = g.instances.filter((instance) => instance.version !== version);
                    g.events.push(`abandon ${count} (v${version})`);
                },
            },
            { status: "RollbackSuccessful", reason: `${reason.replace(" Rollback is in progress.", "")} Rolled back.` },
        ];
    }

    private launch(group: FakeGroup, version: string, count: number, ready = true): void {
        for (let i = 0; i < count; i++) {
            const instance = this.newInstance(version);
            group.events.push(`launch ${instance.id} (v${version})`);
            if (ready) {
                group.instances.push(instance);
            }
        }
    }

    private terminateOld(group: FakeGroup, version: string, count: number): void {
        const old = group.instances.filter((instance) => instance.version !== version).slice(0, count);
        group.instances = group.instances.filter((instance) => !old.includes(instance));
        old.forEach((instance) => group.events.push(`terminate ${instance.id} (v${instance.version})`));
        group.fewestInService = Math.min(group.fewestInService, group.instances.length);
    }

    private advance(refresh: FakeRefresh): void {
        const step = refresh.steps.shift();
        if (!step) {
            return;
        }
        const group = this.groups.get(refresh.group)!;
        step.apply?.(group);
        refresh.status = step.status;
        refresh.reason = step.reason;
        const desired = refresh.desired?.version;
        const remaining = group.instances.filter((instance) => instance.version !== desired).length;
        if (step.status === "InProgress" || step.status === "Successful") {
            refresh.toUpdate = remaining;
            const total = Math.max(1, group.desired);
            refresh.percentage = Math.round(((total - Math.min(total, remaining)) / total) * 100);
        }
    }
}

const ENDED = new Set(["Successful", "Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"]);

/** `Name.member.1`, `Name.member.2`, ... in order. */
function members(params: Record<string, string>, name: string): string[] {
    const found: string[] = [];
    for (let i = 1; params[`${name}.member.${i}`] !== undefined; i++) {
        found.push(params[`${name}.member.${i}`]);
    }
    return found;
}

function templateXml(template: FakeLaunchTemplate): string {
    return (
        `<LaunchTemplate><LaunchTemplateId>${template.id}</LaunchTemplateId>` +
        `<LaunchTemplateName>transactor</LaunchTemplateName><Version>${template.version}</Version></LaunchTemplate>`
    );
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function ok(action: string, result: string): { status: number; xml: string } {
    return {
        status: 200,
        xml:
            `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${result}</${action}Result>` +
            `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
    };
}

function error(status: number, type: string, code: string, message: string): { status: number; xml: string } {
    return {
        status,
        xml:
            `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>${type}</Type><Code>${code}</Code>` +
            `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
    };
}
