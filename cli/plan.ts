#!/usr/bin/env node
/**
 * datomic-plan: plans a Pulumi program's stack offline, under Pulumi's mock
 * runtime with the stack's config and lookups answered from a fixture file.
 * No Pulumi CLI and no cloud credentials are needed.
 */
import { Command } from "commander";
import * as fs from "fs";
import * as path from "path";
import { loadFixtureFile } from "../plan/fixtures";
import { renderPlanText, toPlan } from "../plan/render";
import { runProgram } from "../plan/runProgram";

interface PlanOptions {
    stack: string;
    dir: string;
    fixtures?: string;
    json?: string | boolean;
}

async function main(argv: string[]): Promise<number> {
    const program = new Command()
        .name("datomic-plan")
        .description(
            "Plan a Pulumi stack offline: the resource tree its program would register, from mocks and fixtures.",
        )
        .requiredOption("-s, --stack <name>", "the stack whose Pulumi.<stack>.yaml config to use")
        .option("-d, --dir <path>", "the Pulumi program directory", ".")
        .option("-f, --fixtures <file>", "lookup fixtures (default: <dir>/plan-fixtures/<stack>.yaml)")
        .option("--json [file]", "write the plan as JSON (to stdout, or to the file)")
        .showHelpAfterError();
    program.parse(argv);
    const options = program.opts<PlanOptions>();

    const programDir = path.resolve(options.dir);
    const fixtureFile = path.resolve(
        options.fixtures ?? path.join(programDir, "plan-fixtures", `${options.stack}.yaml`),
    );
    registerTypeScript(programDir);
    const run = await runProgram({
        programDir,
        stack: options.stack,
        fixtures: loadFixtureFile(fixtureFile),
        fixtureSource: path.relative(process.cwd(), fixtureFile) || fixtureFile,
    });
    if (run.errors.length > 0) {
        process.stderr.write(`datomic-plan: the program failed for stack "${options.stack}":\n`);
        for (const error of run.errors) {
            process.stderr.write(`  - ${error.message}\n`);
        }
        return 1;
    }
    const plan = toPlan(run);
    if (options.json === true) {
        process.stdout.write(JSON.stringify(plan, null, 2) + "\n");
    } else {
        if (typeof options.json === "string") {
            fs.writeFileSync(options.json, JSON.stringify(plan, null, 2) + "\n");
        }
        process.stdout.write(renderPlanText(plan));
    }
    return 0;
}

/** Pulumi TypeScript programs are loaded with ts-node, transpile-only, as the Pulumi CLI does. */
function registerTypeScript(programDir: string): void {
    const tsNode = require.resolve("ts-node", { paths: [programDir, __dirname] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(tsNode) as typeof import("ts-node")).register({
        transpileOnly: true,
        compilerOptions: { module: "commonjs" },
    });
}

main(process.argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
        process.stderr.write(`datomic-plan: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(2);
    },
);
