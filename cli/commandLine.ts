/**
 * The command-line parse the package's bins share: commander prints a usage problem (or the help) itself,
 * and the bin exits with its own usage status instead of commander's process.exit.
 */
import { Command, CommanderError } from "commander";

/**
 * Parses `argv` into `program`. Returns undefined when the command should run, or the status to exit with:
 * 0 after `--help` or `--version`, `usageStatus` after a usage problem.
 */
export function parseCommandLine(program: Command, argv: readonly string[], usageStatus: number): number | undefined {
    program.exitOverride();
    try {
        program.parse(argv);
        return undefined;
    } catch (e) {
        if (e instanceof CommanderError) {
            return e.exitCode === 0 ? 0 : usageStatus;
        }
        throw e;
    }
}
