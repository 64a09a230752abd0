/**
 * The API documentation builds from the TSDoc comments with typedoc.json's settings: every exported
 * symbol documented, every link resolved, warnings treated as errors.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const TYPEDOC = path.join(ROOT, "node_modules", "typedoc", "bin", "typedoc");

let work: string;
let runs = 0;

beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-datomic-docs-"));
});

afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

/** Runs typedoc with an options file that extends typedoc.json (command-line flags would not override its tsconfig). */
function typedoc(overrides: Record<string, unknown>) {
    const options = path.join(work, `typedoc-${++runs}.json`);
    fs.writeFileSync(options, JSON.stringify({ extends: [path.join(ROOT, "typedoc.json")], ...overrides }));
    const result = spawnSync(process.execPath, [TYPEDOC, "--options", options], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
    });
    const log = `${result.stdout}${result.stderr}`;
    return { status: result.status, log };
}

test("typedoc builds the API documentation of components/index.ts without a warning", () => {
    const out = path.join(work, "api");
    const { status, log } = typedoc({ out });
    expect(log).not.toContain("[warning]");
    expect(status).toBe(0);
    for (const page of [
        "classes/DatomicCloudSystem.html",
        "classes/TerraformDatomicReference.html",
        "interfaces/QueryGroupArgs.html",
    ]) {
        expect(fs.existsSync(path.join(out, page))).toBe(true);
    }
}, 120_000);

test("an exported symbol without documentation fails the build", () => {
    const project = path.join(work, "undocumented");
    fs.mkdirSync(project);
    fs.writeFileSync(
        path.join(project, "index.ts"),
        "/** Documented. */\nexport const documented = 1;\nexport const bare = 2;\n",
    );
    fs.writeFileSync(
        path.join(project, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { strict: true, types: [] }, files: ["index.ts"] }),
    );
    const { status, log } = typedoc({
        entryPoints: [path.join(project, "index.ts")],
        tsconfig: path.join(project, "tsconfig.json"),
        out: path.join(project, "api"),
    });
    expect(log).toContain("bare (Variable), defined in");
    expect(log).toContain("does not have any documentation");
    expect(status).not.toBe(0);
}, 120_000);
