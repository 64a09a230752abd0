/**
 * The mistakes a new user makes in a service program, planned offline: each
 * must come out as its own message, naming where it was found, and never as
 * the Pulumi runtime's "N promises were still active". The program is a copy
 * of examples/ion-service with one mistake made in it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderFailure } from "../../plan/report";
import { EXAMPLE_DIR, REPO_ROOT, runStack } from "../support/program";

let programDir: string;

beforeAll(() => {
    programDir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-mistakes-"));
    fs.cpSync(EXAMPLE_DIR, programDir, { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(programDir, "node_modules"));
});

afterAll(() => fs.rmSync(programDir, { recursive: true, force: true }));

/** A stack `name` of the copy: dev's settings and fixtures, each edited by `edit`. */
function stackWith(name: string, edit: { config?: (text: string) => string; fixtures?: (text: string) => string }) {
    const read = (file: string) => fs.readFileSync(path.join(programDir, file), "utf8");
    fs.writeFileSync(path.join(programDir, `Pulumi.${name}.yaml`), (edit.config ?? String)(read("Pulumi.dev.yaml")));
    fs.writeFileSync(
        path.join(programDir, "plan-fixtures", `${name}.yaml`),
        (edit.fixtures ?? String)(read("plan-fixtures/dev.yaml")),
    );
    return name;
}

/** The fixture file as messages name it (relative to the repository, where runStack runs from). */
function fixtureFile(stack: string): string {
    return path.relative(REPO_ROOT, path.join(programDir, "plan-fixtures", `${stack}.yaml`));
}

async function failureOf(stack: string): Promise<string> {
    const run = await runStack(stack, { programDir });
    expect(run.errors.length).toBeGreaterThan(0);
    const report = renderFailure(run);
    expect(report).not.toMatch(/promises? (was|were) still active/);
    return report;
}

test("a wrong stack reference names the stack and the stacks the fixtures have", async () => {
    const stack = stackWith("typo", { config: (text) => text.replace("acme/datomic/dev", "acme/datomic/dve") });
    const report = await failureOf(stack);
    expect(report).toBe(
        `datomic-plan: stack "typo" makes lookups that no fixture answers:\n` +
            `  - No fixture answers stack reference acme/datomic/dve called with {"name":"acme/datomic/dve"}; ` +
            `add the stack's outputs under "stackReferences" in ${fixtureFile("typo")} ` +
            `(it has acme/datomic/dev, acme/orders/dev), or check the stack name. To write them from the stack ` +
            `itself: pulumi stack output --json --stack acme/datomic/dve > dve-outputs.json && npx datomic-plan ` +
            `fixtures --from dve-outputs.json --stack acme/datomic/dve --out ${fixtureFile("typo")}\n` +
            `      in pulumi:pulumi:StackReference datomic\n`,
    );
});

test("a stack reference to a stack without an output the service needs names the output and where it is used", async () => {
    const stack = stackWith("no-system", { fixtures: (text) => text.replace("    systemName: acme-dev\n", "") });
    const report = await failureOf(stack);
    expect(report).toContain(
        `datomic-plan: the program failed for stack "no-system":\n` +
            `  - Required output 'systemName' does not exist on stack 'acme/datomic/dev'.\n`,
    );
    expect(report).toContain(`      in aws:cloudformation/stack:Stack orders-stack (input parameters)\n`);
});

test("overlapping CIDRs name the argument, both blocks and the component", async () => {
    const stack = stackWith("overlap", {
        config: (text) => text.replace("vpcCidrBlock: 10.140.0.0/16", "vpcCidrBlock: 10.40.0.0/16"),
    });
    const report = await failureOf(stack);
    expect(report).toContain(
        `  - peerVpcCidrBlocks: "10.40.0.0/16" overlaps datomicVpcCidrBlock "10.40.0.0/16"; ` +
            "AWS cannot peer VPCs whose address spaces overlap\n" +
            "      in datomic:cloud:Peering orders\n",
    );
});

test("a missing deps.edn names the ion project and the release that needs it", async () => {
    const depsEdn = path.join(programDir, "ion", "deps.edn");
    fs.renameSync(depsEdn, `${depsEdn}.moved`);
    try {
        const report = await failureOf(stackWith("no-deps", {}));
        expect(report).toContain(
            `  - projectDir: cannot hash the ion sources: ${depsEdn} does not exist: ` +
                "an ion project is a tools.deps project with deps.edn at its root\n" +
                "      in datomic:cloud:IonDeployment orders-ions\n",
        );
        expect(report).toContain("      in command:local:Command orders-ions-release (input triggers.outputs)\n");
    } finally {
        fs.renameSync(`${depsEdn}.moved`, depsEdn);
    }
});

test("a missing fixture names the lookup, the fixture file and the resource that needed the answer", async () => {
    const stack = stackWith("no-zone", { fixtures: (text) => text.slice(0, text.indexOf("lookups:")) });
    const report = await failureOf(stack);
    expect(report).toBe(
        `datomic-plan: stack "no-zone" makes lookups that no fixture answers:\n` +
            `  - No fixture answers aws:route53/getZone:getZone called with ` +
            `{"name":"acme-dev.us-east-1.datomic.net","privateZone":true}; ` +
            `add a "lookups" entry for it to ${fixtureFile("no-zone")}, such as (replace the result's values with the real ones):\n` +
            "        lookups:\n" +
            "          - function: aws:route53/getZone:getZone\n" +
            "            match:\n" +
            "              name: acme-dev.us-east-1.datomic.net\n" +
            "              privateZone: true\n" +
            "            result:\n" +
            "              zoneId: Z0123456789ABCDEFGHIJ\n" +
            "              name: acme-dev.us-east-1.datomic.net\n" +
            `      in aws:route53/zoneAssociation:ZoneAssociation orders-zone (input zoneId)\n`,
    );
});
