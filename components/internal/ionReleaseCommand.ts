/**
 * The command lines `IonDeployment` gives `@pulumi/command`, and the reading of what the release
 * printed. No Pulumi imports: the pieces are plain strings and data.
 *
 * `@pulumi/command` runs `create` again on any input change unless an `update` is given
 * (`local.Command` docs), and its SDK registers every command with `replaceOnChanges: ["triggers[*]"]`
 * (`@pulumi/command/local/command.js`), so a changed trigger replaces the command, which runs
 * `create`. The release's `update` only re-prints the previous result (`PULUMI_COMMAND_STDOUT`).
 * So a release runs exactly when a trigger changes: the source hash, the group stack, the group,
 * the region, the role, the rev or uname. Tuning flags and where the CLI is installed are inputs
 * too, but changing them only runs `update`.
 */
import * as fs from "fs";
import * as path from "path";
import { parseEdn } from "./edn";
import { IonReleaseResult, shellWord } from "./ionDev";

/** The `update` command: print the previous result again, so the outputs stay and nothing is released. */
export const KEEP_PREVIOUS_RESULT = `printf '%s' "$PULUMI_COMMAND_STDOUT"`;

/** The flags of `datomic-ion-release` that IonDeployment sets. */
export interface ReleaseFlags {
    group: string;
    region?: string;
    uname?: string;
    rev?: string;
    alias?: string;
    clojure?: string;
    timeoutSeconds: number;
    pollIntervalSeconds: number;
    failOnConflicts?: boolean;
}

/** The `create` command: the release, printing its result as JSON. An unreproducible name is made unique. */
export function releaseCommandLine(releaseCommand: string, flags: ReleaseFlags): string {
    return [
        releaseCommand,
        ...flag("--group", flags.group),
        ...flag("--region", flags.region),
        ...flag("--uname", flags.uname),
        // Ion rollbacks need a name used once per application (DATOMIC-FACTS.md, "ion-dev as it really behaves").
        ...(flags.uname ? ["--unique-uname"] : []),
        ...flag("--rev", flags.rev),
        ...flag("--alias", flags.alias),
        ...flag("--clojure", flags.clojure),
        ...flag("--timeout", String(flags.timeoutSeconds)),
        ...flag("--poll-interval", String(flags.pollIntervalSeconds)),
        ...(flags.failOnConflicts ? ["--fail-on-conflicts"] : []),
        "--json",
    ].join(" ");
}

function flag(name: string, value: string | undefined): string[] {
    return value === undefined || value === "" ? [] : [name, shellWord(value)];
}

/** The command's `dir`: the project relative to the program's directory, with `/` separators. */
export function commandDir(projectDir: string, programDir: string): string {
    return path.relative(programDir, projectDir).split(path.sep).join("/") || ".";
}

/** `node <this package's CLI>`, by a path relative to the project. */
export function defaultReleaseCommand(projectDir: string, cli: string): string {
    return `node ${shellWord(path.relative(projectDir, cli).split(path.sep).join("/"))}`;
}

/** The `--json` result the release printed (none under mocks, which run nothing). */
export function parseReleaseResult(stdout: string | undefined): IonReleaseResult | undefined {
    if (stdout === undefined || stdout === "") {
        return undefined;
    }
    try {
        return JSON.parse(stdout) as IonReleaseResult;
    } catch {
        throw new Error(`datomic-ion-release printed no JSON result: ${stdout.slice(0, 500)}`);
    }
}

/** The `:app-name` of an ion-config.edn file, or undefined when it has none. */
export function ionConfigAppName(file: string): string | undefined {
    const config = parseEdn(fs.readFileSync(file, "utf8")) as Record<string, unknown> | null;
    const appName = config && typeof config === "object" ? config["app-name"] : undefined;
    return appName === undefined || appName === null ? undefined : String(appName);
}
