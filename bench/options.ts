/**
 * Command-line options shared by the benchmarks. `--quick` asks for tiny sizes and one run: what the
 * tests run (test/bench), so a change that breaks a benchmark fails `npm test`. Its figures mean nothing.
 */

/** The numeric option `name` (`--runs 3`), or `fallback` when it is absent. */
export function numberOption(argv: readonly string[], name: string, fallback: number): number {
    const index = argv.indexOf(name);
    if (index < 0) {
        return fallback;
    }
    const value = Number(argv[index + 1]);
    if (!Number.isFinite(value) || value < 0) {
        throw new Error(`${name}: expected a number of 0 or more, got "${argv[index + 1] ?? ""}".`);
    }
    return value;
}

/** The string option `name` (`--java /usr/bin/java`), or `fallback` when it is absent. */
export function stringOption(argv: readonly string[], name: string, fallback: string): string {
    const index = argv.indexOf(name);
    return index < 0 ? fallback : (argv[index + 1] ?? fallback);
}

/** Whether `--quick` was given. */
export function isQuick(argv: readonly string[]): boolean {
    return argv.includes("--quick");
}

/** Where a benchmark prints its lines: the console, or a test's collector. */
export type Log = (line: string) => void;

/** Runs `benchmark` when the file is the process's entry point, and sets the exit code on failure. */
export function runAsScript(entry: NodeModule, benchmark: () => Promise<void>): void {
    if (require.main === entry) {
        benchmark().catch((error: unknown) => {
            console.error(error instanceof Error ? error.message : error);
            process.exitCode = 1;
        });
    }
}
