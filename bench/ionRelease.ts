/**
 * Benchmark: datomic-ion-release at its default flags against ion-dev stand-ins with realistic
 * costs, in its usual one-JVM design and in the per-operation fallback, in the same run.
 *
 *   npm run bench:release [-- --deploy-seconds 40] [--runs 2] [--java java] [--quick]
 *
 * Costs: every launch costs at least 2 s. An ion-dev launch is a real JVM running the Clojure
 * stand-in (test/fakes/ion-dev), topped up to 2 s when this machine starts a JVM faster
 * (a real `clojure -M:ion-dev` costs more: tools.deps, then ion-dev and its AWS client);
 * `clojure -Spath` is charged 2 s too, though tools.deps answers it from its cache. A
 * deploy-status call costs 50 ms (two AWS requests). The deploy ends at a wall-clock time,
 * --deploy-seconds after ion-dev's deploy call, not after a number of polls.
 *
 * Printed per design: process launches per release, and the time from the deploy's end to the
 * CLI's exit. Targets at default flags (one-JVM design): at most 3 launches, at most 2 s.
 * `--quick` (what test/bench runs): deploys end after 1 s, no launch top-up, one run each; its figures say
 * nothing about the targets. `--java` names the JVM (default plain `java`, as users run it).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ReleaseRun, runRelease } from "../test/fakes/ionDevStandIn";
import { isQuick, Log, numberOption, runAsScript, stringOption } from "./options";

interface ReleaseBenchmarkOptions {
    deploySeconds: number;
    runs: number;
    /** The least a launch costs: JVM start plus a top-up. */
    launchCostMilliseconds: number;
    /** The JVM command. */
    javaCommand: string;
}

function releaseBenchmarkOptions(argv: readonly string[]): ReleaseBenchmarkOptions {
    const quick = isQuick(argv);
    return {
        deploySeconds: numberOption(argv, "--deploy-seconds", quick ? 1 : 40),
        runs: numberOption(argv, "--runs", quick ? 1 : 2),
        launchCostMilliseconds: quick ? 0 : 2000,
        javaCommand: stringOption(argv, "--java", "java"),
    };
}
const TARGET = { launches: 3, endToExitMilliseconds: 2000 };

/** How long this machine takes to start a JVM that loads Clojure and pprint, as the stand-in does. */
function jvmStartMilliseconds(java: string): number {
    const started = Date.now();
    const run = spawnSync(java, [
        "-cp",
        "/usr/share/java/clojure.jar",
        "clojure.main",
        "-e",
        "(require 'clojure.pprint)",
    ]);
    if (run.status !== 0) {
        throw new Error(`java did not run: ${String(run.stderr)}`);
    }
    return Date.now() - started;
}

interface Sample {
    launches: number;
    endToExit: number;
    polls: number;
    total: number;
}

async function releaseOnce(
    design: "one JVM" | "per operation",
    loadMilliseconds: number,
    options: ReleaseBenchmarkOptions,
): Promise<Sample> {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ion-release-"));
    fs.writeFileSync(path.join(cwd, "deps.edn"), "{}\n");
    const started = Date.now();
    let run: ReleaseRun;
    try {
        run = await runRelease(
            ["--group", "orders-dev", "--uname", "bench", "--json"],
            {
                FAKE_ION_DEPLOY_MS: String(options.deploySeconds * 1000),
                FAKE_ION_LOAD_MS: String(loadMilliseconds),
                FAKE_ION_STATUS_MS: "50",
                FAKE_CLOJURE_SPATH_MS: String(options.launchCostMilliseconds),
                // The JVM at its defaults, as users run it (the tests tune theirs for short runs).
                JAVA_CMD: options.javaCommand,
                ...(design === "per operation" ? { FAKE_CLOJURE_SPATH: "unsupported" } : {}),
            },
            cwd,
        );
    } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
    }
    if (run.code !== 0) {
        throw new Error(`the CLI exited ${run.code}: ${run.stderr}`);
    }
    const spathLaunches = run.clojureLaunches.filter((line) => line.startsWith("-Spath")).length;
    return {
        // -Spath runs, plus every JVM that loaded ion-dev (the driver, or one per operation).
        launches: spathLaunches + run.state.launches.length,
        endToExit: run.exitedAt - run.state["ends-at"]!,
        polls: run.state.polls,
        total: run.exitedAt - started,
    };
}

/** Runs the benchmark with the options of `argv` and prints its figures through `log`. */
export async function runReleaseBenchmark(argv: readonly string[], log: Log = console.log): Promise<void> {
    const options = releaseBenchmarkOptions(argv);
    const { deploySeconds, runs, launchCostMilliseconds } = options;
    const jvm = jvmStartMilliseconds(options.javaCommand);
    const load = Math.max(0, launchCostMilliseconds - jvm);
    log(
        `JVM start on this machine ${jvm} ms; each ion-dev launch gets ${load} ms more (at least ${launchCostMilliseconds} ms a launch); ` +
            `-Spath costs ${launchCostMilliseconds} ms; deploys end ${deploySeconds} s after the deploy call; default flags; ${runs} runs each`,
    );
    const results: Record<string, Sample[]> = {};
    for (const design of ["one JVM", "per operation"] as const) {
        results[design] = [];
        for (let run = 1; run <= runs; run++) {
            const sample = await releaseOnce(design, load, options);
            results[design].push(sample);
            log(
                `${design.padEnd(13)} run ${run}: ${sample.launches} launches, ${sample.polls} polls, ` +
                    `deploy end -> exit ${sample.endToExit} ms, release ${(sample.total / 1000).toFixed(1)} s`,
            );
        }
    }
    log("");
    for (const [design, samples] of Object.entries(results)) {
        const launches = Math.max(...samples.map((s) => s.launches));
        const worst = Math.max(...samples.map((s) => s.endToExit));
        const mean = Math.round(samples.reduce((sum, s) => sum + s.endToExit, 0) / samples.length);
        const meets = launches <= TARGET.launches && worst <= TARGET.endToExitMilliseconds;
        const verdict =
            design === "one JVM"
                ? `${meets ? "meets" : "MISSES"} the targets: <= ${TARGET.launches} launches, <= ${TARGET.endToExitMilliseconds} ms`
                : "the fallback; the targets are for the one-JVM design";
        log(
            `${design.padEnd(13)}: launches per release ${launches}; deploy end -> exit mean ${mean} ms, max ${worst} ms (${verdict})`,
        );
    }
}

runAsScript(module, () => runReleaseBenchmark(process.argv.slice(2)));
