/**
 * Benchmark: hashIonSources over a generated ion project of 10,000 files / 200 MiB, beside
 * `find | sort | xargs sha256sum | sha256sum` over the same tree in the same run.
 *
 *   node -r ts-node/register/transpile-only bench/hashIonSources.ts [--files N] [--mib M] [--runs R] [--keep]
 *
 * The tree is written under the system's temporary directory and removed afterwards (unless --keep).
 * Both are measured warm (after one untimed pass each), R times; the median is printed.
 */
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { hashIonSources } from "../components/internal/ionSources";

function option(name: string, fallback: number): number {
    const index = process.argv.indexOf(name);
    return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const FILES = option("--files", 10_000);
const MIB = option("--mib", 200);
const RUNS = option("--runs", 3);
const KEEP = process.argv.includes("--keep");

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

function generate(root: string): number {
    const sizes = fileSizes(FILES, MIB * 1024 * 1024);
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

async function main(): Promise<void> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-ion-sources-"));
    try {
        const started = performance.now();
        const bytes = generate(root);
        const mb = bytes / (1024 * 1024);
        console.log(
            `tree: ${FILES} files, ${mb.toFixed(1)} MiB, generated in ${((performance.now() - started) / 1000).toFixed(1)}s`,
        );

        const pipeline = "find . -type f | sort | xargs sha256sum | sha256sum";
        const runPipeline = () => execFileSync("sh", ["-c", pipeline], { cwd: root, encoding: "utf8" }).split(" ")[0];
        await hashIonSources(root);
        runPipeline();

        const ours: number[] = [];
        const theirs: number[] = [];
        let result = await hashIonSources(root);
        for (let run = 0; run < RUNS; run++) {
            let t = performance.now();
            result = await hashIonSources(root);
            ours.push((performance.now() - t) / 1000);
            t = performance.now();
            runPipeline();
            theirs.push((performance.now() - t) / 1000);
        }
        const oursSeconds = median(ours);
        const theirSeconds = median(theirs);
        console.log(
            `hashIonSources:      ${oursSeconds.toFixed(3)}s  ${(mb / oursSeconds).toFixed(0)} MiB/s  (${result.files.length} files, ${result.hash.slice(0, 16)}...)`,
        );
        console.log(`${pipeline}:  ${theirSeconds.toFixed(3)}s  ${(mb / theirSeconds).toFixed(0)} MiB/s`);
        console.log(
            `ratio (pipeline time / hashIonSources time): ${(theirSeconds / oursSeconds).toFixed(2)}  (>= 1 means no slower)`,
        );
        console.log(
            `runs: hashIonSources ${ours.map((s) => s.toFixed(3)).join(", ")}; pipeline ${theirs.map((s) => s.toFixed(3)).join(", ")}`,
        );
    } finally {
        if (KEEP) {
            console.log(`kept the tree in ${root}`);
        } else {
            fs.rmSync(root, { recursive: true, force: true });
        }
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
