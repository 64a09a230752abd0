/**
 * datomic-transactor-roll end to end: the compiled command, run as a process with the real AWS SDK,
 * against the fake Auto Scaling endpoint on 127.0.0.1 (test/fakes/autoScalingEndpoint.ts), reached
 * through AWS_ENDPOINT_URL_AUTO_SCALING as a user's SDK would reach another endpoint.
 */
import { execFile } from "child_process";
import { compiledCommand } from "../support/compiledCommand";
import { FakeAutoScaling } from "../fakes/autoScalingEndpoint";

jest.setTimeout(60_000);

const TEMPLATE = "lt-0123456789abcdef0";
const GROUP = "orders-transactor";

interface Run {
    code: number;
    stdout: string;
    stderr: string;
}

let fake: FakeAutoScaling;
let endpoint: string;

beforeEach(async () => {
    fake = new FakeAutoScaling();
    endpoint = await fake.start();
});

afterEach(() => fake.stop());

/** Runs the command against the fake, with fast polls and retries. */
function rollTo(version: string, extra: string[] = []): Promise<Run> {
    const args = [
        compiledCommand("cli/transactorRoll.ts"),
        "--group",
        GROUP,
        "--launch-template-id",
        TEMPLATE,
        "--launch-template-version",
        version,
        "--region",
        "us-east-1",
        "--poll-interval",
        "0.01",
        "--retry-delay",
        "0.01",
        ...extra,
    ];
    const env = {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_AUTO_SCALING: endpoint,
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_ACCESS_KEY_ID: "AKIDFAKE",
        AWS_SECRET_ACCESS_KEY: "fake-secret",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
    return new Promise((resolve) => {
        execFile(process.execPath, args, { env, timeout: 30_000 }, (error, stdout, stderr) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
    });
}

const actions = () => fake.calls.map((call) => call.action);
const starts = () => fake.calls.filter((call) => call.action === "StartInstanceRefresh");

describe("datomic-transactor-roll", () => {
    test("a version bump launches the new transactors before terminating any, waits, and reports success", async () => {
        const group = fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        const run = await rollTo("2", ["--alarm", "orders-transactor-heartbeat", "--warmup", "30"]);

        expect(run.stderr).toContain("started refresh");
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({
            status: "Successful",
            groupName: GROUP,
            launchTemplateVersion: "2",
        });
        expect(starts()).toHaveLength(1);
        expect(starts()[0].params).toMatchObject({
            AutoScalingGroupName: GROUP,
            Strategy: "Rolling",
            "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": TEMPLATE,
            "DesiredConfiguration.LaunchTemplate.Version": "2",
            "Preferences.MinHealthyPercentage": "100",
            "Preferences.MaxHealthyPercentage": "200",
            "Preferences.AutoRollback": "true",
            "Preferences.SkipMatching": "true",
            "Preferences.InstanceWarmup": "30",
            "Preferences.AlarmSpecification.Alarms.member.1": "orders-transactor-heartbeat",
        });
        // Both new transactors were up before either old one went; the group never had fewer than two.
        expect(group.events.map((event) => event.replace(/i-\d+ /, ""))).toEqual([
            "launch (v2)",
            "launch (v2)",
            "terminate (v1)",
            "terminate (v1)",
        ]);
        expect(group.fewestInService).toBe(2);
        expect(group.launchTemplate.version).toBe("2");
        // Progress: the percentage and the instances still to update, as they change.
        expect(run.stderr).toMatch(/InProgress, 0% complete, 2 instance\(s\) to update/);
        expect(run.stderr).toMatch(/Successful, 100% complete, 0 instance\(s\) to update/);
    });

    test("a bad release whose transactors never become ready fails with the refresh's reason and leaves the group on the previous version", async () => {
        const group = fake.addGroup(GROUP, { id: TEMPLATE, version: "4" }, 2);
        fake.nextOutcome = "newInstancesNeverReady";
        const run = await rollTo("5");

        expect(run.code).toBe(1);
        expect(run.stdout).toBe("");
        expect(run.stderr).toMatch(
            /refresh [\w-]+ of orders-transactor ended RollbackSuccessful: Instance refresh failed: 2 instance\(s\) were abandoned by lifecycle hook datomic-transactor-ready/,
        );
        expect(group.launchTemplate.version).toBe("4");
        expect(group.instances.map((instance) => instance.version)).toEqual(["4", "4"]);
    });

    test("a refresh cancelled by an operator fails the roll with its reason", async () => {
        const group = fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        fake.nextOutcome = "cancelledByOperator";
        const run = await rollTo("2");

        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/ended Cancelled: The instance refresh was cancelled by a user request\./);
        expect(group.launchTemplate.version).toBe("1");
    });

    test("a throttled describe is retried with backoff", async () => {
        fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        fake.throttle.set("DescribeInstanceRefreshes", 3);
        const run = await rollTo("2");

        expect(run.code).toBe(0);
        expect(run.stderr.match(/DescribeInstanceRefreshes answered Throttling; trying again in/g)).toHaveLength(3);
        expect(run.stderr).toContain("trying again in 0.0 s");
        expect(actions().slice(0, 4)).toEqual(Array(4).fill("DescribeInstanceRefreshes"));
        expect(JSON.parse(run.stdout).status).toBe("Successful");
    });

    test("a refresh already in progress (another configuration) is waited for, then the roll starts", async () => {
        const group = fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        const other = fake.addRunningRefresh(GROUP, { id: TEMPLATE, version: "2" }, 2);
        const run = await rollTo("3");

        expect(run.code).toBe(0);
        expect(run.stderr).toContain(`refresh ${other} (another configuration) is running; waiting for it to end`);
        expect(starts()).toHaveLength(1);
        expect(starts()[0].params["DesiredConfiguration.LaunchTemplate.Version"]).toBe("3");
        // The start came after the other refresh had ended.
        expect(run.stderr.indexOf(`refresh ${other}: Successful`)).toBeLessThan(run.stderr.indexOf("started refresh"));
        expect(group.launchTemplate.version).toBe("3");
    });

    test("a refresh started by someone else between the look and the start (InstanceRefreshInProgress) is waited for", async () => {
        const group = fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        fake.raceNextStart = { id: TEMPLATE, version: "2" };
        const run = await rollTo("3");

        expect(run.code).toBe(0);
        expect(run.stderr).toContain("(another configuration) is running; waiting for it to end");
        // The first start was refused, the second, after the other refresh ended, succeeded.
        expect(starts()).toHaveLength(2);
        expect(group.launchTemplate.version).toBe("3");
    });

    test("an interrupted run leaves the refresh going; the next run resumes waiting on it instead of starting another", async () => {
        const group = fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        // A deadline that passes during the first poll: the run stops waiting while the refresh goes on.
        const interrupted = await rollTo("2", ["--timeout", "0.005"]);
        expect(interrupted.code).toBe(3);
        expect(interrupted.stderr).toMatch(
            /is still \w+ after 0.005 s; it goes on in AWS, and the next `pulumi up` waits for it again/,
        );
        expect(group.launchTemplate.version).toBe("1");

        const resumed = await rollTo("2");
        expect(resumed.code).toBe(0);
        expect(resumed.stderr).toContain("resuming the wait on refresh");
        expect(starts()).toHaveLength(1);
        expect(group.launchTemplate.version).toBe("2");
    });

    test("a group already on the version starts no refresh", async () => {
        fake.addGroup(GROUP, { id: TEMPLATE, version: "7" }, 2);
        const run = await rollTo("7");

        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout).status).toBe("Unchanged");
        expect(starts()).toEqual([]);
        expect(actions()).toEqual(["DescribeInstanceRefreshes", "DescribeAutoScalingGroups"]);
    });

    test("refuses $Latest, which auto rollback cannot use", async () => {
        fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
        const run = await rollTo("$Latest");
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("expected a launch template version number");
        expect(fake.calls).toEqual([]);
    });

    describe("--backup-only, before a version change (DatomicBackup attached)", () => {
        const BACKUP_GROUP = "orders-datomic-backup";
        const BUCKET = "orders-datomic-backups";
        const backupFlags = [
            "--backup-only",
            "--backup-group",
            BACKUP_GROUP,
            "--backup-bucket",
            BUCKET,
            "--backup-database",
            "orders",
            "--backup-database",
            "ledger",
        ];
        const desiredCapacities = () =>
            fake.calls.filter((call) => call.action === "SetDesiredCapacity").map((call) => call.params);

        test("backs up every database and waits for the run before the roll starts", async () => {
            fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
            const backup = fake.addBackupGroup(BACKUP_GROUP, BUCKET, ["orders", "ledger"]);
            const run = await rollTo("2", backupFlags);

            expect(run.stderr).toContain("backing up orders, ledger (orders-datomic-backup) before the roll");
            expect(run.code).toBe(0);
            expect(JSON.parse(run.stdout)).toEqual({ status: "BackedUp", databases: ["orders", "ledger"] });
            expect(desiredCapacities()).toEqual([
                expect.objectContaining({ AutoScalingGroupName: BACKUP_GROUP, DesiredCapacity: "1" }),
            ]);
            expect(backup.runs).toBe(1);
            // The status objects were read before the run and after it ended; the transactors were not touched.
            const heads = fake.calls.filter((call) => call.action === "HeadObject").map((call) => call.params.key);
            // Both databases' objects, read concurrently before the run and after it.
            expect(heads.sort()).toEqual([
                `${BUCKET}/status/ledger.json`,
                `${BUCKET}/status/ledger.json`,
                `${BUCKET}/status/orders.json`,
                `${BUCKET}/status/orders.json`,
            ]);
            expect(starts()).toEqual([]);
        });

        test("fails, naming the database, when its backup did not succeed, so the roll never starts", async () => {
            fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
            fake.addBackupGroup(BACKUP_GROUP, BUCKET, ["orders"]);
            fake.objects.set(`${BUCKET}/status/ledger.json`, '"an-older-backup"');
            const run = await rollTo("2", backupFlags);

            expect(run.code).toBe(1);
            expect(run.stderr).toContain(
                `the backup before the roll failed for ledger (no new status/<database>.json in ${BUCKET}); see the backup's log group; no roll was started`,
            );
        });

        test("waits for a backup run already going, then starts its own", async () => {
            fake.addGroup(GROUP, { id: TEMPLATE, version: "1" }, 2);
            const backup = fake.addBackupGroup(BACKUP_GROUP, BUCKET, ["orders", "ledger"]);
            backup.running = 2;
            backup.runs = 1;
            fake.groups.get(BACKUP_GROUP)!.desired = 1;
            const run = await rollTo("2", backupFlags);

            expect(run.code).toBe(0);
            expect(run.stderr).toContain("a backup run in orders-datomic-backup is going; waiting for it to end");
            expect(backup.runs).toBe(2);
        });

        test("backs up nothing when no roll is due (the first deployment, or a rerun)", async () => {
            fake.addGroup(GROUP, { id: TEMPLATE, version: "2" }, 2);
            fake.addBackupGroup(BACKUP_GROUP, BUCKET, ["orders", "ledger"]);
            const run = await rollTo("2", backupFlags);

            expect(run.code).toBe(0);
            expect(JSON.parse(run.stdout).status).toBe("NoRollDue");
            expect(desiredCapacities()).toEqual([]);
        });
    });
});
