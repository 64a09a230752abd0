/** The release flow with scripted ion-dev answers, a virtual clock and no processes. */
import { parseEdn } from "../../components/internal/edn";
import { ION_RELEASE_EXIT } from "../../components/internal/ionDev";
import {
    GitState,
    IonDevRun,
    IonDevStartError,
    MAX_THROTTLE_DELAY_MILLISECONDS,
    release,
    ReleaseEffects,
    ReleaseOptions,
    throttleDelay,
} from "../../cli/ionRelease/release";

const ARN = "arn:aws:states:us-east-1:111111111111:execution:datomic-orders-dev:orders-dev-wip-1526506240469";

type Answer = Partial<IonDevRun> | ((request: Record<string, unknown>) => Partial<IonDevRun>);

interface World {
    effects: ReleaseEffects;
    requests: Record<string, unknown>[];
    sleeps: number[];
    lines: string[];
    clock: { now: number };
    /** How often ion-dev was started and stopped. */
    starts: number;
    closes: number;
    /** Interrupts the release with `signal` the next time it waits. */
    interrupt(signal: NodeJS.Signals): void;
}

interface WorldSettings {
    git?: GitState;
    /** Virtual milliseconds each ion-dev operation takes. */
    runMillis?: number;
    localRoots?: string[];
    /** Why ion-dev cannot start. */
    startError?: string;
}

/** Effects whose ion-dev answers come from `answers` by :op; each ion-dev run takes `runMillis` of virtual time. */
function world(answers: Record<string, Answer>, settings: WorldSettings | GitState = {}): World {
    const {
        git = "clean",
        runMillis = 100,
        localRoots = [],
        startError,
    }: WorldSettings = typeof settings === "string" ? { git: settings } : settings;
    const clock = { now: 0 };
    const requests: Record<string, unknown>[] = [];
    const sleeps: number[] = [];
    const lines: string[] = [];
    let interrupt: (signal: NodeJS.Signals) => void = () => undefined;
    const interrupted = new Promise<NodeJS.Signals>((resolve) => (interrupt = resolve));
    const w: World = {
        requests,
        sleeps,
        lines,
        clock,
        starts: 0,
        closes: 0,
        interrupt: (signal) => interrupt(signal),
        effects: {
            async startIonDev() {
                w.starts += 1;
                if (startError) {
                    throw new IonDevStartError(startError);
                }
                return {
                    async run(argument, deadline) {
                        const request = parseEdn(argument) as Record<string, unknown>;
                        requests.push(request);
                        const answer = answers[(request.op as string).slice(1)];
                        const run = typeof answer === "function" ? answer(request) : answer;
                        if (clock.now + runMillis > deadline) {
                            clock.now = deadline;
                            return { exitCode: null, stdout: "", stderr: "", timedOut: true };
                        }
                        clock.now += runMillis;
                        return { exitCode: 0, stdout: "", stderr: "", timedOut: false, ...run };
                    },
                    async close() {
                        w.closes += 1;
                    },
                };
            },
            gitState: async () => git,
            localRootDependencies: async () => localRoots,
            uniqueSuffix: () => "20261202T140000Z-ab12",
            now: () => clock.now,
            async sleep(milliseconds) {
                sleeps.push(milliseconds);
                clock.now += milliseconds;
                // A real sleep lets other events (a signal) in.
                await new Promise((resolve) => setImmediate(resolve));
            },
            progress: (line) => lines.push(line),
            interrupted,
            interruptedExitCode: (signal) => (signal === "SIGINT" ? 130 : 143),
        },
    };
    return w;
}

function options(overrides: Partial<ReleaseOptions> = {}): ReleaseOptions {
    return {
        group: "orders-dev",
        region: "us-east-1",
        credsProfileFromFlag: false,
        roleArnFromFlag: false,
        uniqueUname: false,
        alias: "ion-dev",
        clojure: "clojure",
        timeoutSeconds: 600,
        pollIntervalSeconds: 1,
        failOnConflicts: false,
        json: false,
        ...overrides,
    };
}

const pushed = (fields = ':rev "5f2c0e9"', extra = "") => ({
    stdout: `Downloading: com/datomic/ion/1.0.62/ion-1.0.62.pom\n{${fields}, :deploy-groups (orders-dev)${extra}}\n`,
});
const deployed = { stdout: `{:execution-arn ${ARN}, :status-command "..."}` };
const status = (deploy: string, codeDeploy: string, extra = "") => ({
    stdout: `{:deploy-status "${deploy}", :code-deploy-status "${codeDeploy}"${extra}}`,
});

/** deploy-status answers: one per poll, the last repeated. */
function polls(...answers: Partial<IonDevRun>[]): () => Partial<IonDevRun> {
    let poll = 0;
    return () => answers[Math.min(poll++, answers.length - 1)];
}

describe("release", () => {
    test("pushes, deploys and polls until both statuses are SUCCEEDED", async () => {
        const w = world({
            push: pushed(),
            deploy: deployed,
            "deploy-status": polls(
                status("RUNNING", "RUNNING"),
                status("RUNNING", "RUNNING"),
                status("RUNNING", "SUCCEEDED"),
                status("SUCCEEDED", "SUCCEEDED"),
            ),
        });
        const outcome = await release(options({ credsProfile: "ops" }), w.effects);
        expect(outcome).toEqual({
            exitCode: ION_RELEASE_EXIT.succeeded,
            message: undefined,
            result: {
                status: "SUCCEEDED",
                group: "orders-dev",
                rev: "5f2c0e9",
                uname: undefined,
                executionArn: ARN,
                deployStatus: "SUCCEEDED",
                codeDeployStatus: "SUCCEEDED",
                durationSeconds: 3.6,
            },
        });
        expect(w.requests).toEqual([
            { op: ":push", region: "us-east-1", "creds-profile": "ops" },
            { op: ":deploy", group: "orders-dev", rev: "5f2c0e9", region: "us-east-1", "creds-profile": "ops" },
            ...Array(4).fill({
                op: ":deploy-status",
                "execution-arn": ARN,
                region: "us-east-1",
                "creds-profile": "ops",
            }),
        ]);
        // One progress line per status change, with the elapsed time.
        expect(w.lines.filter((line) => line.includes("code deploy"))).toEqual([
            "[   0.3s] deploy RUNNING, code deploy RUNNING",
            "[   2.5s] deploy RUNNING, code deploy SUCCEEDED",
            "[   3.6s] deploy SUCCEEDED, code deploy SUCCEEDED",
        ]);
    });

    test("polls every interval without backing off, so the end is noticed within one interval", async () => {
        const w = world({
            push: pushed(),
            deploy: deployed,
            "deploy-status": polls(...Array(7).fill(status("RUNNING", "RUNNING")), status("SUCCEEDED", "SUCCEEDED")),
        });
        await release(options({ pollIntervalSeconds: 2 }), w.effects);
        expect(w.sleeps).toEqual(Array(7).fill(2000));
        expect(w.starts).toBe(1);
        expect(w.closes).toBeGreaterThanOrEqual(1);
    });

    test("throttled or busy status polls are retried with growing delays; a good poll starts over", async () => {
        const throttled = {
            exitCode: 1,
            stdout: '{:command-failed "{:op :deploy-status}", :causes ({:message "Rate exceeded", :class ExceptionInfo, :data {:cognitect.anomalies/category :cognitect.anomalies/busy, :cognitect.aws.error/code "ThrottlingException"}})}',
        };
        const busy = {
            stdout: '{:cognitect.anomalies/category :cognitect.anomalies/busy, :cognitect.anomalies/message "Too Many Requests"}',
        };
        const w = world({
            push: pushed(),
            deploy: deployed,
            "deploy-status": polls(
                throttled,
                busy,
                throttled,
                status("RUNNING", "RUNNING"),
                throttled,
                status("SUCCEEDED", "SUCCEEDED"),
            ),
        });
        const outcome = await release(options({ pollIntervalSeconds: 1 }), w.effects);
        expect(outcome.exitCode).toBe(0);
        expect(w.sleeps).toEqual([2000, 4000, 8000, 1000, 2000]);
        expect(w.lines.join("\n")).toContain(
            "deploy-status throttled (ion-dev :deploy-status failed: Rate exceeded (ExceptionInfo :cognitect.anomalies/busy)); retrying in 2s",
        );
        expect(throttleDelay(20, 1000)).toBe(MAX_THROTTLE_DELAY_MILLISECONDS);

        // Throttling that outlasts the timeout is a timeout, with the resume command.
        const endless = world({ push: pushed(), deploy: deployed, "deploy-status": throttled });
        const out = await release(options({ timeoutSeconds: 20 }), endless.effects);
        expect(out.exitCode).toBe(ION_RELEASE_EXIT.timedOut);
        expect(out.result.resumeCommand).toContain(`--execution-arn ${ARN}`);
        expect(endless.sleeps.slice(0, 3)).toEqual([2000, 4000, 8000]);
        expect(endless.clock.now).toBe(20_000);

        // Other failures are not retried.
        const denied = world({
            push: pushed(),
            deploy: deployed,
            "deploy-status": {
                exitCode: 1,
                stdout: '{:command-failed "{:op :deploy-status}", :causes ({:message "User is not authorized to perform: states:DescribeExecution", :class ExceptionInfo, :data {:cognitect.anomalies/category :cognitect.anomalies/forbidden}})}',
            },
        });
        const refused = await release(options(), denied.effects);
        expect(refused.exitCode).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(refused.message).toBe(
            "ion-dev :deploy-status failed: User is not authorized to perform: states:DescribeExecution (ExceptionInfo :cognitect.anomalies/forbidden)",
        );
    });

    test("SIGINT or SIGTERM stops ion-dev, gives the resume command and exits non-zero", async () => {
        const w = world({ push: pushed(), deploy: deployed, "deploy-status": status("RUNNING", "RUNNING") });
        const running = release(options({ json: true }), w.effects);
        while (w.sleeps.length < 3) {
            await new Promise((resolve) => setImmediate(resolve));
        }
        w.interrupt("SIGTERM");
        const outcome = await running;
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.interruptedBySigterm);
        expect(outcome.result.status).toBe("INTERRUPTED");
        const resume = `datomic-ion-release --group orders-dev --execution-arn ${ARN} --region us-east-1 --timeout 600 --poll-interval 1 --json`;
        expect(outcome.result.resumeCommand).toBe(resume);
        expect(outcome.message).toBe(
            `interrupted by SIGTERM; ion-dev was stopped. The deploy continues in AWS. Resume watching with:\n  ${resume}`,
        );
        expect(w.closes).toBeGreaterThanOrEqual(1);

        // Before a deploy started, the resume command is the release again.
        const early = world({ push: () => ({ stdout: "" }) });
        const slow = {
            ...early.effects,
            async startIonDev(deadline: number) {
                const runner = await early.effects.startIonDev(deadline);
                return { ...runner, run: () => new Promise<IonDevRun>(() => undefined) };
            },
        };
        const pending = release(options({ uname: "wip", uniqueUname: true }), slow);
        await new Promise((resolve) => setImmediate(resolve));
        early.interrupt("SIGINT");
        const stopped = await pending;
        expect(stopped.exitCode).toBe(ION_RELEASE_EXIT.interruptedBySigint);
        expect(stopped.result.resumeCommand).toBe(
            "datomic-ion-release --group orders-dev --uname wip --unique-uname --region us-east-1 --timeout 600 --poll-interval 1",
        );
        expect(stopped.message).toContain("No deploy had been started (nothing was pushed)");

        // Interrupted while ion-dev is still starting: it is stopped once it has started.
        const starting = world({});
        let finishStart: () => void = () => undefined;
        const startingEffects = {
            ...starting.effects,
            startIonDev: (deadline: number) =>
                new Promise<Awaited<ReturnType<ReleaseEffects["startIonDev"]>>>((resolve) => {
                    finishStart = () => resolve(starting.effects.startIonDev(deadline));
                }),
        };
        const whileStarting = release(options({ uname: "wip" }), startingEffects);
        await new Promise((resolve) => setImmediate(resolve));
        starting.interrupt("SIGINT");
        await new Promise((resolve) => setImmediate(resolve));
        finishStart();
        expect((await whileStarting).exitCode).toBe(130);
        expect(starting.closes).toBe(1);
    });

    test("ion-dev killed by a signal is reported with the signal's name", async () => {
        const w = world({ push: pushed(), deploy: { exitCode: null, signal: "SIGKILL", stderr: "INFO deploying\n" } });
        const outcome = await release(options(), w.effects);
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(outcome.message).toBe("ion-dev :deploy was killed by SIGKILL:\n  INFO deploying");
    });

    test("ion-dev's failure map is reported with its causes", async () => {
        const w = world({
            push: {
                exitCode: 1,
                stdout: '{:step :upload}\n{:command-failed "{:op :push}",\n :causes\n ({:message "Unable to find a unique code bucket.", :class ExceptionInfo, :data {:region "us-east-1"}}\n  {:message "Access Denied", :class S3Exception})}\n',
            },
        });
        const outcome = await release(options(), w.effects);
        expect(outcome.message).toBe(
            "ion-dev :push failed: Unable to find a unique code bucket. (ExceptionInfo); caused by Access Denied (S3Exception)",
        );
    });

    test("a unique uname gets a suffix per release; with a role, ion-dev gets no profile", async () => {
        const w = world({
            push: (request) => pushed(`:uname "${String(request.uname)}"`),
            deploy: deployed,
            "deploy-status": status("SUCCEEDED", "SUCCEEDED"),
        });
        const outcome = await release(
            options({
                uname: "wip",
                uniqueUname: true,
                credsProfile: "ops",
                roleArn: "arn:aws:iam::222222222222:role/d",
            }),
            w.effects,
        );
        expect(outcome.result.uname).toBe("wip-20261202T140000Z-ab12");
        expect(w.requests[0]).toEqual({ op: ":push", uname: "wip-20261202T140000Z-ab12", region: "us-east-1" });
    });

    test("a clean tree with :local/root dependencies needs a uname; a start error stops the release", async () => {
        const w = world({}, { localRoots: ["acme/shared"] });
        const outcome = await release(options(), w.effects);
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.usage);
        expect(outcome.message).toMatch(
            /^--uname is required: the git tree is clean, but deps.edn has :local\/root dependencies \(acme\/shared\)/,
        );
        expect(w.starts).toBe(0);
        expect(
            (await release(options({ uname: "x" }), world({}, { localRoots: ["acme/shared"] }).effects)).message,
        ).not.toMatch(/--uname is required/);

        const noAlias = world({}, { startError: "the deps.edn alias :ion-dev that runs ion-dev is not declared" });
        const failed = await release(options({ uname: "x" }), noAlias.effects);
        expect(failed.exitCode).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(failed.message).toBe("the deps.edn alias :ion-dev that runs ion-dev is not declared");
    });

    test("an unreproducible push deploys its uname", async () => {
        const w = world({
            push: pushed(':uname "wip-1"'),
            deploy: deployed,
            "deploy-status": status("SUCCEEDED", "SUCCEEDED"),
        });
        const outcome = await release(options({ uname: "wip-1", region: undefined }), w.effects);
        expect(outcome.exitCode).toBe(0);
        expect(w.requests.slice(0, 2)).toEqual([
            { op: ":push", uname: "wip-1" },
            { op: ":deploy", group: "orders-dev", uname: "wip-1" },
        ]);
        expect(outcome.result.uname).toBe("wip-1");
    });

    test("--rev deploys without pushing or asking git; --execution-arn only watches", async () => {
        const w = world({ deploy: deployed, "deploy-status": status("SUCCEEDED", "SUCCEEDED") }, "no-repository");
        expect((await release(options({ rev: "abc" }), w.effects)).exitCode).toBe(0);
        expect(w.requests.map((r) => r.op)).toEqual([":deploy", ":deploy-status"]);

        const watch = world({ "deploy-status": status("SUCCEEDED", "SUCCEEDED") }, "dirty");
        const outcome = await release(options({ executionArn: ARN }), watch.effects);
        expect(outcome.exitCode).toBe(0);
        expect(outcome.result.executionArn).toBe(ARN);
        expect(watch.requests.map((r) => r.op)).toEqual([":deploy-status"]);
    });

    test("a FAILED deploy exits non-zero with the statuses and every detail ion-dev gave", async () => {
        const w = world({
            push: pushed(),
            deploy: deployed,
            "deploy-status": polls(
                status("RUNNING", "RUNNING"),
                status("FAILED", "FAILED", ', :code-deploy-error {:code "HEALTH_CONSTRAINTS"}'),
            ),
        });
        const outcome = await release(options(), w.effects);
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.deployFailed);
        expect(outcome.result.status).toBe("FAILED");
        expect(outcome.message).toBe(
            "the deploy to orders-dev ended with deploy status FAILED and code deploy status FAILED:\n" +
                '  :code-deploy-error {:code "HEALTH_CONSTRAINTS"}\n' +
                `See the Step Functions execution ${ARN} and the deployment group's CodeDeploy deployments ` +
                "(HEALTH_CONSTRAINTS: the ion failed to start on the nodes; see the group's CloudWatch logs).",
        );
        expect(outcome.result.message).toBe(outcome.message);
    });

    test("a statuses pair other than both SUCCEEDED is a failure", async () => {
        const w = world({ push: pushed(), deploy: deployed, "deploy-status": status("SUCCEEDED", "STOPPED") });
        const outcome = await release(options(), w.effects);
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.deployFailed);
        expect(outcome.message).toContain("(ion-dev gives no reason)");
    });

    test("still RUNNING at the timeout: stops at the deadline and gives the command that resumes watching", async () => {
        const w = world({ push: pushed(), deploy: deployed, "deploy-status": status("RUNNING", "RUNNING") });
        const outcome = await release(
            options({ timeoutSeconds: 60, pollIntervalSeconds: 5, credsProfile: "ops", credsProfileFromFlag: true }),
            w.effects,
        );
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.timedOut);
        expect(outcome.result.status).toBe("TIMED_OUT");
        const resume = `datomic-ion-release --group orders-dev --execution-arn ${ARN} --region us-east-1 --creds-profile ops --timeout 60 --poll-interval 5`;
        expect(outcome.result.resumeCommand).toBe(resume);
        expect(outcome.message).toBe(
            `the deploy was still running after --timeout 60s; it continues in AWS. Resume watching with:\n  ${resume}`,
        );
        expect(w.clock.now).toBe(60_000);
        expect(outcome.result.durationSeconds).toBe(60);
    });

    test("a profile from the environment stays out of the resume command", async () => {
        const w = world({ "deploy-status": status("RUNNING", "RUNNING") });
        const outcome = await release(
            options({ executionArn: ARN, timeoutSeconds: 10, credsProfile: "ops", json: true, alias: "ions" }),
            w.effects,
        );
        expect(outcome.result.resumeCommand).toBe(
            `datomic-ion-release --group orders-dev --execution-arn ${ARN} --region us-east-1 --alias ions --timeout 10 --poll-interval 1 --json`,
        );
    });

    test("what ion-dev needs from git is explained", async () => {
        const cases: [GitState, RegExp][] = [
            ["no-repository", /^--uname is required: this directory is not in a git repository/],
            ["no-git", /^--uname is required: git is not installed/],
            ["dirty", /ion-dev needs a :uname to push a dirty tree\. Commit the changes, or pass --uname <name>/],
        ];
        for (const [git, message] of cases) {
            const w = world({}, git);
            const outcome = await release(options(), w.effects);
            expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.usage);
            expect(outcome.message).toMatch(message);
            expect(w.requests).toEqual([]);
        }
    });

    test("contradictory flags are usage errors", async () => {
        const w = world({});
        expect((await release(options({ rev: "a", uname: "b" }), w.effects)).message).toMatch(/not both/);
        expect((await release(options({ rev: "a", executionArn: ARN }), w.effects)).message).toMatch(
            /cannot be combined/,
        );
        expect((await release(options({ timeoutSeconds: 0 }), w.effects)).message).toMatch(/--timeout 0/);
        expect(w.requests).toEqual([]);
    });

    test("dependency conflicts warn, or stop before deploying with --fail-on-conflicts", async () => {
        const conflicts =
            ', :dependency-conflicts {:deps {com.cognitect/s3-creds #:mvn{:version "0.1.23"}}, :doc "overrode"}';
        const answers = {
            push: pushed(':rev "abc"', conflicts),
            deploy: deployed,
            "deploy-status": status("SUCCEEDED", "SUCCEEDED"),
        };
        const warned = world(answers);
        const ok = await release(options(), warned.effects);
        expect(ok.exitCode).toBe(0);
        expect(ok.result.dependencyConflicts).toEqual({ "com.cognitect/s3-creds": { "mvn/version": "0.1.23" } });
        expect(warned.lines.join("\n")).toContain("warning: push reported dependency conflicts");

        const strict = world(answers);
        const stopped = await release(options({ failOnConflicts: true }), strict.effects);
        expect(stopped.exitCode).toBe(ION_RELEASE_EXIT.dependencyConflicts);
        expect(stopped.result.status).toBe("DEPENDENCY_CONFLICTS");
        expect(stopped.message).toContain('com.cognitect/s3-creds {:mvn/version "0.1.23"}');
        expect(strict.requests.map((r) => r.op)).toEqual([":push"]);
    });

    test("ion-dev failures carry its stderr; unreadable output and anomalies are errors", async () => {
        const failing = world({
            push: {
                exitCode: 1,
                stderr: "Execution error (ExceptionInfo) at datomic.ion.dev/push.\nNo code bucket.\n",
            },
        });
        const failed = await release(options(), failing.effects);
        expect(failed.exitCode).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(failed.message).toBe(
            "ion-dev :push failed (exit 1):\n  Execution error (ExceptionInfo) at datomic.ion.dev/push.\n  No code bucket.",
        );

        const long = world({
            deploy: { exitCode: 2, stderr: Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n") },
        });
        expect((await release(options({ rev: "abc" }), long.effects)).message).toMatch(
            /^ion-dev :deploy failed \(exit 2\):\n {2}\.\.\. \(10 earlier lines\)\n {2}line 10\n/,
        );

        const garbled = world({ push: { stdout: '{:rev "abc", :deploy-groups (g' } });
        const unreadable = await release(options(), garbled.effects);
        expect(unreadable.exitCode).toBe(ION_RELEASE_EXIT.ionDevError);
        expect(unreadable.message).toBe('ion-dev :push: push printed no EDN map: {:rev "abc", :deploy-groups (g');

        const anomaly = world({
            push: {
                stdout: '{:cognitect.anomalies/category :cognitect.anomalies/forbidden, :cognitect.anomalies/message "expired token"}',
            },
        });
        expect((await release(options(), anomaly.effects)).message).toBe(
            "ion-dev :push: push failed (:cognitect.anomalies/forbidden): expired token",
        );

        const noArn = world({ push: pushed(), deploy: { stdout: '{:doc "nothing"}' } });
        expect((await release(options(), noArn.effects)).message).toMatch(/deploy returned no :execution-arn/);
    });

    test("running out of time during push is a timeout without a resume command", async () => {
        const w = world({ push: pushed() }, { runMillis: 5000 });
        const outcome = await release(options({ timeoutSeconds: 2 }), w.effects);
        expect(outcome.exitCode).toBe(ION_RELEASE_EXIT.timedOut);
        expect(outcome.message).toBe("ion-dev :push did not finish within --timeout 2s");
        expect(outcome.result.resumeCommand).toBeUndefined();
    });
});
