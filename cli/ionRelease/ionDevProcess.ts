/**
 * Running ion-dev. The usual way is one JVM for the whole release: the classpath of the user's
 * ion-dev alias is resolved once (`clojure -Spath -M:<alias>`, which tools.deps caches in
 * .cpcache), then `java -cp <classpath> clojure.main driver.clj` calls datomic.ion.dev's push,
 * deploy and deploy-status functions for each request and answers one event a line (see
 * driver.clj). When the classpath cannot be resolved, each operation runs as its own
 * `clojure -M:<alias> '<edn>'` process, as ion-dev's documentation shows, and stderr says so.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseEdn } from "../../components/internal/edn";
import { IonDevRun, IonDevRunner, IonDevStartError } from "./release";

/** How ion-dev is started. */
export interface IonDevSettings {
    alias: string;
    clojure: string;
    /** The environment of every ion-dev process (credentials of an assumed role included). */
    env: NodeJS.ProcessEnv;
    /** Milliseconds on the clock deadlines are given in. */
    now(): number;
    /** Says on stderr that the slower per-operation path is used, and why. */
    notice(line: string): void;
}

/** Grace period between asking ion-dev to stop and killing it. */
const KILL_GRACE_MILLISECONDS = 5000;
/** Kept of a process's stderr, for failure messages. */
const STDERR_KEPT_CHARACTERS = 64 * 1024;
/** What tools.deps says about an alias no deps.edn declares. */
const UNDECLARED_ALIAS = /Specified aliases are undeclared[^\n]*/;

/** Where the driver is: beside this file in the sources, or under cli/ in the package. */
export function driverPath(): string {
    const candidates = [
        path.join(__dirname, "driver.clj"),
        path.resolve(__dirname, "..", "..", "..", "cli", "ionRelease", "driver.clj"),
    ];
    return candidates.find((candidate) => fs.existsSync(candidate)) ?? candidates[0];
}

/** Starts ion-dev for a release: the driver when the classpath resolves, else one process per operation. */
export async function startIonDev(settings: IonDevSettings, deadline: number): Promise<IonDevRunner> {
    const resolved = await runProcess(settings.clojure, ["-Spath", `-M:${settings.alias}`], settings, deadline);
    if (resolved.startError) {
        throw new IonDevStartError(
            `could not run ${settings.clojure}: ${resolved.startError}. Install the Clojure CLI, or pass --clojure <path>.`,
        );
    }
    const undeclared = UNDECLARED_ALIAS.exec(resolved.stderr);
    if (undeclared) {
        throw new IonDevStartError(missingAlias(settings.alias, undeclared[0]));
    }
    const classpath = resolved.stdout.trim().split(/\r?\n/).at(-1) ?? "";
    if (resolved.exitCode !== 0 || resolved.timedOut || classpath === "") {
        settings.notice(
            `could not resolve the classpath of :${settings.alias} with \`${settings.clojure} -Spath -M:${settings.alias}\`` +
                `${resolved.exitCode !== 0 ? ` (exit ${resolved.exitCode})` : ""}; running one ion-dev process per operation, ` +
                "which pays a JVM start for every status poll",
        );
        return perOperationRunner(settings);
    }
    return startDriver(settings, classpath, deadline);
}

function missingAlias(alias: string, warning: string): string {
    return (
        `the deps.edn alias :${alias} that runs ion-dev is not declared (tools.deps: "${warning.trim()}"). ` +
        `It is usually defined in ~/.clojure/deps.edn (or the project's deps.edn): ` +
        `:${alias} {:deps {com.datomic/ion-dev {:mvn/version "1.0.352"}} :main-opts ["-m" "datomic.ion.dev"]}, ` +
        `with the datomic-cloud Maven repository (s3://datomic-releases-1fc2183a/maven/releases). Or pass --alias.`
    );
}

/** The JVM command: $JAVA_CMD, then $JAVA_HOME/bin/java, then java on the PATH, as the Clojure CLI chooses. */
function javaCommand(env: NodeJS.ProcessEnv): string {
    return env.JAVA_CMD || (env.JAVA_HOME ? path.join(env.JAVA_HOME, "bin", "java") : "java");
}

interface Pending {
    resolve(run: IonDevRun): void;
    timer: NodeJS.Timeout;
}

/** Starts the driver and waits until datomic.ion.dev is loaded. */
function startDriver(settings: IonDevSettings, classpath: string, deadline: number): Promise<IonDevRunner> {
    const child = spawn(javaCommand(settings.env), ["-cp", classpath, "clojure.main", driverPath()], {
        env: settings.env,
        stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    let buffered = "";
    let pending: Pending | undefined;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let timedOut = false;
    const exit = new Promise<void>((resolve) => child.on("close", () => resolve()));

    const runner: IonDevRunner = {
        run,
        async close() {
            if (!exited) {
                child.stdin!.end();
                kill(child);
            }
            await exit;
        },
    };

    return new Promise<IonDevRunner>((resolveStart, rejectStart) => {
        let started = false;
        const startTimer = setTimeout(() => stop(child), Math.max(0, deadline - settings.now()));
        const onEvent = (event: Record<string, unknown>) => {
            if (!started) {
                started = true;
                clearTimeout(startTimer);
                if (event.event === ":ready") {
                    resolveStart(runner);
                } else {
                    rejectStart(
                        new IonDevStartError(
                            `the classpath of :${settings.alias} does not load datomic.ion.dev (${String(event.message)}); ` +
                                `is com.datomic/ion-dev in the alias's :deps?`,
                        ),
                    );
                }
                return;
            }
            const answer = pending;
            pending = undefined;
            if (answer) {
                clearTimeout(answer.timer);
                answer.resolve({
                    exitCode: event.event === ":result" ? 0 : 1,
                    stdout: String(event.printed ?? ""),
                    stderr,
                    timedOut: false,
                });
            }
        };
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
            buffered += chunk;
            let newline: number;
            while ((newline = buffered.indexOf("\n")) >= 0) {
                const line = buffered.slice(0, newline).trim();
                buffered = buffered.slice(newline + 1);
                if (line) {
                    onEvent(parseEdn(line) as Record<string, unknown>);
                }
            }
        });
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
            stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARACTERS);
        });
        child.stdin.on("error", () => undefined); // the driver died; its exit is reported
        child.on("error", (error: NodeJS.ErrnoException) => {
            started = true;
            rejectStart(
                new IonDevStartError(
                    `could not run ${javaCommand(settings.env)}: ${error.code === "ENOENT" ? "command not found" : error.message}. ` +
                        "Install Java, or set JAVA_HOME or JAVA_CMD.",
                ),
            );
        });
        child.on("close", (code, signal) => {
            exited = { code, signal };
            clearTimeout(startTimer);
            if (!started) {
                started = true;
                rejectStart(
                    new IonDevStartError(
                        timedOut
                            ? "ion-dev did not start before --timeout"
                            : `the ion-dev driver exited before it was ready (${signal ? `killed by ${signal}` : `exit ${code}`}):\n${stderr.trim()}`,
                    ),
                );
            }
            const answer = pending;
            pending = undefined;
            if (answer) {
                clearTimeout(answer.timer);
                answer.resolve({ exitCode: code, signal: signal ?? undefined, stdout: "", stderr, timedOut });
            }
        });
    });

    function stop(process: ChildProcess): void {
        timedOut = true;
        kill(process);
    }

    function run(argument: string, runDeadline: number): Promise<IonDevRun> {
        if (exited) {
            return Promise.resolve({
                exitCode: exited.code,
                signal: exited.signal ?? undefined,
                stdout: "",
                stderr,
                timedOut,
            });
        }
        stderr = "";
        return new Promise<IonDevRun>((resolve) => {
            const timer = setTimeout(() => stop(child), Math.max(0, runDeadline - settings.now()));
            pending = { resolve, timer };
            // EDN printed by toEdn is one line: strings escape their newlines.
            child.stdin!.write(`${argument.replace(/\n/g, " ")}\n`);
        });
    }
}

/** Asks a process to stop, and kills it if it has not after a grace period. */
function kill(child: ChildProcess): void {
    if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MILLISECONDS).unref();
    }
}

/** One `clojure -M:<alias> '<edn>'` process per operation: the fallback. */
function perOperationRunner(settings: IonDevSettings): IonDevRunner {
    let current: ChildProcess | undefined;
    return {
        async run(argument, deadline) {
            const run = await runProcess(
                settings.clojure,
                [`-M:${settings.alias}`, argument],
                settings,
                deadline,
                (child) => {
                    current = child;
                },
            );
            current = undefined;
            if (run.startError) {
                throw new IonDevStartError(`could not run ${settings.clojure}: ${run.startError}`);
            }
            const undeclared = UNDECLARED_ALIAS.exec(run.stderr);
            if (undeclared) {
                throw new IonDevStartError(missingAlias(settings.alias, undeclared[0]));
            }
            return run;
        },
        async close() {
            if (current) {
                const child = current;
                const exit = new Promise((resolve) => child.on("close", resolve));
                kill(child);
                await exit;
            }
        },
    };
}

interface ProcessRun extends IonDevRun {
    startError?: string;
}

/** Runs a command without a shell (the EDN map is one argument, whatever it contains). */
function runProcess(
    command: string,
    args: string[],
    settings: IonDevSettings,
    deadline: number,
    onStart?: (child: ChildProcess) => void,
): Promise<ProcessRun> {
    return new Promise((resolve) => {
        const child = spawn(command, args, { env: settings.env, stdio: ["ignore", "pipe", "pipe"] });
        onStart?.(child);
        let stdout = "";
        let stderr = "";
        let timedOut = false;
        let settled = false;
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
            stderr = (stderr + chunk).slice(-STDERR_KEPT_CHARACTERS);
        });
        const timer = setTimeout(
            () => {
                timedOut = true;
                kill(child);
            },
            Math.max(0, deadline - settings.now()),
        );
        const settle = (run: ProcessRun) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                resolve(run);
            }
        };
        child.on("error", (error: NodeJS.ErrnoException) =>
            settle({
                exitCode: null,
                stdout,
                stderr,
                timedOut: false,
                startError: error.code === "ENOENT" ? "command not found" : error.message,
            }),
        );
        child.on("close", (code, signal) =>
            settle({ exitCode: code, signal: timedOut ? undefined : (signal ?? undefined), stdout, stderr, timedOut }),
        );
    });
}
