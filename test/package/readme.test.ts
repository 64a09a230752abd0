/**
 * The README's quick starts as executable documentation. Their code blocks are taken from README.md as
 * a reader copies them: the environment config of each topology goes through the environment program's
 * parser, and the service program (one program, which reads the environment's topology and builds HTTP
 * Direct for it) is run at preview under the mocks on each topology, with the service's stack config from the README and the
 * environment's outputs from test/fixtures/readme. test/package/pack.test.ts type-checks both programs
 * against the packed package, as a reader who ran `npm install pulumi-datomic` compiles them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { DatomicCloudSystemArgs } from "../../components/cloud/system/system";
import { EnvironmentConfig, parseEnvironmentConfig } from "../../environment/config";
import { LookupFixtures, loadFixtureFile } from "../../plan/fixtures";
import { RecordedResource, UNKNOWN } from "../../plan/recorded";
import { ProgramRun } from "../../plan/runProgram";
import { REPO_ROOT, runStack } from "../support/program";
import { alb, nlb, PROJECT, QuickStart, servicePrograms } from "../support/readmeQuickStarts";
import { trapRejections as trap } from "../support/rejections";

const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "readme");

let workDir: string;
const programs: Record<"alb" | "nlb", { dir: string; stack: string }> = {
    alb: { dir: "", stack: "dev" },
    nlb: { dir: "", stack: "stage" },
};

beforeAll(() => {
    expect(PROJECT).toBeDefined();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-quick-start-"));
    const sources = servicePrograms();
    const serviceConfigs = { alb: alb.serviceConfig, nlb: nlb.serviceConfig };
    for (const topology of ["alb", "nlb"] as const) {
        const { stack } = programs[topology];
        const dir = path.join(workDir, topology);
        fs.mkdirSync(path.join(dir, "plan-fixtures"), { recursive: true });
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), serviceConfigs[topology]);
        fs.writeFileSync(path.join(dir, "index.ts"), sources[topology]);
        fs.copyFileSync(path.join(FIXTURES, `${stack}.yaml`), path.join(dir, "plan-fixtures", `${stack}.yaml`));
        // `npm install pulumi-datomic @pulumi/aws @pulumi/pulumi`: the repository's, with the package mapped to its source.
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
        programs[topology].dir = dir;
    }
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The environment stack a service stack reads: the fixtures' only stack reference. */
function environmentOutputs(stack: string): Record<string, unknown> {
    const fixtures: LookupFixtures = loadFixtureFile(path.join(FIXTURES, `${stack}.yaml`));
    const outputs = Object.values(fixtures.stackReferences ?? {});
    expect(outputs).toHaveLength(1);
    return outputs[0] as Record<string, unknown>;
}

/** The Datomic Cloud system arguments the environment program would build from `config`. */
function cloudSystemOf(config: Record<string, unknown>): { parsed: EnvironmentConfig; cloud: DatomicCloudSystemArgs } {
    const parsed = parseEnvironmentConfig(config);
    if (parsed.flavor !== "cloud") {
        throw new Error(`expected the flavor cloud, got ${parsed.flavor}`);
    }
    return { parsed, cloud: parsed.cloud };
}

describe("the environment configs", () => {
    test("alb: the environment program accepts it, creating 1217-9399 with a key pair", () => {
        const { parsed, cloud } = cloudSystemOf(alb.environment);
        expect(cloud.create).toMatchObject({ templateVersion: "1217-9399", keyName: "acme-dev-datomic" });
        const outputs = environmentOutputs("dev");
        expect([cloud.systemName, parsed.region, parsed.accountId]).toEqual([
            outputs.systemName,
            outputs.region,
            outputs.accountId,
        ]);
    });

    test("nlb: the environment program accepts it, adopting the system and its endpoint service", () => {
        const { parsed, cloud } = cloudSystemOf(nlb.environment);
        expect(cloud).toMatchObject({ topology: "nlb", endpointService: "adopt" });
        expect(cloud.endpointServiceId).toMatch(/^vpce-svc-/);
        expect(cloud.create).toBeUndefined();
        const outputs = environmentOutputs("stage");
        expect([cloud.systemName, cloud.topology, parsed.region]).toEqual([
            outputs.systemName,
            outputs.topology,
            outputs.region,
        ]);
        expect(outputs.endpointServiceName).toMatch(new RegExp(`${String(cloud.endpointServiceId)}$`));
    });
});

function one(run: ProgramRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    expect(found.map((r) => r.type)).toEqual([type]);
    return found[0];
}

function none(run: ProgramRun, type: string): void {
    expect(run.resources.filter((r) => r.type === type).map((r) => r.name)).toEqual([]);
}

/** The service's stack config as the README gives it. */
function serviceNetwork(quick: QuickStart): { vpcId: string; subnetIds: string[]; vpcCidrBlocks: string[] } {
    const config = (parseYaml(quick.serviceConfig) as { config: Record<string, unknown> }).config;
    return config[`${PROJECT}:network`] as { vpcId: string; subnetIds: string[]; vpcCidrBlocks: string[] };
}

/** The client Lambda: in the service's subnets, with its own group, and the DATOMIC_* environment. */
function expectClientFunction(run: ProgramRun, quick: QuickStart, variables: unknown): void {
    const fn = one(run, "aws:lambda/function:Function");
    expect(fn.inputs).toMatchObject({
        vpcConfig: { subnetIds: serviceNetwork(quick).subnetIds },
        environment: { variables },
    });
    const clients = one(run, "aws:ec2/securityGroup:SecurityGroup", `${PROJECT}-clients`);
    expect(clients.inputs.vpcId).toBe(serviceNetwork(quick).vpcId);
    expect(fn.dependencies).toContain(clients.urn);
}

describe("the alb quick start, previewed against the alb environment", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runStack(programs.alb.stack, { programDir: programs.alb.dir });
    });

    test("runs without errors and exports the service's HTTP Direct URL", () => {
        expect(run.errors.map((e) => e.message)).toEqual([]);
        const config = (parseYaml(alb.serviceConfig) as { config: Record<string, string> }).config;
        expect(run.outputs).toEqual({ url: `https://${config[`${PROJECT}:domain`]}/` });
    });

    test("creates the query group's stack from the 1217-9399 template with the system's key pair", () => {
        one(run, "datomic:cloud:QueryGroup", PROJECT);
        const stack = one(run, "aws:cloudformation/stack:Stack");
        // Datomic's confirmed URL of the 1217-9399 query-group template (docs/query-group.md).
        expect(stack.inputs.templateUrl).toMatch(/\/cft\/1217\/query-group-template-9399-1217\.json$/);
        expect(stack.inputs.parameters).toMatchObject({ KeyName: "acme-dev-datomic", SystemName: "acme-dev" });
    });

    test("peers the service's VPC with Datomic's: the path private on alb", () => {
        const outputs = environmentOutputs("dev");
        expect(one(run, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection").inputs).toMatchObject({
            vpcId: outputs.vpcId,
            peerVpcId: serviceNetwork(alb).vpcId,
        });
        expect(one(run, "aws:route53/zoneAssociation:ZoneAssociation").inputs).toMatchObject({
            vpcId: serviceNetwork(alb).vpcId,
            zoneId: outputs.privateHostedZoneId,
        });
        none(run, "aws:ec2/vpcEndpoint:VpcEndpoint");
    });

    test("runs the client Lambda in the service's subnets with the peering's DATOMIC_* environment", () => {
        const outputs = environmentOutputs("dev");
        expectClientFunction(run, alb, {
            DATOMIC_ENDPOINT: outputs.clientEndpoint,
            DATOMIC_SYSTEM_NAME: outputs.systemName,
            DATOMIC_REGION: outputs.region,
            DATOMIC_DATABASE_NAME: PROJECT,
        });
    });

    test("serves HTTP Direct through the group's ion API gateway under the service's domain", () => {
        one(run, "datomic:cloud:IonApiDomain");
        one(run, "aws:apigatewayv2/domainName:DomainName");
        one(run, "aws:apigatewayv2/apiMapping:ApiMapping");
        const config = (parseYaml(alb.serviceConfig) as { config: Record<string, string> }).config;
        expect(one(run, "aws:route53/record:Record", `${PROJECT}-api-alias`).inputs).toMatchObject({
            zoneId: config[`${PROJECT}:hostedZoneId`],
            name: config[`${PROJECT}:domain`],
        });
        none(run, "datomic:cloud:HttpDirect");
    });
});

describe("the nlb quick start, previewed against the nlb environment", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runStack(programs.nlb.stack, { programDir: programs.nlb.dir });
    });

    test("runs without errors and exports the REST API's URL", () => {
        expect(run.errors.map((e) => e.message)).toEqual([]);
        expect(Object.keys(run.outputs)).toEqual(["url"]);
    });

    test("creates the query group's stack from the template the service's config gives", () => {
        const config = (parseYaml(nlb.serviceConfig) as { config: Record<string, string> }).config;
        const stack = one(run, "aws:cloudformation/stack:Stack");
        expect(stack.inputs.templateUrl).toBe(config[`${PROJECT}:queryGroupTemplateUrl`]);
        expect(stack.inputs.parameters).toMatchObject({ KeyName: "acme-stage-datomic", SystemName: "acme-stage" });
    });

    test("connects through an interface endpoint to the adopted endpoint service: the path private on nlb", () => {
        expect(one(run, "aws:ec2/vpcEndpoint:VpcEndpoint").inputs).toMatchObject({
            vpcId: serviceNetwork(nlb).vpcId,
            serviceName: environmentOutputs("stage").endpointServiceName,
            subnetIds: serviceNetwork(nlb).subnetIds,
            vpcEndpointType: "Interface",
        });
        none(run, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection");
    });

    test("runs the client Lambda in the service's subnets; its environment waits for the new endpoint's DNS name", () => {
        expectClientFunction(run, nlb, UNKNOWN);
    });

    test("serves HTTP Direct through a REST API over a VPC link to the group's NLB", () => {
        one(run, "datomic:cloud:HttpDirect");
        one(run, "aws:apigateway/vpcLink:VpcLink");
        one(run, "aws:apigateway/restApi:RestApi");
        none(run, "datomic:cloud:IonApiDomain");
    });
});

/** The nlb query group's stack outputs once created (the names of Datomic's nlb query-group template). */
const GROUP_STACK_OUTPUTS = {
    LoadBalancer: "arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/net/orders/5a4b3c2d1e0f9a8b",
    LoadBalancerHttpDirectEndpoint: "http://orders-5a4b3c2d1e0f9a8b.elb.us-west-2.amazonaws.com:8184",
};

test("nlb, deployed: the client Lambda gets the interface endpoint's DATOMIC_* environment", async () => {
    const regionalDns = "vpce-0a1b2c3d4e5f60718-k2m4n6p8.vpce-svc-0a7c3e5f9b1d24680.us-west-2.vpce.amazonaws.com";
    const run = await runStack(programs.nlb.stack, {
        programDir: programs.nlb.dir,
        preview: false,
        // What AWS reports for an interface endpoint: a zonal name per subnet's zone, then the regional name.
        resourceOutputs: (type) =>
            type === "aws:cloudformation/stack:Stack"
                ? { outputs: GROUP_STACK_OUTPUTS }
                : type === "aws:ec2/vpcEndpoint:VpcEndpoint"
                  ? {
                        dnsEntries: [
                            {
                                dnsName: regionalDns.replace("-k2m4n6p8.", "-k2m4n6p8-us-west-2a."),
                                hostedZoneId: "Z1YSA3EXCYUU9Z",
                            },
                            { dnsName: regionalDns, hostedZoneId: "Z1YSA3EXCYUU9Z" },
                        ],
                    }
                  : undefined,
    });
    expect(run.errors.map((e) => e.message)).toEqual([]);
    const outputs = environmentOutputs("stage");
    expectClientFunction(run, nlb, {
        DATOMIC_ENDPOINT: `http://${regionalDns}:8182`,
        DATOMIC_SYSTEM_NAME: outputs.systemName,
        DATOMIC_REGION: outputs.region,
        DATOMIC_DATABASE_NAME: PROJECT,
    });
});

describe("a service's first hour, as the README's quick start runs it", () => {
    /** The `npx datomic-plan` lines of the first-hour block, as arguments. */
    function firstHourPlanCommands(): string[][] {
        const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
        const section = readme.split(/^## /m).find((text) => text.startsWith("Quick start: a service's first hour"))!;
        const block = /^```sh\n([\s\S]*?)^```$/m.exec(section)![1];
        return block
            .split("\n")
            .map((line) => line.replace(/#.*$/, "").trim())
            .filter((line) => line.startsWith("npx datomic-plan "))
            .map((line) => line.split(/\s+/).slice(2));
    }

    test("datomic-plan fixtures, then datomic-plan, plan a new service from its environment's outputs", async () => {
        const commands = firstHourPlanCommands();
        expect(commands.map((args) => args[0])).toEqual(["fixtures", "--stack"]);
        // A new service (test/plan/new-service) that has just saved `pulumi stack output --json` as the README says.
        const service = path.join(workDir, "first-hour");
        fs.cpSync(path.join(REPO_ROOT, "test", "plan", "new-service"), service, { recursive: true });
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(service, "node_modules"));
        const results: { code: number; stderr: string; stdout: string }[] = [];
        const cwd = process.cwd();
        process.chdir(service);
        try {
            for (const args of commands) {
                let stdout = "";
                let stderr = "";
                await jest.isolateModulesAsync(async () => {
                    const { runDatomicPlan } = await import("../../plan/cli");
                    const code = await runDatomicPlan(
                        args,
                        { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
                        { requireModule: require, trapRejections: trap, stallAfterMs: 300 },
                    );
                    results.push({ code, stdout, stderr });
                });
            }
        } finally {
            process.chdir(cwd);
        }
        expect(results.map((result) => result.code)).toEqual([0, 0]);
        expect(fs.existsSync(path.join(service, "plan-fixtures", "dev.yaml"))).toBe(true);
        expect(results[1].stdout).toContain('Plan of stack "dev" (project billing)');
        expect(results[1].stdout).toContain("datomic:cloud:QueryGroup  billing");
    });
});
