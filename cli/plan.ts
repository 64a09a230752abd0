#!/usr/bin/env node
/**
 * The `datomic-plan` command (plan/cli.ts): plans a Pulumi program's stack
 * offline, and writes fixtures from an environment stack's outputs.
 */
import { runDatomicPlan } from "../plan/cli";

/** Exits once stdout has been written out: pipes are asynchronous on some systems, and a plan can be large. */
function exitAfterOutput(code: number): void {
    process.stdout.write("", () => process.exit(code));
}

void runDatomicPlan(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
}).then(exitAfterOutput);
