/**
 * DatomicTransactor's roll under the mock runtime: the command that rolls the group onto each new launch
 * template version (and only then), the launch hook that gates readiness, the permission to complete it,
 * and the group left to the roll. The command line the component renders is then run for real, compiled,
 * against the fake Auto Scaling endpoint (test/fakes/autoScalingEndpoint.ts).
 */
import { execFile } from "child_process";
import * as pulumi from "@pulumi/pulumi";
import { DatomicTransactor, DatomicTransactorArgs } from "../../../components/pro/transactor/transactor";
import { defaultRollCommand } from "../../../components/pro/transactor/roll";
import { FakeAutoScaling } from "../../fakes/autoScalingEndpoint";
import { compiledCommand } from "../../support/compiledCommand";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { AMI_PINNED, SUBNETS, transactorLookups, VPC_ID } from "../../fixtures/proTransactor";

jest.setTimeout(60_000);

const recorder = installMocks();

const NAME = "acme-orders";
const GROUP_NAME = `${NAME}-transactor`;
const TEMPLATE_ID = `${NAME}-launch-template-id`;
const T = {
    command: "command:local:Command",
    hook: "aws:autoscaling/lifecycleHook:LifecycleHook",
    group: "aws:autoscaling/group:Group",
    template: "aws:ec2/launchTemplate:LaunchTemplate",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};
const ROLL_CLI = `node ${compiledCommand("cli/transactorRoll.ts")}`;

/** Builds the transactor with the launch template at `version`, as the provider would report it. */
async function build(version: number, extra: Partial<DatomicTransactorArgs> = {}): Promise<void> {
    resetWorld(recorder, {
        fixtures: { lookups: transactorLookups() },
        outputs: { [T.template]: { "*": { latestVersion: version } } },
    });
    const transactor = new DatomicTransactor(NAME, {
        version: "1.0.7075",
        vpcId: VPC_ID,
        subnetIds: SUBNETS.map((subnet) => subnet.id),
        amiId: AMI_PINNED,
        rollCommand: ROLL_CLI,
        ...extra,
    });
    await valueOf(pulumi.output(transactor.contractOutputs()));
    await recorder.settle();
    expect(recorder.failures).toEqual([]);
}

const roll = () => recorder.get(T.command, `${NAME}-roll`);

describe("the roll command", () => {
    test("runs datomic-transactor-roll onto the launch template's version, triggered by that version alone", async () => {
        await build(3);
        const command = roll();
        expect(command.inputs.triggers).toEqual([3]);
        // @pulumi/command replaces the command, and so runs `create`, when a trigger changes.
        expect(command.replaceOnChanges).toEqual(["triggers[*]"]);
        expect(command.inputs.create).toBe(
            `${ROLL_CLI} --group ${GROUP_NAME} --launch-template-id ${TEMPLATE_ID} --launch-template-version 3 ` +
                `--region us-east-1 --warmup 0 --alarm ${NAME}-transactor-heartbeat --poll-interval 15 --timeout 3540`,
        );
        // Anything else that changes runs the same roll, which starts nothing on a group already on the
        // version (below); no credentials, no environment.
        expect(command.inputs.update).toBe(command.inputs.create);
        expect(command.inputs.environment).toBeUndefined();
        expect(command.customTimeouts).toMatchObject({ create: "60m", update: "60m" });
        // It starts after the group, its launch hook and the instances' permission to complete it.
        for (const [type, name] of [
            [T.group, `${NAME}-group`],
            [T.hook, `${NAME}-ready-hook`],
            [T.rolePolicy, `${NAME}-transactor-ready-policy`],
        ]) {
            expect(command.dependencies).toContain(recorder.get(type, name).urn);
        }
    });

    test("an up that changes nothing renders the same trigger and command, so the engine runs nothing", async () => {
        await build(3, { tags: { team: "orders" } });
        const first = roll().inputs;
        await build(3, {
            tags: { team: "orders" },
            rollPollIntervalSeconds: 30,
            rollCommand: "datomic-transactor-roll",
        });
        // Only the trigger decides whether the roll runs: a new poll interval or command line is an update.
        expect(roll().inputs.triggers).toEqual(first.triggers);
        await build(4);
        expect(roll().inputs.triggers).toEqual([4]);
    });

    test("the group is left to the roll: no provider refresh, and its saved launch template version is ignored", async () => {
        await build(3);
        const group = recorder.get(T.group, `${NAME}-group`);
        expect(group.inputs.instanceRefresh).toBeUndefined();
        expect(group.ignoreChanges).toEqual(["launchTemplate.version"]);
        // A numbered version, which auto rollback needs.
        expect(group.inputs.launchTemplate).toEqual({ id: TEMPLATE_ID, version: "3" });
    });

    test("a launch hook holds new instances until they complete it, abandoning them after readyTimeoutSeconds", async () => {
        await build(3, { readyTimeoutSeconds: 900 });
        expect(recorder.get(T.hook, `${NAME}-ready-hook`).inputs).toEqual({
            autoscalingGroupName: GROUP_NAME,
            name: "datomic-transactor-ready",
            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
            defaultResult: "ABANDON",
            heartbeatTimeout: 900,
        });
        await build(3);
        expect(recorder.get(T.hook, `${NAME}-ready-hook`).inputs.heartbeatTimeout).toBe(600);
    });

    test("readinessHook: false leaves out the hook, its policy and the instance's signal; new instances count after the warmup", async () => {
        await build(3, { readinessHook: false, instanceWarmupSeconds: 240 });
        expect(recorder.ofType(T.hook)).toEqual([]);
        expect(recorder.ofType(T.rolePolicy).map((policy) => policy.name)).not.toContain(
            `${NAME}-transactor-ready-policy`,
        );
        const userData = Buffer.from(
            recorder.get(T.template, `${NAME}-launch-template`).inputs.userData as string,
            "base64",
        ).toString();
        expect(userData).not.toContain("datomic-ready");
        expect(roll().inputs.create).toContain(" --warmup 240 ");
    });

    test("the transactor role may complete lifecycle actions of its own group only, and instances boot with it", async () => {
        await build(3);
        const policy = recorder.get(T.rolePolicy, `${NAME}-transactor-ready-policy`);
        expect(policy.inputs.role).toBe(`${NAME}-transactor-us-east-1`);
        expect(JSON.parse(policy.inputs.policy as string)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["autoscaling:CompleteLifecycleAction"],
                    Resource: `arn:aws:autoscaling:us-east-1:111111111111:autoScalingGroup:*:autoScalingGroupName/${GROUP_NAME}`,
                },
            ],
        });
        expect(recorder.get(T.template, `${NAME}-launch-template`).dependencies).toContain(policy.urn);
        const userData = Buffer.from(
            recorder.get(T.template, `${NAME}-launch-template`).inputs.userData as string,
            "base64",
        ).toString();
        expect(userData).toContain(`    READY_GROUP='${GROUP_NAME}' \\\n    READY_HOOK='datomic-transactor-ready'\n`);
        expect(userData).toContain("systemctl start --no-block datomic-ready.service\n");
    });

    test("an alarm when no standby watches the active transactor, only in a group with a standby", async () => {
        await build(3);
        expect(recorder.get(T.alarm, `${NAME}-standby`).inputs).toMatchObject({
            name: `${NAME}-transactor-standby`,
            namespace: "Datomic",
            metricName: "HeartMonitorMsec",
            dimensions: { Transactor: NAME },
            statistic: "SampleCount",
            period: 60,
            evaluationPeriods: 5,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            treatMissingData: "breaching",
        });
        await build(3, { groupSize: 1 });
        expect(recorder.ofType(T.alarm).map((alarm) => alarm.name)).not.toContain(`${NAME}-standby`);
    });

    test.each([
        [{ readyTimeoutSeconds: 20 }, "readyTimeoutSeconds: 20 is not a whole number of seconds from 30 to 7200"],
        [{ readyTimeoutSeconds: 7201 }, "readyTimeoutSeconds: 7201 is not a whole number of seconds from 30 to 7200"],
        [{ rollTimeoutMinutes: 1 }, "rollTimeoutMinutes: 1 is not a whole number of minutes, 2 or more"],
        [{ rollPollIntervalSeconds: 0 }, "rollPollIntervalSeconds: 0 is not a positive number of seconds"],
        [
            { backup: { groupName: "g", bucketName: "b", databases: [] } },
            "backup.databases: is empty; list the databases DatomicBackup backs up",
        ],
    ])("refuses %p at preview, naming the argument", (extra, message) => {
        resetWorld(recorder, { fixtures: { lookups: transactorLookups() } });
        expect(
            () =>
                new DatomicTransactor("bad", {
                    version: "1.0.7075",
                    vpcId: VPC_ID,
                    subnetIds: ["subnet-0a"],
                    amiId: AMI_PINNED,
                    ...extra,
                }),
        ).toThrow(message);
    });

    test("with a DatomicBackup attached, a version change backs up first: a command triggered by the version alone", async () => {
        const backup = {
            groupName: "acme-orders-datomic-backup",
            bucketName: "acme-orders-backups",
            databases: ["orders", "ledger"],
        };
        await build(3, { backup });
        const command = recorder.get(T.command, `${NAME}-backup-before-roll`);
        expect(command.inputs.triggers).toEqual(["1.0.7075"]);
        expect(command.inputs.create).toBe(
            `${roll().inputs.create} --backup-only --backup-group acme-orders-datomic-backup ` +
                "--backup-bucket acme-orders-backups --backup-database orders --backup-database ledger",
        );
        // Another change of its inputs (a new launch template version without a new release) runs nothing.
        expect(command.inputs.update).toBe("true");
        // The roll starts only after the backup.
        expect(roll().dependencies).toContain(command.urn);

        await build(3, { backup, backupBeforeVersionChange: false });
        expect(recorder.ofType(T.command).map((c) => c.name)).toEqual([`${NAME}-roll`]);
    });

    test("by default runs this repository's CLI through ts-node, by a path relative to the program", () => {
        expect(defaultRollCommand(process.cwd())).toBe("node -r ts-node/register/transpile-only cli/transactorRoll.ts");
    });
});

describe("the rendered roll command against Auto Scaling (the fake endpoint)", () => {
    let fake: FakeAutoScaling;
    let endpoint: string;

    beforeEach(async () => {
        fake = new FakeAutoScaling();
        endpoint = await fake.start();
    });
    afterEach(() => fake.stop());

    /** Runs the command line the component rendered, as @pulumi/command would (a shell), with fast polls. */
    async function runRenderedRoll(name = `${NAME}-roll`): Promise<{ code: number; stdout: string; stderr: string }> {
        const rendered = recorder.get(T.command, name).inputs.create as string;
        const line = rendered.replace("--poll-interval 15", "--poll-interval 0.01");
        const env = {
            PATH: process.env.PATH,
            AWS_ENDPOINT_URL_AUTO_SCALING: endpoint,
            AWS_ENDPOINT_URL_S3: endpoint,
            AWS_ACCESS_KEY_ID: "AKIDFAKE",
            AWS_SECRET_ACCESS_KEY: "fake-secret",
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
        };
        return new Promise((resolve) =>
            execFile("/bin/sh", ["-c", line], { env, timeout: 30_000 }, (error, stdout, stderr) =>
                resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
            ),
        );
    }

    test("a version bump launches before it terminates, waits, and reports success", async () => {
        const group = fake.addGroup(GROUP_NAME, { id: TEMPLATE_ID, version: "2" }, 2);
        await build(3);
        const run = await runRenderedRoll();
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({ status: "Successful", launchTemplateVersion: "3" });
        expect(group.events.map((event) => event.split(" ")[0])).toEqual([
            "launch",
            "launch",
            "terminate",
            "terminate",
        ]);
        expect(group.fewestInService).toBe(2);
        expect(group.launchTemplate.version).toBe("3");
    });

    test("a bad release fails the up with the refresh's reason and leaves the group on the previous version", async () => {
        const group = fake.addGroup(GROUP_NAME, { id: TEMPLATE_ID, version: "2" }, 2);
        fake.nextOutcome = "newInstancesNeverReady";
        await build(3);
        const run = await runRenderedRoll();
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/ended RollbackSuccessful: Instance refresh failed: 2 instance\(s\) were abandoned/);
        expect(group.launchTemplate.version).toBe("2");
        expect(group.instances.map((instance) => instance.version)).toEqual(["2", "2"]);
    });

    test("a group already on the version (the first up, or a rerun) starts nothing", async () => {
        fake.addGroup(GROUP_NAME, { id: TEMPLATE_ID, version: "3" }, 2);
        await build(3);
        const run = await runRenderedRoll();
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).status).toBe("Unchanged");
        expect(fake.calls.map((call) => call.action)).not.toContain("StartInstanceRefresh");
    });

    test("with a DatomicBackup attached, a version bump backs up every database before the roll", async () => {
        const group = fake.addGroup(GROUP_NAME, { id: TEMPLATE_ID, version: "2" }, 2);
        const backup = fake.addBackupGroup("acme-orders-datomic-backup", "acme-orders-backups", ["orders"]);
        await build(3, {
            backup: {
                groupName: "acme-orders-datomic-backup",
                bucketName: "acme-orders-backups",
                databases: ["orders"],
            },
        });
        // The engine runs the backup first (the roll depends on it), then the roll.
        const backedUp = await runRenderedRoll(`${NAME}-backup-before-roll`);
        expect(backedUp.code).toBe(0);
        expect(JSON.parse(backedUp.stdout)).toEqual({ status: "BackedUp", databases: ["orders"] });
        expect(backup.runs).toBe(1);
        expect(group.launchTemplate.version).toBe("2");
        const rolled = await runRenderedRoll();
        expect(rolled.code).toBe(0);
        expect(group.launchTemplate.version).toBe("3");
        expect(fake.calls.findIndex((call) => call.action === "SetDesiredCapacity")).toBeLessThan(
            fake.calls.findIndex((call) => call.action === "StartInstanceRefresh"),
        );
    });
});
