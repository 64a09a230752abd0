/**
 * Benchmark: datomic-ion-release at its default flags against ion-dev stand-ins with realistic
 * costs, in its usual one-JVM design and in the per-operation fallback, in the same run.
 *
 *   node -r ts-node/register/transpile-only bench/ionRelease.ts [--deploy-seconds 40] [--runs 2]
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
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ReleaseRun, runRelease } from "../test/fakes/ionDevStandIn";

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(name);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const DEPLOY_SECONDS = option("--deploy-seconds", 40);
const RUNS = option("--runs", 2);
const LAUNCH_COST_MILLISECONDS = 2000;
const TARGET = { launches: 3, endToExitMilliseconds: 2000 };

/** How long this machine takes to start a JVM that loads Clojure and pprint, as the stand-in does. */
function jvmStartMilliseconds(): number {
    const started = Date.now();
    const run = spawnSync("java", [
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

async function releaseOnce(design: "one JVM" | "per operation", loadMilliseconds: number): Promise<Sample> {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ion-release-"));
    fs.writeFileSync(path.join(cwd, "deps.edn"), "{}\n");
    const started = Date.now();
    let run: ReleaseRun;
    try {
        run = await runRelease(
            ["--group", "orders-dev", "--uname", "bench", "--json"],
            {
                FAKE_ION_DEPLOY_MS: String(DEPLOY_SECONDS * 1000),
                FAKE_ION_LOAD_MS: String(loadMilliseconds),
                FAKE_ION_STATUS_MS: "50",
                FAKE_CLOJURE_SPATH_MS: String(LAUNCH_COST_MILLISECONDS),
                // The JVM at its defaults, as users run it (the tests tune theirs for short runs).
                JAVA_CMD: "java",
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

async function main(): Promise<void> {
    const jvm = jvmStartMilliseconds();
    const load = Math.max(0, LAUNCH_COST_MILLISECONDS - jvm);
    console.log(
        `JVM start on this machine ${jvm} ms; each ion-dev launch gets ${load} ms more (at least ${LAUNCH_COST_MILLISECONDS} ms a launch); ` +
            `-Spath costs ${LAUNCH_COST_MILLISECONDS} ms; deploys end ${DEPLOY_SECONDS} s after the deploy call; default flags; ${RUNS} runs each`,
    );
    const results: Record<string, Sample[]> = {};
    for (const design of ["one JVM", "per operation"] as const) {
        results[design] = [];
        for (let run = 1; run <= RUNS; run++) {
            const sample = await releaseOnce(design, load);
            results[design].push(sample);
            console.log(
                `${design.padEnd(13)} run ${run}: ${sample.launches} launches, ${sample.polls} polls, ` +
                    `deploy end -> exit ${sample.endToExit} ms, release ${(sample.total / 1000).toFixed(1)} s`,
            );
        }
    }
    console.log("");
    for (const [design, samples] of Object.entries(results)) {
        const launches = Math.max(...samples.map((s) => s.launches));
        const worst = Math.max(...samples.map((s) => s.endToExit));
        const mean = Math.round(samples.reduce((sum, s) => sum + s.endToExit, 0) / samples.length);
        const meets = launches <= TARGET.launches && worst <= TARGET.endToExitMilliseconds;
        const verdict =
            design === "one JVM"
                ? `${meets ? "meets" : "MISSES"} the targets: <= ${TARGET.launches} launches, <= ${TARGET.endToExitMilliseconds} ms`
                : "the fallback; the targets are for the one-JVM design";
        console.log(
            `${design.padEnd(13)}: launches per release ${launches}; deploy end -> exit mean ${mean} ms, max ${worst} ms (${verdict})`,
        );
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
