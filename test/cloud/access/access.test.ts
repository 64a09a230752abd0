import * as pulumi from "@pulumi/pulumi";
import { DatomicAccess, DatomicAccessArgs } from "../../../components/cloud/access/access";
import {
    ALB_STACK,
    albEnvironment,
    callerVpc,
    NLB_STACK,
    nlbEnvironment,
    REGIONAL_DNS,
    serviceLookups,
    vpcEndpointOutputs,
} from "../../fixtures/accessEnvironments";
import { Secret } from "../../../plan/recorded";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const CONNECTION = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const ROUTE = "aws:ec2/route:Route";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ZONE_ASSOCIATION = "aws:route53/zoneAssociation:ZoneAssociation";
const GET_ZONE = "aws:route53/getZone:getZone";

function world(environments: Record<string, Record<string, unknown>>, accountId = "111111111111") {
    resetWorld(recorder, {
        fixtures: {
            accountId,
            stackReferences: environments,
            lookups: [
                ...serviceLookups,
                {
                    function: GET_ZONE,
                    match: { name: "acme-dev.us-east-1.datomic.net", privateZone: true },
                    result: { id: "Z0LOOKEDUP", zoneId: "Z0LOOKEDUP", name: "acme-dev.us-east-1.datomic.net" },
                },
            ],
        },
        outputs: { [VPC_ENDPOINT]: { "*": vpcEndpointOutputs } },
    });
}

const environments = { [NLB_STACK]: nlbEnvironment, [ALB_STACK]: albEnvironment };

async function settled(access: DatomicAccess) {
    const outputs: Record<string, pulumi.Output<unknown>> = {
        topology: access.topology,
        path: access.path,
        endpoint: access.endpoint,
        clientEnvironment: access.clientEnvironment,
        vpcEndpointId: access.vpcEndpointId,
        peeringConnectionId: access.peeringConnectionId,
    };
    const values = await valueOf(pulumi.all(outputs));
    await recorder.settle();
    return values;
}

/** Runs `body`, returning the messages of everything it and the program raised. */
async function failures(body: () => Promise<void>): Promise<string> {
    const errors = await captureRejections(async () => {
        await body();
        await recorder.settle();
    });
    return errors.map((error) => error.message).join("\n");
}

function customResources() {
    return recorder.resources.filter((resource) => resource.custom && !resource.read);
}

describe("DatomicAccess on an nlb environment", () => {
    beforeEach(() => world(environments));

    test('"private" builds an interface endpoint in the caller\'s subnets and returns its URL', async () => {
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: NLB_STACK,
            databaseName: "orders",
            callerSecurityGroupIds: [pulumi.output("sg-0lambda")],
        });
        const out = await settled(access);

        expect(out).toMatchObject({ topology: "nlb", path: "vpc-endpoint", peeringConnectionId: undefined });
        expect(out.clientEnvironment).toEqual({
            DATOMIC_ENDPOINT: `http://${REGIONAL_DNS}:8182`,
            DATOMIC_SYSTEM_NAME: "acme-stage",
            DATOMIC_REGION: "us-east-1",
            DATOMIC_DATABASE_NAME: "orders",
        });
        const endpoint = recorder.get(VPC_ENDPOINT, "orders-endpoint");
        expect(endpoint.inputs).toMatchObject({
            vpcId: "vpc-0service",
            serviceName: nlbEnvironment.endpointServiceName,
            vpcEndpointType: "Interface",
            subnetIds: ["subnet-0s1", "subnet-0s2"],
        });
        // Reuses DatomicClientEndpoint, as a child of the access component.
        const clientEndpoint = recorder.get("datomic:cloud:ClientEndpoint", "orders");
        expect(clientEndpoint.parent).toBe(recorder.get("datomic:cloud:Access", "orders").urn);
        expect(recorder.get(SECURITY_GROUP, "orders-sg").inputs.ingress).toEqual([
            expect.objectContaining({ fromPort: 8182, securityGroups: ["sg-0lambda"] }),
        ]);
        // The zones were checked against the environment's availabilityZoneIds.
        expect(recorder.callsTo("aws:ec2/getSubnet:getSubnet").map((call) => call.inputs.id)).toEqual([
            "subnet-0s1",
            "subnet-0s2",
        ]);
        expect(recorder.ofType(CONNECTION)).toEqual([]);
    });

    test("a caller subnet outside Datomic's zones fails naming the subnet, its zone and the zones", async () => {
        const messages = await failures(async () => {
            // The endpoint is never created, so its URL never resolves: the program's failure is the answer.
            new DatomicAccess("orders", {
                ...callerVpc,
                subnetIds: ["subnet-0s1", "subnet-0s3"],
                environmentStack: NLB_STACK,
                callerSecurityGroupIds: ["sg-0lambda"],
            });
        });
        expect(messages).toContain(
            "subnetIds: subnet-0s3 (use1-az3) is not in a zone of the Datomic subnets (use1-az1, use1-az2, use1-az4, " +
                "the environment's availabilityZoneIds); the VPC endpoint's subnets must be in those zones, where the " +
                "endpoint service has its load balancer: list subnets of the caller's VPC in them",
        );
        expect(recorder.ofType(VPC_ENDPOINT)).toEqual([]);
    });

    test("a subnet lookup answered without a zone id (a hand-written fixture) says which field to add", async () => {
        resetWorld(recorder, {
            fixtures: {
                accountId: "111111111111",
                stackReferences: environments,
                lookups: [
                    {
                        function: "aws:ec2/getSubnet:getSubnet",
                        match: { id: "subnet-0s1" },
                        result: { id: "subnet-0s1", vpcId: "vpc-0service" },
                    },
                ],
            },
            outputs: { [VPC_ENDPOINT]: { "*": vpcEndpointOutputs } },
        });
        const messages = await failures(async () => {
            new DatomicAccess("orders", {
                ...callerVpc,
                subnetIds: ["subnet-0s1"],
                environmentStack: NLB_STACK,
                callerSecurityGroupIds: ["sg-0lambda"],
            });
        });
        expect(messages).toContain(
            "subnetIds: the lookup of subnet-0s1 (aws.ec2.getSubnet) gave no availabilityZoneId, which is needed to " +
                "check the subnet's zone; a plan's fixture for it needs availabilityZoneId, such as use1-az1",
        );
        expect(messages).not.toContain("(undefined)");
    });
});

describe("DatomicAccess on an alb environment", () => {
    beforeEach(() => world(environments));

    test('"private" peers the VPCs, routes both ways, admits the callers on the nodes and joins the zone', async () => {
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: ALB_STACK,
            callerSecurityGroupIds: [pulumi.output("sg-0lambda")],
            callerCidrBlocks: ["10.20.64.0/20"],
        });
        const out = await settled(access);

        expect(out).toMatchObject({ topology: "alb", path: "vpc-peering", vpcEndpointId: undefined });
        expect(out.clientEnvironment).toEqual({
            DATOMIC_ENDPOINT: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
            DATOMIC_SYSTEM_NAME: "acme-dev",
            DATOMIC_REGION: "us-east-1",
        });
        const peering = recorder.get("datomic:cloud:Peering", "orders");
        expect(peering.parent).toBe(recorder.get("datomic:cloud:Access", "orders").urn);
        expect(recorder.get(CONNECTION, "orders-connection").inputs).toMatchObject({
            vpcId: "vpc-0dev",
            peerVpcId: "vpc-0service",
            autoAccept: true,
        });
        expect(
            recorder
                .ofType(ROUTE)
                .map((route) => `${route.inputs.routeTableId} ${route.inputs.destinationCidrBlock}`)
                .sort(),
        ).toEqual(["rtb-0d1 10.20.0.0/16", "rtb-0s1 10.40.0.0/16"]);
        expect(
            recorder
                .ofType(INGRESS)
                .map((rule) => [rule.name, rule.inputs.securityGroupId, rule.inputs.fromPort])
                .sort(),
        ).toEqual([
            ["orders-ingress-caller-0-group", "sg-0nodes", 8182],
            ["orders-ingress-to-datomic-tcp-8182-10-20-64-0-20", "sg-0nodes", 8182],
        ]);
        expect(recorder.get(ZONE_ASSOCIATION, "orders-zone").inputs).toMatchObject({
            zoneId: "Z0DEVPRIVATE",
            vpcId: "vpc-0service",
        });
        expect(recorder.ofType(VPC_ENDPOINT)).toEqual([]);
        expect(recorder.callsTo(GET_ZONE)).toEqual([]);
    });

    test("an environment without privateHostedZoneId (exported before 0.2) has its zone looked up by name", async () => {
        const older = { ...albEnvironment };
        delete older.privateHostedZoneId;
        world({ [ALB_STACK]: older });
        await settled(
            new DatomicAccess("orders", {
                ...callerVpc,
                environmentStack: ALB_STACK,
                callerSecurityGroupIds: ["sg-0a"],
            }),
        );
        expect(recorder.get(ZONE_ASSOCIATION, "orders-zone").inputs.zoneId).toBe("Z0LOOKEDUP");
    });

    test("a caller group list that is itself an Output gets one rule per group", async () => {
        await settled(
            new DatomicAccess("orders", {
                ...callerVpc,
                environmentStack: ALB_STACK,
                callerSecurityGroupIds: pulumi.output(["sg-0a", "sg-0b"]),
            }),
        );
        expect(
            recorder
                .ofType(INGRESS)
                .map((rule) => rule.inputs.referencedSecurityGroupId)
                .sort(),
        ).toEqual(["sg-0a", "sg-0b"]);
    });

    test("as an update, secret environment outputs stay secret: topology, path, endpoint, client environment", async () => {
        resetWorld(recorder, {
            fixtures: {
                stackReferences: { [NLB_STACK]: nlbEnvironment },
                secretStackOutputs: { [NLB_STACK]: ["topology", "endpointServiceName", "region"] },
                lookups: serviceLookups,
            },
            outputs: { [VPC_ENDPOINT]: { "*": vpcEndpointOutputs } },
        });
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: NLB_STACK,
            callerSecurityGroupIds: ["sg-0callers"],
            databaseName: "orders",
        });
        const outputs: pulumi.Output<unknown>[] = [access.topology, access.path, access.clientEnvironment];
        for (const output of outputs) {
            expect(await pulumi.isSecret(output)).toBe(true);
        }
        expect(await valueOf(access.path)).toBe("vpc-endpoint");
        await recorder.settle();
        // The endpoint service's name reaches the interface endpoint as a secret input (the plan hides it).
        expect(recorder.get(VPC_ENDPOINT, "orders-endpoint").inputs.serviceName).toEqual(
            new Secret(nlbEnvironment.endpointServiceName),
        );
    });

    test('"api-gateway" builds nothing and returns the Client API gateway URL', async () => {
        const out = await settled(
            new DatomicAccess("orders", { environmentStack: ALB_STACK, path: "api-gateway", databaseName: "orders" }),
        );
        expect(out).toMatchObject({ topology: "alb", path: "api-gateway" });
        expect(out.clientEnvironment).toEqual({
            DATOMIC_ENDPOINT: "https://q1w2e3r4t5.execute-api.us-east-1.amazonaws.com",
            DATOMIC_SYSTEM_NAME: "acme-dev",
            DATOMIC_REGION: "us-east-1",
            DATOMIC_DATABASE_NAME: "orders",
        });
        expect(customResources()).toEqual([]);
    });
});

describe("DatomicAccess refuses what the environment does not allow, naming path and topology", () => {
    beforeEach(() => world(environments));

    test.each<[string, Partial<DatomicAccessArgs>, string]>([
        [
            "an interface endpoint on alb",
            { environmentStack: ALB_STACK, path: "vpc-endpoint" },
            'path: "vpc-endpoint" needs the nlb topology, but acme/datomic/dev is alb: an alb system (884-9095 and later) has no VPC endpoint service; use "private", "vpc-peering", "api-gateway"',
        ],
        [
            "the Client API gateway on nlb",
            { environmentStack: NLB_STACK, path: "api-gateway" },
            'path: "api-gateway" needs the alb topology, but acme/datomic/stage is nlb',
        ],
        [
            "peering on nlb",
            { environmentStack: NLB_STACK, path: "vpc-peering" },
            'path: "vpc-peering" needs the alb topology, but acme/datomic/stage is nlb',
        ],
        [
            "peering without the caller's route tables",
            { environmentStack: ALB_STACK, routeTableIds: undefined },
            'routeTableIds: is required for path "vpc-peering" (the environment acme/datomic/dev is alb)',
        ],
        [
            "a private path without callers",
            { environmentStack: NLB_STACK, callerSecurityGroupIds: undefined },
            'callerSecurityGroupIds: path "vpc-endpoint" admits the callers on TCP 8182',
        ],
    ])("%s", async (_label, overrides, message) => {
        const messages = await failures(async () => {
            const access = new DatomicAccess("orders", {
                ...callerVpc,
                callerSecurityGroupIds: ["sg-0lambda"],
                environmentStack: ALB_STACK,
                ...overrides,
            });
            await expect(valueOf(access.path)).rejects.toThrow(message);
        });
        expect(messages).toContain(message);
        expect(customResources()).toEqual([]);
    });

    test("a path whose output the environment lacks fails naming the output", async () => {
        const withoutGateway = { ...albEnvironment };
        delete withoutGateway.clientApiGatewayEndpoint;
        world({ [ALB_STACK]: withoutGateway });
        const messages = await failures(async () => {
            const access = new DatomicAccess("orders", { environmentStack: ALB_STACK, path: "api-gateway" });
            await expect(valueOf(access.endpoint)).rejects.toThrow();
        });
        expect(messages).toContain(
            'path: "api-gateway" needs the output "clientApiGatewayEndpoint" of the environment acme/datomic/dev (topology alb), which it does not export',
        );
    });

    test("peering with an environment in another account points to DatomicPeeringAccepter", async () => {
        world({ [ALB_STACK]: { ...albEnvironment, accountId: "222222222222" } }, "444444444444");
        const messages = await failures(async () => {
            const access = new DatomicAccess("orders", {
                ...callerVpc,
                environmentStack: ALB_STACK,
                callerSecurityGroupIds: ["sg-0lambda"],
            });
            await expect(valueOf(access.endpoint)).rejects.toThrow();
        });
        expect(messages).toContain(
            "path: \"vpc-peering\" across accounts (this provider's 444444444444, the environment acme/datomic/dev's 222222222222) needs a provider in each",
        );
        expect(customResources()).toEqual([]);
    });

    test.each<[string, Partial<DatomicAccessArgs>, string]>([
        ["an unknown path", { path: "peering" }, 'path: "peering" is not an access path'],
        ["an empty stack", { environmentStack: " " }, 'environmentStack: " " is not a stack'],
        ["a public caller block", { callerCidrBlocks: ["0.0.0.0/0"] }, "callerCidrBlocks: "],
    ])("refuses %s before reading the environment", async (_label, overrides, message) => {
        expect(() => new DatomicAccess("bad", { ...callerVpc, environmentStack: ALB_STACK, ...overrides })).toThrow(
            message,
        );
        await recorder.settle();
        expect(recorder.ofType("pulumi:pulumi:StackReference")).toEqual([]);
    });
});

describe("DatomicAccess across program runs", () => {
    test("a second run against the same environment registers the same resources with the same inputs", async () => {
        const run = async () => {
            world(environments);
            await settled(
                new DatomicAccess("orders", {
                    ...callerVpc,
                    environmentStack: ALB_STACK,
                    callerSecurityGroupIds: ["sg-0lambda"],
                }),
            );
            return recorder.resources.map((resource) => [resource.urn, resource.inputs]);
        };
        expect(await run()).toEqual(await run());
    });

    test('"private" follows an environment upgraded from nlb to alb: the endpoint gives way to peering', async () => {
        const args = { ...callerVpc, environmentStack: NLB_STACK, callerSecurityGroupIds: ["sg-0lambda"] };
        world(environments);
        expect((await settled(new DatomicAccess("orders", args))).path).toBe("vpc-endpoint");
        world({ [NLB_STACK]: { ...albEnvironment, systemName: "acme-stage" } });
        const upgraded = await settled(new DatomicAccess("orders", args));
        expect(upgraded.path).toBe("vpc-peering");
        expect(recorder.ofType(VPC_ENDPOINT)).toEqual([]);
        expect(recorder.ofType(CONNECTION).map((connection) => connection.name)).toEqual(["orders-connection"]);
    });
});
