/**
 * `datomic-plan fixtures`: a service's fixture file from `pulumi stack output
 * --json` of the environment stack, with which a new service plans without
 * hand-written fixtures.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { loadFixtureFile } from "../../plan/fixtures";
import { fixturesFromOutputs, parseStackOutputs, renderFixtureFile } from "../../plan/fixturesFromOutputs";
import { toPlan } from "../../plan/render";
import { datomicPlanInProcess, REPO_ROOT, runStack } from "../support/program";

const SERVICE_DIR = path.join(__dirname, "new-service");
const OUTPUTS_FILE = path.join(SERVICE_DIR, "dev-outputs.json");
const ENVIRONMENT = "acme/datomic/dev";

let workDir: string;

beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-fixtures-"));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe("fixturesFromOutputs", () => {
    const outputs = parseStackOutputs(fs.readFileSync(OUTPUTS_FILE, "utf8"), OUTPUTS_FILE);

    test("puts the outputs under stackReferences by stack name and leaves secrets out", () => {
        const { fixtures, skippedSecrets } = fixturesFromOutputs(ENVIRONMENT, outputs);
        expect(skippedSecrets).toEqual(["opsWebhookUrl"]);
        expect(fixtures.accountId).toBe("111111111111");
        expect(fixtures.stackReferences?.[ENVIRONMENT]).toMatchObject({ systemName: "acme-dev", topology: "alb" });
        expect(fixtures.stackReferences?.[ENVIRONMENT]).not.toHaveProperty("opsWebhookUrl");
        expect(JSON.stringify(fixtures)).not.toContain("[secret]");
    });

    test("keeps the lookups, account and other stacks of an existing file, replacing this stack's entry", () => {
        const existing = {
            accountId: "444444444444",
            lookups: [{ function: "aws:route53/getZone:getZone", result: { zoneId: "Z1" } }],
            stackReferences: { [ENVIRONMENT]: { systemName: "old" }, "acme/orders/dev": { redisHost: "r" } },
        };
        const { fixtures } = fixturesFromOutputs(ENVIRONMENT, outputs, existing);
        expect(fixtures.accountId).toBe("444444444444");
        expect(fixtures.lookups).toEqual(existing.lookups);
        expect(fixtures.stackReferences?.["acme/orders/dev"]).toEqual({ redisHost: "r" });
        expect(fixtures.stackReferences?.[ENVIRONMENT]).toMatchObject({ systemName: "acme-dev" });
    });

    test("refuses a stack name the service could not reference, and text that is not stack outputs", () => {
        expect(() => fixturesFromOutputs("dev", outputs)).toThrow(
            '--stack: "dev" is not a fully qualified stack name; use <organization>/<project>/<stack>',
        );
        expect(() => parseStackOutputs("[1, 2]", "out.json")).toThrow(
            "out.json is not the output of pulumi stack output --json",
        );
        expect(() => parseStackOutputs("Current stack outputs (3):", "out.json")).toThrow(
            /out\.json is not JSON .* pulumi stack output --json --stack <stack> > out\.json/,
        );
    });

    test("writes a file that loads back as the same fixtures, saying where they came from", () => {
        const { fixtures } = fixturesFromOutputs(ENVIRONMENT, outputs);
        const text = renderFixtureFile(fixtures, ENVIRONMENT, "dev-outputs.json");
        expect(text).toMatch(/^# Answers to the lookups of this service's plan/);
        expect(text).toContain("datomic-plan fixtures --from dev-outputs.json --stack acme/datomic/dev");
        expect(parseYaml(text)).toEqual(fixtures);
    });
});

test("a new service plans with the fixture file the command wrote, and nothing written by hand", async () => {
    const serviceDir = path.join(workDir, "billing");
    fs.cpSync(SERVICE_DIR, serviceDir, { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(serviceDir, "node_modules"));
    const fixtureFile = path.join(serviceDir, "plan-fixtures", "dev.yaml");

    const result = await datomicPlanInProcess(
        "fixtures",
        "--from",
        OUTPUTS_FILE,
        "--stack",
        ENVIRONMENT,
        "--out",
        fixtureFile,
    );
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(result.stderr).toContain("left out secret output(s) opsWebhookUrl");
    expect(loadFixtureFile(fixtureFile).stackReferences?.[ENVIRONMENT]).toMatchObject({
        vpcId: "vpc-0d5a7e9c1b3f40001",
    });

    const run = await runStack("dev", { programDir: serviceDir });
    expect(run.errors.map((error) => error.message)).toEqual([]);
    const plan = toPlan(run);
    expect(plan.outputs).toEqual({
        queryGroup: "billing-dev",
        clientEndpoint: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
    });
    const ingress = plan.resources.find((resource) => resource.name === "billing-to-datomic")!;
    expect(ingress.inputs.securityGroupId).toBe("sg-0d5a7e9c1b3f40021");
    expect(ingress.fromFixtures).toEqual(["securityGroupId"]);
});
