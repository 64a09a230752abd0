/**
 * datomic-ion-release end to end: the real command, run as a process, against the fake
 * Clojure CLI in test/fakes/clojure for each scripted ion-dev scenario.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ION_RELEASE_EXIT, IonReleaseResult } from "../../components/internal/ionDev";
import { temporaryDirectory } from "./sourceTree";

const REPO = path.resolve(__dirname, "..", "..");
const FAKE_CLOJURE = path.join(REPO, "test", "fakes", "clojure");
const CLI = path.join(REPO, "cli", "ion-release.ts");

interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
    /** What the fake recorded: each invocation and the number of polls. */
    state: { invocations: { args: string[]; request: Record<string, unknown> }[]; polls: number };
}

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workDirectory(): string {
    const dir = temporaryDirectory("ion-release");
    created.push(dir);
    return dir;
}

/** Runs the CLI in `cwd` with the fake as its Clojure CLI. */
function runCli(args: string[], scenario: Record<string, string> = {}, cwd = workDirectory()): Promise<Run> {
    const stateFile = path.join(cwd, ".fake-ion-state.json");
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            ["-r", require.resolve("ts-node/register/transpile-only"), CLI, "--clojure", FAKE_CLOJURE, ...args],
            {
                cwd,
                env: {
                    ...process.env,
                    TS_NODE_PROJECT: path.join(REPO, "tsconfig.json"),
                    FAKE_ION_STATE: stateFile,
                    ...scenario,
                },
            },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => {
            const state = fs.existsSync(stateFile)
                ? JSON.parse(fs.readFileSync(stateFile, "utf8"))
                : { invocations: [], polls: 0 };
            resolve({ code, stdout, stderr, state });
        });
    });
}

const FAST = ["--poll-interval", "0.05"];

function git(cwd: string, ...args: string[]): void {
    const result = spawnSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
        cwd,
        encoding: "utf8",
    });
    if (result.status !== 0) {
        throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
    }
}

describe("datomic-ion-release against the fake ion-dev", () => {
    test("success after N polls: pushes, deploys, polls and prints the result", async () => {
        const run = await runCli(
            ["--group", "orders-dev", "--uname", "wip-1", "--region", "us-east-1", "--creds-profile", "ops", ...FAST],
            { FAKE_ION_POLLS: "3" },
        );
        expect(run.code).toBe(ION_RELEASE_EXIT.succeeded);
        expect(run.state.polls).toBe(4);
        const [push, deploy, ...statuses] = run.state.invocations;
        // Invoked as ion-dev is: -M:ion-dev and one EDN map (the fake rejects anything else).
        expect(push.args).toEqual([
            "-M:ion-dev",
            '{:creds-profile "ops" :op :push :region "us-east-1" :uname "wip-1"}',
        ]);
        expect(deploy.request).toEqual({
            op: "deploy",
            group: "orders-dev",
            uname: "wip-1",
            region: "us-east-1",
            "creds-profile": "ops",
        });
        expect(statuses).toHaveLength(4);
        expect(statuses[0].request["execution-arn"]).toMatch(/^arn:aws:states:us-east-1:111111111111:execution:/);
        expect(run.stdout).toMatch(/^status: +SUCCEEDED\ngroup: +orders-dev\nrev: +-\nuname: +wip-1\n/);
        expect(run.stdout).toMatch(
            /execution ARN: +arn:aws:states:.*\ndeploy status: +SUCCEEDED\ncode deploy status: +SUCCEEDED\nduration: +\d+\.\ds\n$/,
        );
        const progress = run.stderr.split("\n").filter((line) => line.includes("code deploy"));
        expect(progress.map((line) => line.replace(/^\[ *[\d.]+s\] /, ""))).toEqual([
            "deploy RUNNING, code deploy RUNNING",
            "deploy RUNNING, code deploy SUCCEEDED",
            "deploy SUCCEEDED, code deploy SUCCEEDED",
        ]);
    });

    test("--json prints the result as JSON; a clean git repository pushes its revision", async () => {
        const cwd = workDirectory();
        fs.writeFileSync(path.join(cwd, "deps.edn"), "{}\n");
        git(cwd, "init", "-q");
        git(cwd, "add", ".");
        git(cwd, "commit", "-q", "-m", "ion");
        const run = await runCli(["--group", "orders-dev", "--json", ...FAST], {}, cwd);
        expect(run.code).toBe(0);
        const result = JSON.parse(run.stdout) as IonReleaseResult;
        expect(result).toMatchObject({
            status: "SUCCEEDED",
            group: "orders-dev",
            rev: "5f2c0e9a7b3d41e8a6c2f09d1b7e4a3c8d6f2b10",
            deployStatus: "SUCCEEDED",
            codeDeployStatus: "SUCCEEDED",
        });
        expect(result.executionArn).toContain(":orders-dev-5f2c0e9a7b3d41e8a6c2f09d1b7e4a3c8d6f2b10-");
        expect(run.state.invocations[0].request).toEqual({ op: "push" });
    });

    test("FAILED: exits 1 with the CodeDeploy message", async () => {
        const run = await runCli(["--group", "orders-dev", "--rev", "abc", ...FAST], { FAKE_ION_SCENARIO: "failed" });
        expect(run.code).toBe(ION_RELEASE_EXIT.deployFailed);
        expect(run.stderr).toContain(
            "datomic-ion-release: the deploy to orders-dev ended with deploy status FAILED and code deploy status FAILED:",
        );
        expect(run.stderr).toContain(
            ':code-deploy-error {:code "HEALTH_CONSTRAINTS" :message "The overall deployment failed',
        );
        expect(run.stdout).toMatch(/^status: +FAILED$/m);
        expect(run.state.invocations.map((i) => i.request.op)).toEqual([
            "deploy",
            "deploy-status",
            "deploy-status",
            "deploy-status",
        ]);
    });

    test("RUNNING until the timeout: exits 3 and prints the command that resumes watching, which works", async () => {
        const cwd = workDirectory();
        const run = await runCli(
            ["--group", "orders-dev", "--uname", "wip", "--timeout", "1.5", ...FAST],
            { FAKE_ION_SCENARIO: "running" },
            cwd,
        );
        expect(run.code).toBe(ION_RELEASE_EXIT.timedOut);
        expect(run.stderr).toContain(
            "the deploy was still running after --timeout 1.5s; it continues in AWS. Resume watching with:",
        );
        const resume = /Resume watching with:\n {2}(.*)\n/.exec(run.stderr)![1];
        const arn = run.state.invocations.at(-1)!.request["execution-arn"] as string;
        expect(resume).toBe(
            `datomic-ion-release --group orders-dev --execution-arn ${arn} --clojure ${FAKE_CLOJURE} --timeout 1.5 --poll-interval 0.05`,
        );
        expect(run.state.polls).toBeGreaterThan(2);

        // The printed command, run once the deploy has finished, watches the same execution to its end.
        const [, ...resumeArgs] = resume.split(" ");
        const resumed = await runCli(resumeArgs, { FAKE_ION_POLLS: "0" }, cwd);
        expect(resumed.code).toBe(0);
        const ops = resumed.state.invocations.map((i) => i.request.op);
        expect(ops.slice(-1)).toEqual(["deploy-status"]);
        expect(resumed.state.invocations.at(-1)!.request["execution-arn"]).toBe(arn);
    });

    test("unparsable output or an anomaly: exits 4 naming the operation and showing the output", async () => {
        const run = await runCli(["--group", "orders-dev", "--uname", "wip", ...FAST], {
            FAKE_ION_SCENARIO: "unparsable",
        });
        expect(run.code).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(run.stderr).toContain("datomic-ion-release: ion-dev :push: push printed no EDN map: Downloading:");

        const anomaly = await runCli(["--group", "orders-dev", "--uname", "wip", ...FAST], {
            FAKE_ION_SCENARIO: "anomaly",
        });
        expect(anomaly.code).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(anomaly.stderr).toContain(
            "datomic-ion-release: ion-dev :push: push failed (:cognitect.anomalies/forbidden): The security token included in the request is expired",
        );
    });

    test("non-zero exit: exits 4 with ion-dev's message", async () => {
        const run = await runCli(["--group", "orders-dev", "--uname", "wip", ...FAST], {
            FAKE_ION_SCENARIO: "nonzero",
        });
        expect(run.code).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(run.stderr).toContain(
            "datomic-ion-release: ion-dev :push failed (exit 1):\n  Execution error (ExceptionInfo) at datomic.ion.dev/push (dev.clj:142).\n  Unable to find a unique code bucket.",
        );
    });

    test("dependency conflicts: a warning by default, exit 5 before deploying with --fail-on-conflicts", async () => {
        const warned = await runCli(["--group", "orders-dev", "--uname", "wip", ...FAST], {
            FAKE_ION_SCENARIO: "conflicts",
        });
        expect(warned.code).toBe(0);
        expect(warned.stderr).toContain(
            "warning: push reported dependency conflicts (Datomic Cloud's versions are used):",
        );

        const strict = await runCli(
            ["--group", "orders-dev", "--uname", "wip", "--fail-on-conflicts", "--json", ...FAST],
            {
                FAKE_ION_SCENARIO: "conflicts",
            },
        );
        expect(strict.code).toBe(ION_RELEASE_EXIT.dependencyConflicts);
        expect(strict.stderr).toContain(
            '  com.cognitect/s3-creds {:mvn/version "0.1.23"}\n  org.clojure/core.async {:mvn/version "1.3.610"}',
        );
        expect(JSON.parse(strict.stdout)).toMatchObject({
            status: "DEPENDENCY_CONFLICTS",
            uname: "wip",
            dependencyConflicts: { "com.cognitect/s3-creds": { "mvn/version": "0.1.23" } },
        });
        expect(strict.state.invocations.map((i) => i.request.op)).toEqual(["push"]);
    });

    test("without git --uname is required; a dirty tree needs a :uname", async () => {
        const noGit = await runCli(["--group", "orders-dev", ...FAST]);
        expect(noGit.code).toBe(ION_RELEASE_EXIT.usage);
        expect(noGit.stderr).toContain("--uname is required: this directory is not in a git repository");
        expect(noGit.state.invocations).toEqual([]);

        const dirty = workDirectory();
        git(dirty, "init", "-q");
        fs.writeFileSync(path.join(dirty, "deps.edn"), "{}\n");
        const run = await runCli(["--group", "orders-dev", ...FAST], {}, dirty);
        expect(run.code).toBe(ION_RELEASE_EXIT.usage);
        expect(run.stderr).toContain("ion-dev needs a :uname to push a dirty tree");
    });

    test("the alias is configurable; bad flags exit 2; --help exits 0", async () => {
        const aliased = await runCli(["--group", "g", "--uname", "u", "--alias", ":ions", ...FAST], {
            FAKE_ION_ALIAS: "ions",
        });
        expect(aliased.code).toBe(0);
        expect(aliased.state.invocations[0].args[0]).toBe("-M:ions");

        const missingGroup = await runCli(["--uname", "u"]);
        expect(missingGroup.code).toBe(ION_RELEASE_EXIT.usage);
        expect(missingGroup.stderr).toContain("required option '--group <group>' not specified");

        const badNumber = await runCli(["--group", "g", "--uname", "u", "--timeout", "soon"]);
        expect(badNumber.code).toBe(ION_RELEASE_EXIT.usage);
        expect(badNumber.stderr).toContain("expected a positive number of seconds");

        const help = await runCli(["--help"]);
        expect(help.code).toBe(0);
        for (const flag of [
            "--group",
            "--region",
            "--uname",
            "--rev",
            "--creds-profile",
            "--alias",
            "--clojure",
            "--timeout",
            "--poll-interval",
            "--fail-on-conflicts",
            "--json",
        ]) {
            expect(help.stdout).toContain(flag);
        }
    });

    test("the creds profile can come from DATOMIC_ION_CREDS_PROFILE", async () => {
        const run = await runCli(["--group", "g", "--uname", "u", ...FAST], {
            DATOMIC_ION_CREDS_PROFILE: "ci-deployer",
        });
        expect(run.code).toBe(0);
        expect(run.state.invocations.every((i) => i.request["creds-profile"] === "ci-deployer")).toBe(true);
    });
});
