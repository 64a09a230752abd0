/**
 * datomic-ion-release end to end: the real command, run as a process, against a fake Clojure CLI
 * whose ion-dev is a Clojure stand-in for datomic.ion.dev on a real JVM (test/fakes). The stand-in
 * prints as ion-dev does: logs on stderr, other forms before the pretty-printed result,
 * :execution-arn as a symbol, namespaced maps, and ion-dev's failure map.
 *
 * A JVM start costs seconds here, so each release below starts as few as it needs and the
 * releases run concurrently.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ION_RELEASE_EXIT, IonReleaseResult } from "../../components/internal/ionDev";
import { FAKE_CLOJURE, runRelease } from "../fakes/ionDevStandIn";
import { temporaryDirectory } from "./sourceTree";

jest.setTimeout(120_000);

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workDirectory(deps = "{}\n"): string {
    const dir = temporaryDirectory("ion-release");
    created.push(dir);
    fs.writeFileSync(path.join(dir, "deps.edn"), deps);
    return dir;
}

function git(cwd: string, ...args: string[]): void {
    const result = spawnSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
        cwd,
        encoding: "utf8",
    });
    if (result.status !== 0) {
        throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
    }
}

function committed(deps?: string): string {
    const cwd = workDirectory(deps);
    git(cwd, "init", "-q");
    git(cwd, "add", ".");
    git(cwd, "commit", "-q", "-m", "ion");
    return cwd;
}

const release = (args: string[], env: Record<string, string> = {}, cwd = workDirectory()) =>
    runRelease(["--group", "orders-dev", ...args], env, cwd);

const progressOf = (stderr: string) =>
    stderr
        .split("\n")
        .filter((line) => line.startsWith("["))
        .map((line) => line.replace(/^\[ *[\d.]+s\] /, ""));

describe("datomic-ion-release with one ion-dev JVM", () => {
    test.concurrent(
        "pushes, deploys and polls in one JVM; reads pprinted results, symbols and namespaced maps",
        async () => {
            const run = await release(
                ["--uname", "wip-1", "--region", "us-east-1", "--creds-profile", "ops", "--poll-interval", "0.2"],
                { FAKE_ION_SCENARIO: "conflicts", FAKE_ION_DEPLOY_MS: "600" },
            );
            expect(run.stderr).not.toContain("one ion-dev process per operation");
            expect(run.code).toBe(ION_RELEASE_EXIT.succeeded);
            // One -Spath, then one JVM for everything.
            expect(run.clojureLaunches).toEqual(["-Spath -M:ion-dev"]);
            expect(run.state.launches).toHaveLength(1);
            const [push, deploy, ...statuses] = run.state.invocations;
            expect(push).toMatchObject({
                op: ":push",
                args: { uname: "wip-1", region: "us-east-1", "creds-profile": "ops" },
            });
            expect(deploy).toMatchObject({ op: ":deploy", args: { group: "orders-dev", uname: "wip-1" } });
            expect(statuses.length).toBeGreaterThanOrEqual(1);
            expect(statuses[0].args["execution-arn"]).toMatch(/^arn:aws:states:us-east-1:111111111111:execution:/);
            expect(run.stdout).toMatch(/^status: +SUCCEEDED\ngroup: +orders-dev\nrev: +-\nuname: +wip-1\n/);
            expect(run.stdout).toMatch(/execution ARN: +arn:aws:states:.*:orders-dev-wip-1-\d+\n/);
            const progress = progressOf(run.stderr);
            expect(run.stderr).toContain(
                'warning: push reported dependency conflicts (Datomic Cloud\'s versions are used):\n  com.cognitect/s3-creds {:mvn/version "0.1.23"}\n  org.clojure/core.async {:mvn/version "1.3.610"}',
            );
            expect(progress.filter((line) => line.includes("code deploy"))).toEqual([
                "deploy RUNNING, code deploy RUNNING",
                "deploy SUCCEEDED, code deploy SUCCEEDED",
            ]);
            // What ion-dev printed to stdout (progress forms) went to stderr, not into the result.
            expect(run.stdout).not.toContain(":step");
        },
    );

    test.concurrent("a FAILED deploy: exits 1 and says that ion-dev gives no reason", async () => {
        const run = await release(["--rev", "abc", "--json", "--poll-interval", "0.2"], {
            FAKE_ION_SCENARIO: "failed",
        });
        expect(run.code).toBe(ION_RELEASE_EXIT.deployFailed);
        expect(run.stderr).toContain(
            "datomic-ion-release: the deploy to orders-dev ended with deploy status FAILED and code deploy status FAILED (ion-dev gives no reason)",
        );
        expect(JSON.parse(run.stdout)).toMatchObject({ status: "FAILED", rev: "abc", deployStatus: "FAILED" });
        expect(run.state.invocations.map((i) => i.op)[0]).toBe(":deploy");
    });

    test.concurrent("ion-dev's failure map is reported with its cause", async () => {
        const run = await release(["--uname", "wip"], { FAKE_ION_SCENARIO: "command-failed" });
        expect(run.code).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(run.stderr).toContain(
            "datomic-ion-release: ion-dev :push failed: Unable to find a unique code bucket. Make sure that you are running Datomic Cloud in the region you are deploying to. (ExceptionInfo :cognitect.anomalies/not-found)",
        );
    });

    test.concurrent("an ion-dev JVM killed by a signal is reported with the signal's name", async () => {
        const run = await release(["--uname", "wip"], { FAKE_ION_SCENARIO: "killed" });
        expect(run.code).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(run.stderr).toContain("datomic-ion-release: ion-dev :deploy was killed by SIGKILL");
    });

    test.concurrent("throttled status polls are retried and the deploy succeeds", async () => {
        const run = await release(["--uname", "wip", "--poll-interval", "0.1"], { FAKE_ION_SCENARIO: "throttled" });
        expect(run.code).toBe(ION_RELEASE_EXIT.succeeded);
        expect(run.stderr).toContain("deploy-status throttled (ion-dev :deploy-status failed: Rate exceeded");
        expect(run.state.polls).toBeGreaterThanOrEqual(3);
        expect(run.state.launches).toHaveLength(1);
    });

    test.concurrent.each(["throttled", "throttled-uncaught"])(
        "per-operation fallback: %s status polls are retried and a good release succeeds",
        async (scenario) => {
            const run = await release(["--uname", "wip", "--poll-interval", "0.1"], {
                FAKE_ION_SCENARIO: scenario,
                FAKE_CLOJURE_SPATH: "unsupported",
            });
            expect(run.stderr).toMatch(
                scenario === "throttled"
                    ? "deploy-status throttled (ion-dev :deploy-status failed: Rate exceeded"
                    : /deploy-status throttled \(ion-dev :deploy-status failed \(exit 1\): .*Execution error \(ExceptionInfo\).* Rate exceeded/,
            );
            expect(run.code).toBe(ION_RELEASE_EXIT.succeeded);
            expect(run.state.polls).toBeGreaterThanOrEqual(3);
        },
    );

    test.concurrent("SIGTERM stops the JVM, prints the resume command in the JSON result and exits 143", async () => {
        const cwd = workDirectory();
        const stateFile = path.join(cwd, ".stand-in-state.edn");
        const run = await runRelease(
            ["--group", "orders-dev", "--uname", "wip", "--json", "--poll-interval", "0.2"],
            { FAKE_ION_DEPLOY_MS: "600000" },
            cwd,
            (child) => {
                // Interrupt once the deploy is being watched.
                const timer = setInterval(() => {
                    if (fs.existsSync(stateFile) && fs.readFileSync(stateFile, "utf8").includes(":poll-times")) {
                        clearInterval(timer);
                        child.kill("SIGTERM");
                    }
                }, 100);
                child.on("close", () => clearInterval(timer));
            },
        );
        expect(run.code).toBe(ION_RELEASE_EXIT.interruptedBySigterm);
        const result = JSON.parse(run.stdout) as IonReleaseResult;
        expect(result.status).toBe("INTERRUPTED");
        expect(result.resumeCommand).toBe(
            `datomic-ion-release --group orders-dev --execution-arn ${result.executionArn} --clojure ${FAKE_CLOJURE} --timeout 1800 --poll-interval 0.2 --json`,
        );
        expect(run.stderr).toContain("interrupted by SIGTERM; ion-dev was stopped. The deploy continues in AWS.");
        // The JVM is gone: no poll comes after the CLI exited.
        const polls = run.state.polls;
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(readPolls(stateFile)).toBe(polls);
    });

    test.concurrent("without tools.deps, each operation runs in its own JVM, and stderr says so", async () => {
        const run = await release(["--uname", "wip", "--json", "--poll-interval", "0.1"], {
            FAKE_CLOJURE_SPATH: "unsupported",
            FAKE_ION_DEPLOY_MS: "0",
        });
        expect(run.stderr).toContain(
            "datomic-ion-release: could not resolve the classpath of :ion-dev with `" +
                `${FAKE_CLOJURE} -Spath -M:ion-dev\` (exit 1); running one ion-dev process per operation`,
        );
        expect(run.code).toBe(ION_RELEASE_EXIT.succeeded);
        expect(run.clojureLaunches[0]).toBe("-Spath -M:ion-dev");
        expect(run.clojureLaunches.slice(1).map((line) => line.split(" ")[0])).toEqual([
            "-M:ion-dev",
            "-M:ion-dev",
            "-M:ion-dev",
        ]);
        expect(run.state.launches).toHaveLength(3);
        // The per-operation output (pprint, a symbol ARN) reads the same as the driver's.
        expect(JSON.parse(run.stdout)).toMatchObject({
            status: "SUCCEEDED",
            uname: "wip",
            executionArn: expect.stringMatching(/^arn:aws:states:.*:orders-dev-wip-\d+$/),
        });
    });
});

function readPolls(stateFile: string): number {
    return Number(/:polls (\d+)/.exec(fs.readFileSync(stateFile, "utf8"))?.[1]);
}

describe("datomic-ion-release before ion-dev starts", () => {
    test.concurrent("an undeclared ion-dev alias is reported as such, naming where it is usually defined", async () => {
        const run = await release(["--uname", "wip"], { FAKE_ION_ALIAS: "ions" });
        expect(run.code).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(run.stderr).toContain(
            'datomic-ion-release: the deps.edn alias :ion-dev that runs ion-dev is not declared (tools.deps: "Specified aliases are undeclared and are not being used: [:ion-dev]"). It is usually defined in ~/.clojure/deps.edn',
        );
        expect(run.state.launches).toEqual([]);
    });

    test.concurrent(
        "a clean tree with :local/root dependencies needs a uname; so do no git and a dirty tree",
        async () => {
            const localRoot = committed('{:deps {acme/shared {:local/root "../shared"}}}\n');
            const dirty = committed();
            fs.writeFileSync(path.join(dirty, "deps.edn"), '{:paths ["src"]}\n');
            const [run, noGit, dirtyRun] = await Promise.all([
                release([], {}, localRoot),
                release([]),
                release([], {}, dirty),
            ]);
            expect(run.code).toBe(ION_RELEASE_EXIT.usage);
            expect(run.stderr).toContain(
                "--uname is required: the git tree is clean, but deps.edn has :local/root dependencies (acme/shared)",
            );

            expect(noGit.code).toBe(ION_RELEASE_EXIT.usage);
            expect(noGit.stderr).toContain("--uname is required: this directory is not in a git repository");

            expect(dirtyRun.code).toBe(ION_RELEASE_EXIT.usage);
            expect(dirtyRun.stderr).toContain("ion-dev needs a :uname to push a dirty tree");
            expect([run, noGit, dirtyRun].flatMap((r) => r.clojureLaunches)).toEqual([]);
        },
    );

    test.concurrent("bad flags exit 2; --help exits 0 and lists the flags", async () => {
        const [badNumber, help] = await Promise.all([
            release(["--uname", "u", "--timeout", "soon"]),
            release(["--help"]),
        ]);
        expect(badNumber.code).toBe(ION_RELEASE_EXIT.usage);
        expect(badNumber.stderr).toContain("expected a positive number of seconds");

        expect(help.code).toBe(0);
        for (const flag of [
            "--uname",
            "--unique-uname",
            "--role-arn",
            "--creds-profile",
            "--alias",
            "--poll-interval",
        ]) {
            expect(help.stdout).toContain(flag);
        }
    });
});
