/**
 * Runs `datomic-ion-release`, compiled to JavaScript as the package ships it, as a process against the
 * fake Clojure CLI (test/fakes/clojure), whose ion-dev is the Clojure stand-in
 * test/fakes/ion-dev/datomic/ion/dev.clj on a real JVM.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseEdn } from "../../components/internal/edn";
import { compiledCommand } from "../support/compiledCommand";

export const REPO = path.resolve(__dirname, "..", "..");
export const FAKE_CLOJURE = path.join(REPO, "test", "fakes", "clojure");
/** The command, compiled to JavaScript as the package ships it (see compiledCommand). */
export const CLI_SOURCE = "cli/ion-release.ts";
/** A real JVM tuned for short runs (see the script); runs use it unless their env sets JAVA_CMD. */
export const SHORT_RUN_JAVA = path.join(REPO, "test", "fakes", "short-run-java");

/** What the stand-in recorded (its EDN state file), in plain form. */
export interface StandInState {
    /** When each JVM loaded datomic.ion.dev (epoch milliseconds). */
    launches: number[];
    invocations: {
        op: string;
        args: Record<string, unknown>;
        cwd: string;
        "access-key-id"?: string | null;
        "session-token"?: string | null;
        profile?: string | null;
        command?: string;
    }[];
    polls: number;
    "deployed-at"?: number;
    "ends-at"?: number;
    "reported-at"?: number;
    "poll-times"?: number[];
}

export interface ReleaseRun {
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    state: StandInState;
    /** The fake Clojure CLI's launches (its arguments, one line each): -Spath, or -M per operation. */
    clojureLaunches: string[];
    /** When the CLI exited (epoch milliseconds). */
    exitedAt: number;
}

export function readState(file: string): StandInState {
    return fs.existsSync(file)
        ? (parseEdn(fs.readFileSync(file, "utf8")) as StandInState)
        : { launches: [], invocations: [], polls: 0 };
}

/** Runs the CLI in `cwd` with `--clojure <fake>`; `onStart` gets the process (to signal it). */
export function runRelease(
    args: string[],
    env: Record<string, string>,
    cwd: string,
    onStart?: (child: ChildProcess) => void,
): Promise<ReleaseRun> {
    const stateFile = path.join(cwd, ".stand-in-state.edn");
    const launchesFile = path.join(cwd, ".clojure-launches");
    fs.rmSync(stateFile, { force: true });
    fs.rmSync(launchesFile, { force: true });
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [compiledCommand(CLI_SOURCE), "--clojure", FAKE_CLOJURE, ...args], {
            cwd,
            env: {
                ...process.env,
                FAKE_ION_STATE: stateFile,
                FAKE_CLOJURE_LAUNCHES: launchesFile,
                JAVA_CMD: SHORT_RUN_JAVA,
                ...env,
            },
        });
        onStart?.(child);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code, signal) => {
            const exitedAt = Date.now();
            resolve({
                code,
                signal,
                stdout,
                stderr,
                state: readState(stateFile),
                clojureLaunches: fs.existsSync(launchesFile)
                    ? fs.readFileSync(launchesFile, "utf8").trim().split("\n").filter(Boolean)
                    : [],
                exitedAt,
            });
        });
    });
}
