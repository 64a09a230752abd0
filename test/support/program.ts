/** Runs a Pulumi program directory under the mocks with a fresh module registry, as `datomic-plan` does. */
import * as path from "path";
import { runDatomicPlan } from "../../plan/cli";
import { loadFixtureFile } from "../../plan/fixtures";
import type { MockAnswers } from "../../plan/recorded";
import { ProgramRun, runProgram } from "../../plan/runProgram";
import { trapRejections } from "./rejections";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "ion-service");
export const ALB_EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "alb-service");

export async function runStack(
    stack: string,
    options: {
        programDir?: string;
        preview?: boolean;
        /** Config values over the stack file's, as `datomic-plan --config` sets them. */
        config?: Record<string, string>;
        /** Outputs of resources (non-preview runs), beyond their inputs. */
        resourceOutputs?: MockAnswers["resourceOutputs"];
        /** The fixture file, if not the stack's own under plan-fixtures/. */
        fixtureFile?: string;
    } = {},
): Promise<ProgramRun> {
    const programDir = options.programDir ?? REPO_ROOT;
    const fixtureFile = options.fixtureFile ?? path.join(programDir, "plan-fixtures", `${stack}.yaml`);
    // A registry of its own gives the program, and the mocks, their own @pulumi/pulumi. Isolating (rather
    // than resetting) the registry keeps Jest's caches of file contents and transforms across runs.
    let run: ProgramRun | undefined;
    await jest.isolateModulesAsync(async () => {
        run = await runProgram({
            programDir,
            stack,
            config: options.config,
            fixtures: loadFixtureFile(fixtureFile, { optional: true }),
            fixtureSource: path.relative(REPO_ROOT, fixtureFile),
            preview: options.preview ?? true,
            resourceOutputs: options.resourceOutputs,
            requireModule: require,
            trapRejections,
            // Jest keeps the process alive, so a run that waits on a failed value is ended by quiet time alone.
            stallAfterMs: 300,
        });
    });
    return run!;
}

/** What `datomic-plan` printed and the code it exited with. */
export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * `datomic-plan` with these arguments, in this process: from the repository root as `npm run plan` runs
 * it, the program loaded through a module registry of its own, as {@link runStack} loads it.
 */
export async function datomicPlanInProcess(...args: string[]): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    let code = -1;
    const cwd = process.cwd();
    process.chdir(REPO_ROOT);
    try {
        await jest.isolateModulesAsync(async () => {
            code = await runDatomicPlan(
                args,
                { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
                // Jest keeps the process alive, so a run that waits on a failed value is ended by quiet time alone.
                { requireModule: require, trapRejections, stallAfterMs: 300 },
            );
        });
    } finally {
        process.chdir(cwd);
    }
    return { code, stdout, stderr };
}
