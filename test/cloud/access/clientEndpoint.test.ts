import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicClientEndpoint, DatomicClientEndpointArgs } from "../../../components/cloud/access/clientEndpoint";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
const REGIONAL_DNS = "vpce-0a1b2c3d4e5f60718-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com";

function world() {
    resetWorld(recorder, {
        outputs: {
            [VPC_ENDPOINT]: {
                "*": {
                    dnsEntries: [
                        {
                            dnsName: REGIONAL_DNS.replace("-abcdefgh.", "-abcdefgh-us-east-1a."),
                            hostedZoneId: "Z7HUB22UULQXV",
                        },
                        { dnsName: REGIONAL_DNS, hostedZoneId: "Z7HUB22UULQXV" },
                    ],
                },
            },
        },
    });
}

const base = {
    vpcId: "vpc-0service",
    subnetIds: ["subnet-0a", "subnet-0b"],
    endpointServiceName: SERVICE,
};

async function settled(endpoint: DatomicClientEndpoint) {
    const values = await valueOf(
        pulumi.all({
            dnsName: endpoint.dnsName,
            endpointUrl: endpoint.endpointUrl,
            securityGroupId: endpoint.securityGroupId,
            region: endpoint.region,
        }),
    );
    await recorder.settle();
    return values;
}

describe("DatomicClientEndpoint", () => {
    beforeEach(world);

    test("creates an interface endpoint and a group admitting TCP 8182 from the callers only", async () => {
        const endpoint = new DatomicClientEndpoint("datomic", {
            ...base,
            allowedSecurityGroupIds: ["sg-0lambda", pulumi.output("sg-0workers")],
            allowedCidrs: ["10.20.0.0/16", "2600:1f18:abc::/56"],
            tags: { team: "orders" },
        });
        const out = await settled(endpoint);

        const group = recorder.get(SECURITY_GROUP, "datomic-sg");
        expect(group.parent).toMatch(/datomic:cloud:ClientEndpoint::datomic$/);
        expect(group.inputs.vpcId).toBe("vpc-0service");
        expect(group.inputs.ingress).toEqual([
            {
                protocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                securityGroups: ["sg-0lambda", "sg-0workers"],
                description: "Datomic Client API from callers' groups",
            },
            {
                protocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                cidrBlocks: ["10.20.0.0/16"],
                description: "Datomic Client API (IPv4)",
            },
            {
                protocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                ipv6CidrBlocks: ["2600:1f18:abc::/56"],
                description: "Datomic Client API (IPv6)",
            },
        ]);
        expect(group.inputs.egress).toBeUndefined();

        const vpcEndpoint = recorder.get(VPC_ENDPOINT, "datomic-endpoint");
        expect(vpcEndpoint.inputs).toEqual({
            vpcId: "vpc-0service",
            serviceName: SERVICE,
            vpcEndpointType: "Interface",
            subnetIds: ["subnet-0a", "subnet-0b"],
            securityGroupIds: ["datomic-sg-id"],
            privateDnsEnabled: false,
            tags: { Name: "datomic", team: "orders" },
        });
        expect(out).toEqual({
            dnsName: REGIONAL_DNS,
            endpointUrl: `http://${REGIONAL_DNS}:8182`,
            securityGroupId: "datomic-sg-id",
            region: "us-east-1",
        });
    });

    test("clientEnvironment gives a Lambda function what a Datomic client needs", async () => {
        const endpoint = new DatomicClientEndpoint("env", { ...base, allowedSecurityGroupIds: ["sg-0lambda"] });
        const environment = await valueOf(pulumi.all(endpoint.clientEnvironment(pulumi.output("acme-prod"), "orders")));
        expect(environment).toEqual({
            DATOMIC_ENDPOINT: `http://${REGIONAL_DNS}:8182`,
            DATOMIC_SYSTEM_NAME: "acme-prod",
            DATOMIC_DATABASE_NAME: "orders",
            DATOMIC_REGION: "us-east-1",
        });
        await recorder.settle();
    });

    test("the region is looked up with the component's provider", async () => {
        // The recorder keeps lookups' tokens and inputs; the provider is read here from the invoke request.
        type InvokeRequest = { getTok(): string; getProvider(): string };
        const monitor = pulumi.runtime.getMonitor() as unknown as {
            invoke(req: InvokeRequest, callback: (...args: unknown[]) => void): void;
        };
        const invoke = monitor.invoke;
        const lookups: [string, string][] = [];
        monitor.invoke = (req, callback) => {
            lookups.push([req.getTok(), req.getProvider()]);
            invoke.call(monitor, req, callback);
        };
        try {
            const provider = new aws.Provider("west", { region: "us-west-2" });
            await settled(
                new DatomicClientEndpoint("west", { ...base, securityGroupIds: ["sg-0existing"] }, { provider }),
            );
            const providerUrn = recorder.get("pulumi:providers:aws", "west").urn;
            const regionLookups = lookups.filter(([token]) => token === "aws:index/getRegion:getRegion");
            expect(regionLookups).toHaveLength(1);
            expect(regionLookups[0][1]).toMatch(new RegExp(`^${providerUrn}::`));
            expect(recorder.get(VPC_ENDPOINT, "west-endpoint").provider).toMatch(new RegExp(`^${providerUrn}::`));
        } finally {
            monitor.invoke = invoke;
        }
    });

    test("uses given security groups as they are and creates none", async () => {
        const endpoint = new DatomicClientEndpoint("given", { ...base, securityGroupIds: ["sg-0existing"] });
        const out = await settled(endpoint);
        expect(recorder.ofType(SECURITY_GROUP)).toEqual([]);
        expect(recorder.get(VPC_ENDPOINT, "given-endpoint").inputs.securityGroupIds).toEqual(["sg-0existing"]);
        expect(out.securityGroupId).toBeUndefined();
    });

    test.each<[string, Partial<DatomicClientEndpointArgs>, string]>([
        [
            "neither groups nor callers",
            {},
            "securityGroupIds: give securityGroupIds, or the callers to allow (allowedSecurityGroupIds, allowedCidrs)",
        ],
        [
            "both groups and callers",
            { securityGroupIds: ["sg-0existing"], allowedCidrs: ["10.20.0.0/16"] },
            "securityGroupIds: give either securityGroupIds or the callers to allow (allowedSecurityGroupIds, allowedCidrs), not both",
        ],
        [
            "empty caller lists",
            { allowedSecurityGroupIds: [], allowedCidrs: [] },
            "allowedSecurityGroupIds: both it and allowedCidrs are empty, so no caller could connect",
        ],
        [
            "the whole internet",
            { allowedCidrs: ["10.20.0.0/16", "0.0.0.0/0"] },
            'allowedCidrs: "0.0.0.0/0" admits every address; list the callers\' networks, or set allowPublicCidrs: true to accept the risk',
        ],
        ["the whole IPv6 internet", { allowedCidrs: ["::/0"] }, 'allowedCidrs: "::/0" admits every address'],
        [
            "a malformed block",
            { allowedCidrs: ["10.20.0.1/16"] },
            'allowedCidrs: "10.20.0.1/16" has host bits set; did you mean 10.20.0.0/16?',
        ],
        [
            "the missing endpoint service of an alb system",
            { allowedCidrs: ["10.20.0.0/16"], endpointServiceName: undefined },
            "endpointServiceName: is undefined: the system has no VPC endpoint service. alb systems (884-9095 and later) have none; connect through the Client API gateway (clientApiGatewayEndpoint) or DatomicPeering",
        ],
        ["an empty VPC id", { allowedCidrs: ["10.20.0.0/16"], vpcId: "" }, "vpcId: is empty"],
        ["no subnets", { allowedCidrs: ["10.20.0.0/16"], subnetIds: [] }, "subnetIds: is empty"],
    ])("refuses %s at preview", async (_label, overrides, message) => {
        expect(() => new DatomicClientEndpoint("bad", { ...base, ...overrides })).toThrow(message);
        await recorder.settle();
        expect(recorder.resources.filter((resource) => resource.custom)).toEqual([]);
    });

    test("admits the whole internet when allowPublicCidrs is set", async () => {
        await settled(
            new DatomicClientEndpoint("public", { ...base, allowedCidrs: ["0.0.0.0/0"], allowPublicCidrs: true }),
        );
        expect(recorder.get(SECURITY_GROUP, "public-sg").inputs.ingress).toEqual([
            {
                protocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                cidrBlocks: ["0.0.0.0/0"],
                description: "Datomic Client API (IPv4)",
            },
        ]);
    });

    test("an endpoint service name known only at deploy time is checked then", async () => {
        const errors = await captureRejections(async () => {
            new DatomicClientEndpoint("late-service", {
                ...base,
                allowedCidrs: ["10.20.0.0/16"],
                endpointServiceName: pulumi.output<string | undefined>(undefined),
            });
            await recorder.settle();
        });
        expect(errors.map((error) => error.message).join("\n")).toContain("endpointServiceName: is undefined");
        expect(recorder.ofType(VPC_ENDPOINT)).toEqual([]);
    });

    test("callers known only at deploy time are checked then", async () => {
        const errors = await captureRejections(async () => {
            // The group's ingress fails, so the group (and the endpoint on it) is never registered.
            new DatomicClientEndpoint("late", { ...base, allowedCidrs: pulumi.output(["0.0.0.0/0"]) });
            await recorder.settle();
        });
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
            expect(error.message).toContain('allowedCidrs: "0.0.0.0/0" admits every address');
        }
        expect(recorder.ofType(SECURITY_GROUP)).toEqual([]);
        expect(recorder.ofType(VPC_ENDPOINT)).toEqual([]);
    });
});
