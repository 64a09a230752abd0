/**
 * Benchmark: hashIonSources over a generated ion project of 10,000 files / 200 MiB, beside
 * `find | sort | xargs sha256sum | sha256sum` over the same tree in the same run.
 *
 *   npm run bench:hash [-- --files N] [--mib M] [--runs R] [--keep] [--quick]
 *
 * The tree is written under the system's temporary directory and removed afterwards (unless --keep).
 * Both are measured warm (after one untimed pass each), R times; the median is printed. `--quick` (what
 * test/bench runs): 50 files, 1 MiB, one run.
 */
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { hashIonSources } from "../components/internal/ionSources";
import { isQuick, Log, numberOption, runAsScript } from "./options";

interface HashBenchmarkOptions {
    files: number;
    mib: number;
    runs: number;
    keep: boolean;
}

function hashBenchmarkOptions(argv: readonly string[]): HashBenchmarkOptions {
    const quick = isQuick(argv);
    return {
        files: numberOption(argv, "--files", quick ? 50 : 10_000),
        mib: numberOption(argv, "--mib", quick ? 1 : 200),
        runs: numberOption(argv, "--runs", quick ? 1 : 3),
        keep: argv.includes("--keep"),
    };
}

/** File sizes with a long tail (most sources are small, some resources are large), summing to `total`. */
function fileSizes(count: number, total: number): number[] {
    let state = 12345;
    const weights = Array.from({ length: count }, () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        const uniform = (state + 1) / 2 ** 32;
        return Math.exp(3 * uniform);
    });
    const sum = weights.reduce((a, b) => a + b, 0);
    const sizes = weights.map((weight) => Math.max(1, Math.floor((weight / sum) * total)));
    sizes[0] += total - sizes.reduce((a, b) => a + b, 0);
    return sizes;
}

function generate(root: string, files: number, mib: number): number {
    const sizes = fileSizes(files, mib * 1024 * 1024);
    fs.writeFileSync(path.join(root, "deps.edn"), '{:paths ["src" "resources"]}\n');
    const pool = randomBytes(4 * 1024 * 1024);
    let bytes = 0;
    sizes.forEach((size, index) => {
        const dir = path.join(root, index % 10 === 0 ? "resources" : "src", `ns${index % 50}`, `sub${index % 7}`);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `file${index}.clj`);
        const handle = fs.openSync(file, "w");
        for (let written = 0; written < size;) {
            const chunk = Math.min(size - written, pool.length);
            const offset = (index * 7919) % (pool.length - chunk + 1);
            fs.writeSync(handle, pool, offset, chunk);
            written += chunk;
        }
        fs.closeSync(handle);
        bytes += size;
    });
    return bytes + fs.statSync(path.join(root, "deps.edn")).size;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the benchmark with the options of `argv` and prints its figures through `log`. */
export async function runHashBenchmark(argv: readonly string[], log: Log = console.log): Promise<void> {
    const { files, mib, runs, keep } = hashBenchmarkOptions(argv);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ion-sources-"));
    try {
        const started = performance.now();
        const bytes = generate(root, files, mib);
        const mb = bytes / (1024 * 1024);
        log(
            `tree: ${files} files, ${mb.toFixed(1)} MiB, generated in ${((performance.now() - started) / 1000).toFixed(1)}s`,
        );

        const pipeline = "find . -type f | sort | xargs sha256sum | sha256sum";
        const runPipeline = () => execFileSync("sh", ["-c", pipeline], { cwd: root, encoding: "utf8" }).split(" ")[0];
        await hashIonSources(root);
        runPipeline();

        const ours: number[] = [];
        const theirs: number[] = [];
        let result = await hashIonSources(root);
        for (let run = 0; run < runs; run++) {
            let t = performance.now();
            result = await hashIonSources(root);
            ours.push((performance.now() - t) / 1000);
            t = performance.now();
            runPipeline();
            theirs.push((performance.now() - t) / 1000);
        }
        const oursSeconds = median(ours);
        const theirSeconds = median(theirs);
        log(
            `hashIonSources:      ${oursSeconds.toFixed(3)}s  ${(mb / oursSeconds).toFixed(0)} MiB/s  (${result.files.length} files, ${result.hash.slice(0, 16)}...)`,
        );
        log(`${pipeline}:  ${theirSeconds.toFixed(3)}s  ${(mb / theirSeconds).toFixed(0)} MiB/s`);
        log(
            `ratio (pipeline time / hashIonSources time): ${(theirSeconds / oursSeconds).toFixed(2)}  (>= 1 means no slower)`,
        );
        log(
            `runs: hashIonSources ${ours.map((s) => s.toFixed(3)).join(", ")}; pipeline ${theirs.map((s) => s.toFixed(3)).join(", ")}`,
        );
    } finally {
        if (keep) {
            log(`kept the tree in ${root}`);
        } else {
            fs.rmSync(root, { recursive: true, force: true });
        }
    }
}

runAsScript(module, () => runHashBenchmark(process.argv.slice(2)));
