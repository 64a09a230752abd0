/**
 * examples/ion-service, run under the mocks with each stack's config and
 * fixtures: what it builds on each topology, its feature-branch stacks, its
 * configuration checks, and its fixtures against the environment's contract.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { hashIonSources } from "../../components";
import { parseEdn } from "../../components/internal/edn";
import { LookupFixtures } from "../../plan/fixtures";
import { RecordedResource, UNKNOWN } from "../../plan/recorded";
import { ProgramRun } from "../../plan/runProgram";
import { EXAMPLE_DIR, runStack } from "../support/program";
import { ION_LAMBDAS } from "../../examples/ion-service/monitoring";

const STACK = "aws:cloudformation/stack:Stack";
const COMMAND = "command:local:Command";
const PEERING = "datomic:cloud:Peering";
const ACCEPTER = "datomic:cloud:PeeringAccepter";
const CLIENT_ENDPOINT = "datomic:cloud:ClientEndpoint";
const HTTP_DIRECT = "datomic:cloud:HttpDirect";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const LAMBDA = "aws:lambda/function:Function";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const FEATURE_BRANCH = { "orders:suffix": "alice", "orders:mainStack": "acme/orders/dev" };

function runExample(stack: string, options: Omit<Parameters<typeof runStack>[1], "programDir"> = {}) {
    return runStack(stack, { ...options, programDir: EXAMPLE_DIR });
}

function one(run: ProgramRun, type: string, name?: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    expect(found.map((r) => `${r.type}::${r.name}`)).toHaveLength(1);
    return found[0];
}

function ofType(run: ProgramRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

function childrenOf(run: ProgramRun, parent: RecordedResource): RecordedResource[] {
    return run.resources.filter((r) => r.parent === parent.urn);
}

function providerOf(run: ProgramRun, resource: RecordedResource): string | undefined {
    const urn = resource.provider?.slice(0, resource.provider.lastIndexOf("::"));
    return run.resources.find((r) => r.urn === urn)?.name;
}

/** CloudFormation stack outputs as Datomic's query-group template gives them, for non-preview runs. */
function deployedOutputs(type: string, name: string, inputs: Record<string, unknown>) {
    if (type === STACK) {
        const group = String(inputs.name);
        return {
            id: `arn:aws:cloudformation:us-east-1:111111111111:stack/${group}/0a1b`,
            outputs: {
                CodeDeployDeploymentGroup: group,
                LoadBalancer: `arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/net/${group}/0f1e`,
                LoadBalancerHttpDirectEndpoint: `http://${group}-0f1e.elb.us-west-2.amazonaws.com:8184`,
                // A real API id is 10 lowercase letters and digits (DatomicMonitoring reads it from the host).
                IonApiGatewayEndpoint: "https://o1r2d3e4r5.execute-api.us-east-1.amazonaws.com",
            },
        };
    }
    if (type === "aws:ec2/vpcEndpoint:VpcEndpoint") {
        return {
            dnsEntries: [
                { dnsName: `vpce-0${name}-a1b2c3d4.vpce-svc-0e4d2c1b3a5f69788.us-west-2.vpce.amazonaws.com` },
                {
                    dnsName: `vpce-0${name}-a1b2c3d4-us-west-2a.vpce-svc-0e4d2c1b3a5f69788.us-west-2.vpce.amazonaws.com`,
                },
            ],
        };
    }
    if (type === "aws:iam/role:Role") {
        return { arn: `arn:aws:iam::000000000000:role/${name}` };
    }
    return undefined;
}

const ionConfig = parseEdn(
    fs.readFileSync(path.join(EXAMPLE_DIR, "ion/resources/datomic/ion-config.edn"), "utf8"),
) as Record<string, unknown>;

describe("the dev stack (alb)", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runExample("dev");
    });

    test("runs without errors", () => {
        expect(run.errors.map((e) => e.message)).toEqual([]);
    });

    test("peers its VPC with Datomic's: the nodes reach Redis on 6379, the report function the Client API on 8182", () => {
        const peering = one(run, PEERING, "orders");
        const children = childrenOf(run, peering);
        const connection = children.find((r) => r.type === "aws:ec2/vpcPeeringConnection:VpcPeeringConnection")!;
        expect(connection.inputs).toMatchObject({
            vpcId: "vpc-0d5a7e9c1b3f40001",
            peerVpcId: "vpc-0e1d2c3b4a5f60101",
            autoAccept: true,
        });
        const redisGroup = one(run, SECURITY_GROUP, "orders-redis");
        const clientsGroup = one(run, SECURITY_GROUP, "orders-datomic-clients");
        const rules = children.filter((r) => r.type === INGRESS);
        expect(rules.map((r) => [r.inputs.fromPort, r.inputs.description])).toEqual(
            expect.arrayContaining([
                [6379, "Redis from the Datomic nodes (ions)"],
                [8182, "Datomic Client API from the orders service"],
            ]),
        );
        const redisRule = rules.find((r) => r.inputs.fromPort === 6379)!;
        const clientRule = rules.find((r) => r.inputs.fromPort === 8182)!;
        // Opens the Redis group to the Datomic nodes, and the nodes to the report function's group
        // (the groups' ids are known once created).
        expect(redisRule.dependencies).toContain(redisGroup.urn);
        expect(clientRule.inputs.securityGroupId).toBe("sg-0d5a7e9c1b3f40021");
        expect(clientRule.dependencies).toContain(clientsGroup.urn);
        expect(children.find((r) => r.type === "aws:route53/zoneAssociation:ZoneAssociation")!.inputs).toEqual({
            zoneId: "Z0D5A7E9C1B3F4AEXAMPL",
            vpcId: "vpc-0e1d2c3b4a5f60101",
        });
        expect(ofType(run, CLIENT_ENDPOINT)).toEqual([]);
    });

    test("gives the report function the environment's client settings, the in-VPC endpoint reached across the peering", () => {
        expect(one(run, LAMBDA, "orders-report").inputs).toMatchObject({
            runtime: "java21",
            environment: {
                variables: {
                    DATOMIC_ENDPOINT: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
                    DATOMIC_SYSTEM_NAME: "acme-dev",
                    DATOMIC_REGION: "us-east-1",
                    DATOMIC_DATABASE_NAME: "orders",
                },
            },
            vpcConfig: { subnetIds: ["subnet-0e1d2c3b4a5f60111", "subnet-0e1d2c3b4a5f60112"] },
        });
        const policy = one(run, "aws:iam/rolePolicy:RolePolicy", "orders-report-datomic");
        expect(JSON.stringify(policy.inputs.policy)).toContain(
            "arn:aws:s3:::acme-dev-storagef7f305e7-9x2kq4w1m8d3/acme-dev/datomic/access/dbs/db/orders/*",
        );
    });

    test("creates a query group named orders from the default release, with the ion config's application name", () => {
        const stack = one(run, STACK);
        expect(stack.inputs).toMatchObject({
            // The default name carries the Pulumi stack, so the service's stacks never collide in one account.
            name: "orders-dev",
            templateUrl: "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/query-group-template-9399-1217.json",
            parameters: { SystemName: "acme-dev", ApplicationName: ionConfig["app-name"], InstanceType: "t3.large" },
        });
    });

    test("deploys the ions on the real hash of the example's ion project, from the project's directory", async () => {
        const { hash } = await hashIonSources(path.join(EXAMPLE_DIR, "ion"));
        const command = one(run, COMMAND);
        expect(command.inputs.dir).toBe("ion");
        expect((command.inputs.triggers as unknown[])[0]).toBe(hash);
        expect(run.outputs.ionSourceHash).toBe(hash);
    });

    test("has no API Gateway of its own: on alb the query group's ion API Gateway serves HTTP Direct", () => {
        expect(ofType(run, HTTP_DIRECT)).toEqual([]);
        expect(run.resources.filter((r) => r.type.startsWith("aws:apigateway/"))).toEqual([]);
    });

    test("once deployed, opens Redis to the nodes' group and exports the query group's IonApiGatewayEndpoint", async () => {
        const deployed = await runExample("dev", { preview: false, resourceOutputs: deployedOutputs });
        expect(deployed.errors.map((e) => e.message)).toEqual([]);
        const rules = childrenOf(deployed, one(deployed, PEERING)).filter((r) => r.type === INGRESS);
        expect(rules.find((r) => r.inputs.fromPort === 6379)!.inputs).toMatchObject({
            securityGroupId: "orders-redis-id",
            referencedSecurityGroupId: "sg-0d5a7e9c1b3f40021",
        });
        expect(rules.find((r) => r.inputs.fromPort === 8182)!.inputs).toMatchObject({
            securityGroupId: "sg-0d5a7e9c1b3f40021",
            referencedSecurityGroupId: "orders-datomic-clients-id",
        });
        expect(deployed.outputs.url).toBe("https://o1r2d3e4r5.execute-api.us-east-1.amazonaws.com");
        // The main stack watches its group: the ion API gateway by the id in its endpoint.
        expect(one(deployed, ALARM, "orders-monitoring-api5xx-orders-ion-api").inputs.dimensions).toEqual({
            ApiId: "o1r2d3e4r5",
        });
        expect(deployed.outputs.dashboard).toBe(
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=orders-monitoring",
        );
        expect(String(one(deployed, COMMAND).inputs.create)).toContain(" --group orders-dev --region us-east-1 ");
    });
});

describe("the stage stack (nlb, the service in another account than Datomic)", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await runExample("stage", { preview: false, resourceOutputs: deployedOutputs });
    });

    test("runs without errors", () => {
        expect(run.errors.map((e) => e.message)).toEqual([]);
    });

    test("reaches the Client API through an interface endpoint, and gives the report function its URL", () => {
        const endpoint = one(run, CLIENT_ENDPOINT);
        const vpcEndpoint = childrenOf(run, endpoint).find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")!;
        expect(vpcEndpoint.inputs).toMatchObject({
            vpcId: "vpc-0f2e3d4c5b6a70201",
            serviceName: "com.amazonaws.vpce.us-west-2.vpce-svc-0e4d2c1b3a5f69788",
            subnetIds: ["subnet-0f2e3d4c5b6a70211", "subnet-0f2e3d4c5b6a70212", "subnet-0f2e3d4c5b6a70213"],
        });
        expect(providerOf(run, vpcEndpoint)).toBeUndefined();
        const variables = (one(run, LAMBDA).inputs.environment as { variables: Record<string, string> }).variables;
        expect(variables).toMatchObject({
            DATOMIC_ENDPOINT:
                "http://vpce-0orders-endpoint-a1b2c3d4.vpce-svc-0e4d2c1b3a5f69788.us-west-2.vpce.amazonaws.com:8182",
            DATOMIC_SYSTEM_NAME: "acme-stage",
            DATOMIC_REGION: "us-west-2",
            DATOMIC_DATABASE_NAME: "orders",
        });
        // The function reads the database's access keys through a role in the Datomic account.
        const access = one(run, "aws:iam/role:Role", "orders-report-datomic");
        expect(providerOf(run, access)).toBe("datomic-account");
        expect(variables.DATOMIC_ACCESS_ROLE_ARN).toBe("arn:aws:iam::000000000000:role/orders-report-datomic");
        expect(JSON.stringify(access.inputs.inlinePolicies)).toContain(
            "arn:aws:s3:::acme-stage-storagef7f305e7-1ojzs7y1mqd1g/acme-stage/datomic/access/dbs/db/orders/*",
        );
    });

    test("builds the query group, HTTP Direct and the peering request in the Datomic account", () => {
        const provider = one(run, "pulumi:providers:aws", "datomic-account");
        // Provider inputs are JSON strings.
        expect(provider.inputs).toMatchObject({
            region: "us-west-2",
            assumeRoles: JSON.stringify([
                { roleArn: "arn:aws:iam::222222222222:role/orders-datomic-deployer", sessionName: "orders-deploy" },
            ]),
            allowedAccountIds: JSON.stringify(["222222222222"]),
            defaultTags: JSON.stringify({ tags: { environment: "stage", service: "orders" } }),
        });
        expect(providerOf(run, one(run, STACK))).toBe("datomic-account");
        const api = one(run, HTTP_DIRECT);
        for (const child of childrenOf(run, api)) {
            expect([child.name, providerOf(run, child)]).toEqual([child.name, "datomic-account"]);
        }
        const link = childrenOf(run, api).find((r) => r.type === "aws:apigateway/vpcLink:VpcLink")!;
        expect(link.inputs.targetArn).toBe(
            "arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/net/orders-stage/0f1e",
        );
        const connection = childrenOf(run, one(run, PEERING)).find(
            (r) => r.type === "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        )!;
        expect(providerOf(run, connection)).toBe("datomic-account");
        expect(connection.inputs).toMatchObject({ peerOwnerId: "444444444444", vpcId: "vpc-0c3a5e7f9b1d24680" });
    });

    test("watches its group, its REST API and ion Lambda from the Datomic account, leaving the system to the environment", () => {
        const monitoring = one(run, "datomic:cloud:Monitoring");
        const alarms = childrenOf(run, monitoring).filter((r) => r.type === ALARM);
        expect(alarms.map((a) => a.name.replace("orders-monitoring-", "")).sort()).toEqual([
            "api-latency-api",
            "api5xx-api",
            "client-api-throttled-orders",
            "datomic-alerts-orders",
            "ion-api-throttled-orders",
            "lambda-errors-orders-order-count",
            "lambda-throttles-orders-order-count",
            "unhealthy-nodes-orders",
        ]);
        for (const child of childrenOf(run, monitoring)) {
            expect([child.name, providerOf(run, child)]).toEqual([child.name, "datomic-account"]);
        }
        expect(one(run, ALARM, "orders-monitoring-api5xx-api").inputs).toMatchObject({
            metricName: "5XXError",
            dimensions: { ApiName: "orders-api", Stage: "api" },
        });
        // The ion Lambdas watched are ion-config.edn's.
        expect(ION_LAMBDAS).toEqual(Object.keys(ionConfig.lambdas as Record<string, unknown>));
        // The stack's override.
        expect(one(run, ALARM, "orders-monitoring-api-latency-api").inputs.threshold).toBe(3000);
        expect(one(run, ALARM, "orders-monitoring-lambda-errors-orders-order-count").inputs.dimensions).toEqual({
            FunctionName: "orders-stage-order-count",
        });
    });

    test("accepts the peering in its own account and opens Redis to the Datomic nodes' group across accounts", () => {
        const accepter = one(run, ACCEPTER);
        const rule = childrenOf(run, accepter).find((r) => r.type === INGRESS)!;
        expect(rule.inputs).toMatchObject({
            fromPort: 6379,
            toPort: 6379,
            referencedSecurityGroupId: "222222222222/sg-0b7c8d9e0f1a2b3c4",
        });
        expect(providerOf(run, rule)).toBeUndefined();
        const routes = childrenOf(run, accepter).filter((r) => r.type === "aws:ec2/route:Route");
        expect(routes.map((r) => [r.inputs.routeTableId, r.inputs.destinationCidrBlock])).toEqual([
            ["rtb-0f2e3d4c5b6a70221", "10.213.0.0/16"],
            ["rtb-0f2e3d4c5b6a70222", "10.213.0.0/16"],
            ["rtb-0f2e3d4c5b6a70223", "10.213.0.0/16"],
        ]);
    });

    test("deploys the ions as the Datomic account's role, to the group of the older nlb release", () => {
        expect(one(run, STACK).inputs.templateUrl).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/781-9041/datomic-query-group-781-9041.json",
        );
        const command = one(run, COMMAND);
        expect(command.inputs.environment).toEqual({
            DATOMIC_ION_ROLE_ARN: "arn:aws:iam::222222222222:role/orders-datomic-deployer",
        });
        expect(String(command.inputs.create)).toContain(" --group orders-stage --region us-west-2 ");
    });
});

describe("the prod stack (alb)", () => {
    test("runs a highly available Redis and a larger query group", async () => {
        const run = await runExample("prod");
        expect(run.errors.map((e) => e.message)).toEqual([]);
        expect(one(run, "aws:elasticache/replicationGroup:ReplicationGroup").inputs).toMatchObject({
            numCacheClusters: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
        });
        expect(one(run, STACK).inputs.parameters).toMatchObject({
            SystemName: "acme-prod",
            InstanceType: "i3.xlarge",
            MinSize: "2",
        });
        expect(ofType(run, PEERING)).toHaveLength(1);
    });
});

describe("feature-branch stacks", () => {
    test("a suffix gives the branch its own query group and deploys its ions there", async () => {
        const main = await runExample("dev", { preview: false, resourceOutputs: deployedOutputs });
        const branch = await runExample("dev", {
            preview: false,
            resourceOutputs: deployedOutputs,
            config: FEATURE_BRANCH,
        });
        expect(branch.errors.map((e) => e.message)).toEqual([]);
        expect(one(main, STACK).inputs.name).toBe("orders-dev");
        expect(one(branch, STACK).inputs.name).toBe("orders-dev-alice");
        expect(String(one(main, COMMAND).inputs.create)).toContain(" --group orders-dev ");
        expect(String(one(branch, COMMAND).inputs.create)).toContain(" --group orders-dev-alice ");
        expect(branch.outputs.queryGroup).toBe("orders-dev-alice");
    });

    test("shares the main stack's Redis, peering and report function instead of making its own", async () => {
        const run = await runExample("dev", { config: FEATURE_BRANCH });
        expect(run.errors.map((e) => e.message)).toEqual([]);
        expect(run.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual([
            `${STACK}::orders-stack`,
            `${COMMAND}::orders-ions-release`,
            "datomic:cloud:IonDeployment::orders-ions",
            "datomic:cloud:QueryGroup::orders",
            "pulumi:pulumi:StackReference::datomic",
            "pulumi:pulumi:StackReference::main",
        ]);
        expect(String((one(run, STACK).inputs.parameters as Record<string, string>).EnvironmentMap)).toContain(
            ':redis-host "master.orders-redis-3f1a2b4.x1y2z3.use1.cache.amazonaws.com"',
        );
    });

    test("a branch name too long for a stack name is shortened with a hash", async () => {
        const run = await runExample("dev", {
            config: { ...FEATURE_BRANCH, "orders:suffix": "feature-login-page-with-oauth" },
        });
        expect(run.errors.map((e) => e.message)).toEqual([]);
        const name = String(one(run, STACK).inputs.name);
        expect(name).toMatch(/^orders-dev-feat-[0-9a-f]{7}$/);
        expect(name.length).toBeLessThanOrEqual(23);
    });
});

describe("configuration checks", () => {
    test.each([
        [
            "a malformed VPC id and CIDR block",
            {
                "orders:network": JSON.stringify({
                    vpcId: "vpc-1",
                    vpcCidrBlock: "10.140.0.0/33",
                    subnetIds: [],
                    routeTableIds: [],
                }),
            },
            [
                /orders:network\.vpcId: expected an id such as vpc-0a1b2c3d4e5f60001 \(got "vpc-1"\)/,
                /orders:network\.vpcCidrBlock: .*\(got "10\.140\.0\.0\/33"\)/,
                /orders:network\.subnetIds: expected at least two subnets/,
            ],
        ],
        [
            "a suffix without the main stack",
            { "orders:suffix": "alice" },
            [/orders:mainStack: required with orders:suffix/],
        ],
        ["a misspelt setting", { "orders:sufix": "alice" }, [/orders: Unrecognized key: "sufix"/]],
        [
            "HTTP Direct settings on an alb environment",
            { "orders:api": JSON.stringify({ throttlingRateLimit: 10 }) },
            [
                /orders:api: HTTP Direct through an API Gateway of our own needs the nlb topology; acme\/datomic\/dev is alb/,
            ],
        ],
    ])("%s fails before anything is created, naming each key", async (_, config, messages) => {
        const run = await runExample("dev", { config });
        const text = run.errors.map((e) => e.message).join("\n");
        for (const message of messages) {
            expect(text).toMatch(message);
        }
        expect(run.resources.filter((r) => !r.read)).toEqual([]);
    });
});

describe("the plan fixtures", () => {
    const fixtures = (stack: string) =>
        parseYaml(fs.readFileSync(path.join(EXAMPLE_DIR, "plan-fixtures", `${stack}.yaml`), "utf8")) as LookupFixtures;

    test.each(["dev", "stage", "prod"])(
        "give acme/datomic/%s the outputs the environment's own plan of that stack has",
        async (stack) => {
            const environment = await runStack(stack);
            const referenced = fixtures(stack).stackReferences![`acme/datomic/${stack}`];
            expect(Object.keys(referenced).filter((key) => !(key in environment.outputs))).toEqual([]);
            const known = Object.entries(environment.outputs).filter(
                ([key, value]) => value !== UNKNOWN && key in referenced,
            );
            expect(Object.fromEntries(known)).toEqual(Object.fromEntries(known.map(([key]) => [key, referenced[key]])));
            // Everything a deployed environment of this topology exports, the fixture has.
            const topologyOutputs =
                referenced.topology === "nlb"
                    ? ["endpointServiceName", "httpDirectEndpoint"]
                    : ["privateHostedZoneName"];
            for (const key of [
                "vpcId",
                "vpcCidrBlock",
                "routeTableIds",
                "nodeSecurityGroupId",
                "storageArn",
                ...topologyOutputs,
            ]) {
                expect([key, referenced[key]]).not.toEqual([key, undefined]);
            }
        },
    );
});
