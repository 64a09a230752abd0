/**
 * examples/alb-service, run under the mocks with each stack's config and fixtures, at preview: the
 * connection DatomicAccess builds for each path, HTTP Direct through IonApiDomain, the client function's
 * environment, and its fixtures against the environment's contract.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { CONTRACT_OUTPUT_NAMES } from "../../components/contract";
import { RecordedResource, UNKNOWN } from "../../plan/recorded";
import { ProgramRun } from "../../plan/runProgram";
import { ALB_EXAMPLE_DIR, runStack } from "../support/program";

const LAMBDA = "aws:lambda/function:Function";

function one(run: ProgramRun, type: string, name: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    expect(found.map((r) => `${r.type}::${r.name}`)).toEqual([`${type}::${name}`]);
    return found[0];
}

function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

describe("the dev stack (path private: peering)", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runStack("dev", { programDir: ALB_EXAMPLE_DIR });
    });

    test("runs without errors and exports the domain's URL and the path built", () => {
        expect(run.errors.map((e) => e.message)).toEqual([]);
        expect(run.outputs).toMatchObject({
            url: "https://catalog.dev.acme.com/",
            datomicPath: "vpc-peering",
            datomicEndpoint: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
        });
    });

    test("peers the service VPC with Datomic's and admits the function's own group on the nodes", () => {
        const connection = one(run, "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "catalog-connection");
        expect(connection.inputs).toMatchObject({ vpcId: "vpc-0d5a7e9c1b3f40001", peerVpcId: "vpc-0c1d2e3f4a5b60101" });
        const rule = one(
            run,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "catalog-ingress-caller-0-group",
        );
        expect(rule.inputs).toMatchObject({ securityGroupId: "sg-0d5a7e9c1b3f40021", fromPort: 8182 });
        expect(rule.dependencies).toContain(
            one(run, "aws:ec2/securityGroup:SecurityGroup", "catalog-datomic-clients").urn,
        );
        expect(one(run, "aws:route53/zoneAssociation:ZoneAssociation", "catalog-zone").inputs).toEqual({
            vpcId: "vpc-0c1d2e3f4a5b60101",
            zoneId: "Z0D5A7E9C1B3F4AEXAMPL",
        });
    });

    test("runs the client function in the service's subnets with its own group, not Datomic's apps group", () => {
        const fn = one(run, LAMBDA, "catalog");
        expect(fn.inputs).toMatchObject({
            vpcConfig: { subnetIds: ["subnet-0c1d2e3f4a5b60111", "subnet-0c1d2e3f4a5b60112"] },
            environment: {
                variables: {
                    DATOMIC_ENDPOINT: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
                    DATOMIC_SYSTEM_NAME: "acme-dev",
                    DATOMIC_REGION: "us-east-1",
                    DATOMIC_DATABASE_NAME: "catalog",
                },
            },
        });
        expect(JSON.stringify(fn.inputs)).not.toContain("sg-0d5a7e9c1b3f40023");
    });

    test("maps the new group's ion API gateway under the domain, at Datomic's $default stage", () => {
        const mapping = one(run, "aws:apigatewayv2/apiMapping:ApiMapping", "catalog-api-mapping");
        // The group is new: its IonApiGatewayEndpoint is only known once its stack exists.
        expect(mapping.inputs).toMatchObject({ apiId: UNKNOWN, stage: "$default" });
        expect(ofType(run, "aws:apigatewayv2/stage:Stage")).toEqual([]);
        expect(one(run, "aws:route53/record:Record", "catalog-api-alias").inputs).toMatchObject({
            zoneId: "Z0ACMEDEVPUBLIC",
            name: "catalog.dev.acme.com",
        });
    });
});

describe("the prod stack (path api-gateway)", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runStack("prod", { programDir: ALB_EXAMPLE_DIR });
    });

    test("builds no networking to Datomic and gives the function the Client API gateway", () => {
        expect(run.errors.map((e) => e.message)).toEqual([]);
        expect(run.outputs).toMatchObject({ datomicPath: "api-gateway" });
        expect(ofType(run, "datomic:cloud:Peering")).toEqual([]);
        expect(ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint")).toEqual([]);
        expect(ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.name)).toEqual([
            "catalog-https",
        ]);
        expect(one(run, LAMBDA, "catalog").inputs).toMatchObject({
            environment: {
                variables: { DATOMIC_ENDPOINT: "https://x9y8z7w6v5.execute-api.us-east-1.amazonaws.com" },
            },
        });
    });

    test("access logs and throttling go on the $default stage of a front API, which the domain maps to", () => {
        const stage = one(run, "aws:apigatewayv2/stage:Stage", "catalog-api-stage");
        expect(stage.inputs).toMatchObject({
            apiId: UNKNOWN, // the front API is new
            name: "$default",
            autoDeploy: true,
            defaultRouteSettings: { throttlingRateLimit: 200, throttlingBurstLimit: 400 },
        });
        expect(one(run, "aws:apigatewayv2/integration:Integration", "catalog-api-integration").inputs).toMatchObject({
            requestParameters: { "overwrite:path": "$request.path" },
        });
        const mapping = one(run, "aws:apigatewayv2/apiMapping:ApiMapping", "catalog-api-mapping");
        expect(mapping.inputs).toMatchObject({ apiId: UNKNOWN, stage: "$default" });
        expect(mapping.deleteBeforeReplace).toBe(true);
    });
});

test("a path the alb environment does not allow is refused at preview, naming the path and the topology", async () => {
    const run = await runStack("dev", {
        programDir: ALB_EXAMPLE_DIR,
        config: { "catalog:datomicPath": "vpc-endpoint" },
    });
    expect(run.errors.map((e) => e.message).join("\n")).toContain(
        'path: "vpc-endpoint" needs the nlb topology, but acme/datomic/dev is alb',
    );
});

test("the fixtures' environments export only contract outputs", () => {
    for (const stack of ["dev", "prod"]) {
        const fixtures = parseYaml(
            fs.readFileSync(path.join(ALB_EXAMPLE_DIR, "plan-fixtures", `${stack}.yaml`), "utf8"),
        ) as { stackReferences: Record<string, Record<string, unknown>> };
        for (const outputs of Object.values(fixtures.stackReferences)) {
            for (const name of Object.keys(outputs)) {
                expect(CONTRACT_OUTPUT_NAMES).toContain(name);
            }
        }
    }
});
