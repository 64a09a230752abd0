/**
 * Every benchmark in bench/ runs to the end in its quick mode (tiny sizes, one run) and prints its table,
 * so a change that breaks a benchmark fails `npm test`. The figures of a quick run mean nothing; only
 * their presence and shape are checked. The full benchmarks are run by hand (`npm run bench:*`).
 */
import { runHashBenchmark } from "../../bench/hashIonSources";
import { runReleaseBenchmark } from "../../bench/ionRelease";
import { runPlanBenchmark } from "../../bench/plan";
import { SHORT_RUN_JAVA } from "../fakes/ionDevStandIn";
import { requireTools } from "../support/tools";

async function printed(
    benchmark: (argv: string[], log: (line: string) => void) => Promise<void>,
    ...options: string[]
): Promise<string> {
    const lines: string[] = [];
    await benchmark(["--quick", ...options], (line) => lines.push(line));
    return lines.join("\n");
}

const SECONDS = String.raw`\d+\.\d\d s`;

test("bench:plan prints a row per case, the growth per service and the ratio to the empty program", async () => {
    const text = await printed(runPlanBenchmark);
    const row = (label: string) =>
        new RegExp(`^${label}\\s+(\\d+)\\s+${SECONDS}\\s+${SECONDS}\\s+${SECONDS}\\s+\\d+\\.\\d\\d$`, "m");
    expect(text).toMatch(row(String.raw`empty program \(imports @pulumi/aws\)`));
    expect(text).toMatch(row("dev environment stack"));
    const one = Number(row("1 service").exec(text)?.[1]);
    const two = Number(row("2 services").exec(text)?.[1]);
    // Every service adds the same resources: a query group, its ions, a client endpoint and a peering.
    expect(two - one).toBeGreaterThan(0);
    expect(two - one).toBeLessThanOrEqual(one);
    expect(text).toMatch(row(String.raw`2 services, npm run plan \(from source\)`));
    expect(text).toMatch(/^per service: -?\d+ ms from 1 to 2/m);
    expect(text).toMatch(/^2 services \/ empty program: \d+\.\d\d .*-> (met|missed)$/m);
}, 180_000);

test("bench:hash prints hashIonSources beside the shell pipeline over the same tree", async () => {
    const text = await printed(runHashBenchmark);
    // 50 generated files and deps.edn.
    expect(text).toMatch(/^tree: 50 files, 1\.0 MiB/m);
    expect(text).toMatch(/^hashIonSources: +\d+\.\d{3}s +\d+ MiB\/s +\(51 files, [0-9a-f]{16}\.\.\.\)$/m);
    expect(text).toMatch(/^find \. -type f \| sort \| xargs sha256sum \| sha256sum: +\d+\.\d{3}s/m);
    expect(text).toMatch(/^ratio \(pipeline time \/ hashIonSources time\): \d+\.\d\d/m);
});

test("bench:release prints both designs of datomic-ion-release, new beside old", async () => {
    requireTools("java");
    // The JVM tuned for short runs that the ion release tests use.
    const text = await printed(runReleaseBenchmark, "--java", SHORT_RUN_JAVA);
    expect(text).toMatch(/^one JVM +run 1: \d+ launches, \d+ polls, deploy end -> exit \d+ ms/m);
    expect(text).toMatch(/^per operation run 1: \d+ launches, \d+ polls, deploy end -> exit \d+ ms/m);
    expect(text).toMatch(
        /^one JVM +: launches per release \d+; deploy end -> exit mean \d+ ms, max \d+ ms \((meets|MISSES) the targets/m,
    );
    expect(text).toMatch(/^per operation: launches per release \d+;.*\(the fallback;/m);
}, 180_000);
