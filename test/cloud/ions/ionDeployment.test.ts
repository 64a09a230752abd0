import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { IonDeployment, IonDeploymentArgs } from "../../../components/cloud/ions/ionDeployment";
import { RecordedResource, Secret } from "../../../plan/recorded";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";
import { CLI_SOURCE, readState, SHORT_RUN_JAVA } from "../../fakes/ionDevStandIn";
import { compiledCommand } from "../../support/compiledCommand";
import { sampleIonProject, shuffled, temporaryDirectory, writeTree } from "../../ions/sourceTree";

const recorder = installMocks();

const COMMAND = "command:local:Command";
const REPO = path.resolve(__dirname, "..", "..", "..");
const STACK_ID = "arn:aws:cloudformation:us-east-1:111111111111:stack/orders/1b2c3d4e-0000-1111-2222-333344445555";

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A checkout: the Pulumi program in `<root>/infra` and the ion project in `<root>/ion`. */
function checkout(seed = 1): { root: string; program: string; ion: string } {
    const root = temporaryDirectory("ion-checkout");
    created.push(root);
    const program = path.join(root, "infra");
    const ion = path.join(root, "ion");
    fs.mkdirSync(program, { recursive: true });
    const files = sampleIonProject();
    writeTree(ion, files, shuffled(files.length, seed), (index) => 1_600_000_000 + index * seed);
    return { root, program, ion };
}

/** Runs `body` with the program's directory as the working directory, as Pulumi does. */
async function inProgram<T>(program: string, body: () => Promise<T>): Promise<T> {
    const previous = process.cwd();
    process.chdir(program);
    try {
        return await body();
    } finally {
        process.chdir(previous);
    }
}

const baseArgs: IonDeploymentArgs = {
    projectDir: "../ion",
    group: "orders",
    groupStackId: STACK_ID,
    region: "us-east-1",
    releaseCommand: "datomic-ion-release",
};

/** Builds a deployment and returns its recorded command, after registration settles. */
async function deploy(name: string, args: Partial<IonDeploymentArgs>, program: string): Promise<RecordedResource> {
    return inProgram(program, async () => {
        const deployment = new IonDeployment(name, { ...baseArgs, ...args });
        await valueOf(deployment.sourceHash);
        await recorder.settle();
        return recorder.get(COMMAND, `${name}-release`);
    });
}

/** What decides whether the command runs again: its inputs other than the (secret-free) bookkeeping. */
function decisive(command: RecordedResource) {
    const { create, dir, environment, triggers } = command.inputs;
    return { create, dir, environment, triggers };
}

describe("IonDeployment", () => {
    test("registers a release command run in the ion project, triggered by the source hash and the stack id", async () => {
        resetWorld(recorder);
        const { program } = checkout();
        const command = await deploy("orders-ions", { credsProfile: "ops" }, program);
        expect(command.parent).toMatch(/datomic:cloud:IonDeployment::orders-ions$/);
        expect(command.inputs).toEqual({
            create: "datomic-ion-release --group orders --region us-east-1 --timeout 1740 --poll-interval 1 --json",
            update: `printf '%s' "$PULUMI_COMMAND_STDOUT"`,
            dir: "../ion",
            environment: { DATOMIC_ION_CREDS_PROFILE: "ops" },
            triggers: [expect.stringMatching(/^[0-9a-f]{64}$/), STACK_ID, "orders", "us-east-1", "", "", ""],
            addPreviousOutputInEnv: true,
        });
        // @pulumi/command's SDK adds this itself: a changed trigger replaces the command.
        expect(command.replaceOnChanges).toEqual(["triggers[*]"]);
        expect(command.customTimeouts).toEqual({ create: "30m", update: "30m", delete: "30m" });
    });

    test("the same sources on two machines give identical triggers, command, dir and environment", async () => {
        resetWorld(recorder);
        const laptop = checkout(1);
        const runner = checkout(7);
        const args = { credsProfile: "ops", environment: { AWS_ROLE_ARN: "arn:aws:iam::111111111111:role/deployer" } };
        const onLaptop = decisive(await deploy("laptop", args, laptop.program));
        const onRunner = decisive(await deploy("runner", args, runner.program));
        expect(onRunner).toEqual(onLaptop);
        // Running the same program again changes nothing either.
        expect(decisive(await deploy("again", args, laptop.program))).toEqual(onLaptop);
    });

    test("a changed source file or stack id changes the triggers; ignored files and mtimes do not", async () => {
        resetWorld(recorder);
        const { program, ion } = checkout();
        const before = (await deploy("before", {}, program)).inputs.triggers as string[];

        fs.writeFileSync(path.join(ion, "src/acme/orders.clj~"), "another backup");
        fs.writeFileSync(path.join(ion, "README.md"), "# edited");
        fs.utimesSync(path.join(ion, "src/acme/orders.clj"), 1, 1);
        expect((await deploy("unchanged", {}, program)).inputs.triggers).toEqual(before);

        fs.appendFileSync(path.join(ion, "src/acme/orders.clj"), "(def version 2)\n");
        const edited = (await deploy("edited", {}, program)).inputs.triggers as string[];
        expect(edited[0]).not.toBe(before[0]);
        expect(edited.slice(1)).toEqual(before.slice(1));

        const replaced = (await deploy("replaced", { groupStackId: `${STACK_ID}-new` }, program)).inputs
            .triggers as string[];
        expect(replaced).toEqual([edited[0], `${STACK_ID}-new`, ...edited.slice(2)]);
    });

    test("credentials go through the environment, as secrets; no secret or absolute path reaches the command", async () => {
        resetWorld(recorder);
        const { root, program } = checkout();
        const command = await deploy(
            "creds",
            {
                projectDir: path.join(root, "ion"), // an absolute projectDir is made relative
                uname: "wip 'quoted'",
                credsProfile: "ops-profile",
                clojure: "clj",
                ionDevAlias: "ions",
                failOnConflicts: true,
                environment: {
                    AWS_ROLE_ARN: "arn:aws:iam::111111111111:role/deployer",
                    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    AWS_SESSION_TOKEN: "FwoGZXIvYXdzEXAMPLE",
                },
            },
            program,
        );
        const create = command.inputs.create as string;
        expect(create).toBe(
            "datomic-ion-release --group orders --region us-east-1 --uname 'wip '\\''quoted'\\''' --unique-uname --alias ions --clojure clj --timeout 1740 --poll-interval 1 --fail-on-conflicts --json",
        );
        expect(command.inputs.dir).toBe("../ion");
        for (const secret of ["wJalrXUtnFEMI", "FwoGZXIvYXdz", "ops-profile", "deployer"]) {
            expect(create).not.toContain(secret);
        }
        expect(create).not.toContain(root);
        expect(create).not.toContain(REPO);
        // A secret value makes the whole environment secret in the state.
        expect(command.inputs.environment).toEqual(
            new Secret({
                AWS_ROLE_ARN: "arn:aws:iam::111111111111:role/deployer",
                AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                AWS_SESSION_TOKEN: "FwoGZXIvYXdzEXAMPLE",
                DATOMIC_ION_CREDS_PROFILE: "ops-profile",
            }),
        );
    });

    test("the default release command runs this package's CLI with node by a relative path", async () => {
        resetWorld(recorder);
        const { program, ion } = checkout();
        const command = await deploy("default", { releaseCommand: undefined }, program);
        const create = command.inputs.create as string;
        const script = /^node (\S+) --group orders /.exec(create)![1];
        expect(path.isAbsolute(script)).toBe(false);
        expect(path.resolve(ion, script)).toBe(path.join(REPO, "cli", "ion-release.js"));
    });

    test("outputs come from the command's JSON result; timeouts are configurable", async () => {
        const result = {
            status: "SUCCEEDED",
            group: "orders",
            rev: "5f2c0e9a7b3d41e8a6c2f09d1b7e4a3c8d6f2b10",
            executionArn: "arn:aws:states:us-east-1:111111111111:execution:datomic-orders:orders-5f2c0e9-1",
            deployStatus: "SUCCEEDED",
            codeDeployStatus: "SUCCEEDED",
            durationSeconds: 73.4,
        };
        resetWorld(recorder, { outputs: { [COMMAND]: { "out-release": { stdout: JSON.stringify(result) } } } });
        const { program } = checkout();
        const values = await inProgram(program, async () => {
            const deployment = new IonDeployment("out", { ...baseArgs, timeoutMinutes: 45, pollIntervalSeconds: 10 });
            return valueOf(
                pulumi.output({
                    rev: deployment.rev,
                    uname: deployment.uname,
                    executionArn: deployment.executionArn,
                    status: deployment.status,
                    sourceHash: deployment.sourceHash,
                }),
            );
        });
        await recorder.settle();
        const command = recorder.get(COMMAND, "out-release");
        expect(values).toEqual({
            rev: result.rev,
            uname: undefined,
            executionArn: result.executionArn,
            status: "SUCCEEDED",
            sourceHash: (command.inputs.triggers as string[])[0],
        });
        expect(command.customTimeouts).toEqual({ create: "45m", update: "45m", delete: "45m" });
        expect(command.inputs.create).toContain("--timeout 2640 --poll-interval 10 ");
    });

    test("an empty group, or a project without deps.edn, fails saying so", async () => {
        resetWorld(recorder);
        const { program } = checkout();
        const noGroup = await captureRejections(async () => {
            await inProgram(program, async () => {
                new IonDeployment("nogroup", { ...baseArgs, group: pulumi.output<string | undefined>(undefined) });
                await recorder.settle();
            });
        });
        expect(noGroup.map((e) => e.message).join("\n")).toContain(
            "group: is empty; pass the compute group's name, which is its stack name",
        );
        expect(recorder.ofType(COMMAND)).toEqual([]);

        const empty = temporaryDirectory("ion-empty");
        created.push(empty);
        const noDeps = await captureRejections(async () => {
            const deployment = new IonDeployment("nodeps", { ...baseArgs, projectDir: empty });
            await valueOf(deployment.sourceHash);
        });
        expect(noDeps.map((e) => e.message).join("\n")).toMatch(
            /projectDir: cannot hash the ion sources: .*deps\.edn does not exist/,
        );
        expect(() => new IonDeployment("t", { ...baseArgs, timeoutMinutes: 2.5 })).toThrow(
            "timeoutMinutes: 2.5 is not a positive whole number of minutes",
        );
        expect(() => new IonDeployment("p", { ...baseArgs, pollIntervalSeconds: 0 })).toThrow(
            "pollIntervalSeconds: 0 is not a positive number of seconds",
        );
    });

    test("the registered command, run by a shell as the command provider would, releases through the fake ion-dev", async () => {
        resetWorld(recorder);
        const { program, ion } = checkout();
        // The command compiled to JavaScript, as the package ships it, by a path relative to the ion project.
        const cli = path.relative(ion, compiledCommand(CLI_SOURCE)).split(path.sep).join("/");
        const command = await deploy(
            "shell",
            {
                releaseCommand: `node ${cli}`,
                uname: "wip-1",
                credsProfile: "ops",
                pollIntervalSeconds: 0.2,
            },
            program,
        );
        const stateFile = path.join(program, "stand-in-state.edn");
        const run = spawnSync("/bin/sh", ["-c", command.inputs.create as string], {
            cwd: path.resolve(program, command.inputs.dir as string),
            encoding: "utf8",
            env: {
                ...process.env,
                ...(command.inputs.environment as Record<string, string>),
                PATH: `${path.join(REPO, "test", "fakes")}${path.delimiter}${process.env.PATH}`,
                NODE_PATH: path.join(REPO, "node_modules"),
                FAKE_ION_STATE: stateFile,
                JAVA_CMD: SHORT_RUN_JAVA,
            },
        });
        expect(run.stderr).toContain("deploy SUCCEEDED, code deploy SUCCEEDED");
        expect(run.status).toBe(0);
        const result = JSON.parse(run.stdout);
        expect(result).toMatchObject({ status: "SUCCEEDED", group: "orders" });
        // Each release pushes a name of its own.
        expect(result.uname).toMatch(/^wip-1-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
        const state = readState(stateFile);
        expect(state.invocations[0]).toMatchObject({
            op: ":push",
            args: { uname: result.uname, region: "us-east-1", "creds-profile": "ops" },
            cwd: fs.realpathSync(ion),
        });
    });
});

/**
 * What the engine does with an existing `local.Command` given the inputs of the next run, as
 * @pulumi/command documents it: a changed input runs `update`, or `create` when there is no
 * `update` ("If an `update` command isn't provided, then `create` will also be run when the
 * resource's inputs are modified"); a changed property named in `replaceOnChanges` (the SDK sets
 * `triggers[*]`) replaces the resource, which runs `create`.
 */
function plannedStep(previous: RecordedResource, next: RecordedResource): { step: string; runs?: string } {
    const keys = new Set([...Object.keys(previous.inputs), ...Object.keys(next.inputs)]);
    const changed = [...keys].filter(
        (key) => JSON.stringify(previous.inputs[key]) !== JSON.stringify(next.inputs[key]),
    );
    if (changed.length === 0) {
        return { step: "same" };
    }
    const replacing = next.replaceOnChanges.map((property) => property.replace(/\[\*\]$/, ""));
    if (changed.some((key) => replacing.includes(key))) {
        return { step: "replace", runs: next.inputs.create as string };
    }
    return { step: "update", runs: (next.inputs.update ?? next.inputs.create) as string };
}

describe("IonDeployment as an update of an existing release", () => {
    const RESULT = JSON.stringify({
        status: "SUCCEEDED",
        group: "orders",
        uname: "wip-20261202T140000Z-ab12",
        executionArn: "arn:aws:states:us-east-1:111111111111:execution:datomic-orders:orders-wip-1",
        deployStatus: "SUCCEEDED",
        codeDeployStatus: "SUCCEEDED",
        durationSeconds: 61.2,
    });

    /** One program run: the command's stdout in the state is `stdout` (what the last create or update printed). */
    async function programRun(args: Partial<IonDeploymentArgs>, program: string, stdout: string) {
        resetWorld(recorder, { outputs: { [COMMAND]: { "orders-ions-release": { stdout } } } });
        return inProgram(program, async () => {
            const deployment = new IonDeployment("orders-ions", { ...baseArgs, uname: "wip", ...args });
            const outputs = await valueOf(pulumi.output({ uname: deployment.uname, arn: deployment.executionArn }));
            await recorder.settle();
            return { command: recorder.get(COMMAND, "orders-ions-release"), outputs };
        });
    }

    test("tuning, the profile and where the CLI is installed do not release again; the decisive inputs do", async () => {
        const { program, ion } = checkout();
        const first = await programRun(
            { releaseCommand: "node ../infra/node_modules/pulumi-datomic/dist/cli/ion-release.js" },
            program,
            RESULT,
        );

        // Second run: other tuning, another profile, the CLI installed by pnpm.
        const tuned = await programRun(
            {
                releaseCommand:
                    "node ../infra/node_modules/.pnpm/pulumi-datomic@0.2.0/node_modules/pulumi-datomic/dist/cli/ion-release.js",
                pollIntervalSeconds: 10,
                timeoutMinutes: 45,
                failOnConflicts: true,
                credsProfile: "other-laptop",
            },
            program,
            RESULT,
        );
        const step = plannedStep(first.command, tuned.command);
        expect(step).toEqual({ step: "update", runs: `printf '%s' "$PULUMI_COMMAND_STDOUT"` });
        // The update, run as the provider runs it, prints the previous result: no release, same outputs.
        const update = spawnSync("/bin/sh", ["-c", step.runs!], {
            env: { PATH: process.env.PATH, PULUMI_COMMAND_STDOUT: RESULT },
            encoding: "utf8",
        });
        expect(update.stdout).toBe(RESULT);
        const after = await programRun({}, program, update.stdout);
        expect(after.outputs).toEqual(first.outputs);
        expect(first.outputs.arn).toBe(JSON.parse(RESULT).executionArn);

        // Each decisive input replaces the command, which runs the release.
        const decisive: Partial<IonDeploymentArgs>[] = [
            { groupStackId: `${STACK_ID}-2` },
            { group: "orders-2" },
            { region: "eu-west-1" },
            { roleArn: "arn:aws:iam::222222222222:role/deployer" },
            { uname: "wip-2" },
        ];
        for (const change of decisive) {
            const next = await programRun(change, program, RESULT);
            const planned = plannedStep(first.command, next.command);
            expect({ change, step: planned.step }).toEqual({ change, step: "replace" });
            expect(planned.runs).toMatch(/^datomic-ion-release --group /);
        }
        fs.appendFileSync(path.join(ion, "src/acme/orders.clj"), "(def version 3)\n");
        const edited = await programRun({}, program, RESULT);
        expect(plannedStep(first.command, edited.command)).toEqual({
            step: "replace",
            runs: edited.command.inputs.create,
        });
    });

    test("the role goes into the environment and the triggers; groupStackId is required", async () => {
        const { program } = checkout();
        const role = "arn:aws:iam::222222222222:role/orders-datomic-deployer";
        const { command } = await programRun({ roleArn: role }, program, RESULT);
        expect(command.inputs.environment).toEqual({ DATOMIC_ION_ROLE_ARN: role });
        expect(command.inputs.triggers).toContain(role);
        expect(command.inputs.create).not.toContain(role);

        expect(
            () =>
                new IonDeployment("nostack", {
                    ...baseArgs,
                    groupStackId: undefined as unknown as string,
                }),
        ).toThrow("groupStackId: is required: the group stack's id (QueryGroup.stackId)");
    });
});

describe("IonDeployment in a preview", () => {
    beforeAll(() => recorder.install(pulumi, { project: "datomic", stack: "test", preview: true }));
    afterAll(() => recorder.install(pulumi, { project: "datomic", stack: "test", preview: false }));

    test("an ion-config :app-name other than the group's applicationName fails the preview", async () => {
        resetWorld(recorder);
        const { program } = checkout();
        const errors = await captureRejections(async () => {
            await inProgram(program, async () => {
                const mismatch = new IonDeployment("mismatch", {
                    ...baseArgs,
                    // Unknown in a preview: the group stack is being created.
                    groupStackId: pulumi.output(pulumi.unknown as unknown as string),
                    applicationName: "billing",
                });
                await valueOf(mismatch.sourceHash);
            });
        });
        expect(errors.map((e) => e.message).join("\n")).toContain(
            "applicationName: the group's application is billing, but resources/datomic/ion-config.edn has :app-name orders; " +
                "ion-dev deploys to the application ion-config.edn names, so they must be equal",
        );
        expect(recorder.ofType(COMMAND)).toEqual([]);

        resetWorld(recorder);
        await inProgram(program, async () => {
            const matching = new IonDeployment("matching", { ...baseArgs, applicationName: "orders" });
            await valueOf(matching.sourceHash);
            await recorder.settle();
        });
        expect(recorder.get(COMMAND, "matching-release").inputs.create).toMatch(/^datomic-ion-release /);
    });
});
