/**
 * Benchmark: how soon datomic-ion-release notices the end of a deploy, against the fake ion-dev
 * (test/fakes/clojure).
 *
 *   node -r ts-node/register/transpile-only bench/ionRelease.ts [--poll-interval S] [--runs R]
 *
 * Two figures per run:
 * - report lag: from the fake printing SUCCEEDED to the CLI process exiting;
 * - detection lag: from the moment the deploy became SUCCEEDED (the fake flips it a set time after
 *   the deploy, at a different phase of the polling each run) to the CLI exiting, which includes
 *   waiting for the next poll, so it is bounded by the interval in effect (which backs off up to
 *   4 poll intervals while nothing changes). The aim is less than one poll interval for the report lag.
 * Each fake poll is a Node process start (~50 ms); a real ion-dev poll is a JVM start (seconds).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(name);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const POLL_INTERVAL = option("--poll-interval", 1);
const RUNS = option("--runs", 6);
const REPO = path.resolve(__dirname, "..");

interface Sample {
    reportLag: number;
    detectionLag: number;
    polls: number;
    /** The time between the last two polls: the interval in effect when the deploy ended. */
    lastGap: number;
}

function runOnce(succeedAfterMs: number): Promise<Sample> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ion-release-"));
    const stateFile = path.join(dir, "state.json");
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            [
                "-r",
                require.resolve("ts-node/register/transpile-only"),
                path.join(REPO, "cli", "ion-release.ts"),
                "--group",
                "orders-dev",
                "--uname",
                "bench",
                "--clojure",
                path.join(REPO, "test", "fakes", "clojure"),
                "--poll-interval",
                String(POLL_INTERVAL),
                "--json",
            ],
            {
                cwd: dir,
                stdio: ["ignore", "ignore", "ignore"],
                env: {
                    ...process.env,
                    TS_NODE_PROJECT: path.join(REPO, "tsconfig.json"),
                    FAKE_ION_STATE: stateFile,
                    FAKE_ION_SUCCEED_AFTER_MS: String(succeedAfterMs),
                },
            },
        );
        child.on("error", reject);
        child.on("exit", (code) => {
            const exitedAt = Date.now();
            const state = JSON.parse(fs.readFileSync(stateFile, "utf8"));
            fs.rmSync(dir, { recursive: true, force: true });
            if (code !== 0) {
                reject(new Error(`the CLI exited ${code}`));
                return;
            }
            resolve({
                reportLag: exitedAt - state.reportedAt,
                detectionLag: exitedAt - state.succeededAt,
                polls: state.polls,
                lastGap: state.pollTimes.at(-1) - state.pollTimes.at(-2),
            });
        });
    });
}

async function main(): Promise<void> {
    const interval = POLL_INTERVAL * 1000;
    const samples: Sample[] = [];
    console.log(`poll interval ${interval} ms, ${RUNS} runs`);
    for (let run = 0; run < RUNS; run++) {
        // Deploys of a few intervals, ending at a different point between two polls each time.
        const succeedAfterMs = Math.round(interval * (2 + run / RUNS));
        const sample = await runOnce(succeedAfterMs);
        samples.push(sample);
        console.log(
            `run ${run + 1}: deploy took ${succeedAfterMs} ms; ${sample.polls} polls, the last ${sample.lastGap} ms apart; ` +
                `report lag ${sample.reportLag} ms; detection lag ${sample.detectionLag} ms`,
        );
    }
    const summary = (key: keyof Sample) => {
        const values = samples.map((sample) => sample[key]);
        return `mean ${Math.round(values.reduce((a, b) => a + b, 0) / values.length)} ms, max ${Math.max(...values)} ms`;
    };
    console.log(`report lag (fake prints SUCCEEDED -> CLI exits):    ${summary("reportLag")}`);
    console.log(`detection lag (deploy SUCCEEDED -> CLI exits):      ${summary("detectionLag")}`);
    const worst = Math.max(...samples.map((sample) => sample.detectionLag / sample.lastGap));
    console.log(
        `report lag / poll interval: ${(Math.max(...samples.map((s) => s.reportLag)) / interval).toFixed(3)} at worst`,
    );
    console.log(
        `detection lag / interval in effect (which backs off from ${interval} ms): ${worst.toFixed(2)} at worst`,
    );
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
