import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicPeering, DatomicPeeringArgs } from "../../../components/cloud/access/peering";
import { DatomicPeeringAccepter } from "../../../components/cloud/access/peeringAccepter";
import { RecordedResource } from "../../../plan/recorded";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const CONNECTION = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const ACCEPTER = "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter";
const OPTIONS = "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions";
const ROUTE = "aws:ec2/route:Route";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ZONE_ASSOCIATION = "aws:route53/zoneAssociation:ZoneAssociation";
const ZONE_AUTHORIZATION = "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization";

const DATOMIC_TABLES = ["rtb-0d1", "rtb-0d2", "rtb-0d3", "rtb-0d4", "rtb-0d5", "rtb-0d6"];
const PEER_TABLES = ["rtb-0p1", "rtb-0p2", "rtb-0p3", "rtb-0p4", "rtb-0p5", "rtb-0p6"];

const datomicSide = {
    datomicVpcId: "vpc-0datomic",
    datomicVpcCidrBlock: "10.213.0.0/16",
    datomicNodeSecurityGroupId: "sg-0nodes",
};

function sameAccount(overrides: Partial<DatomicPeeringArgs> = {}): DatomicPeeringArgs {
    return {
        ...datomicSide,
        datomicRouteTableIds: DATOMIC_TABLES.slice(0, 3),
        peerVpcId: "vpc-0service",
        peerVpcCidrBlocks: ["10.20.0.0/16"],
        peerRouteTableIds: PEER_TABLES.slice(0, 2),
        ...overrides,
    };
}

/** Recorded routes as "<route table> <destination> <peering connection>". */
function routes(): string[] {
    return recorder
        .ofType(ROUTE)
        .map(
            (route) =>
                `${route.inputs.routeTableId} ${route.inputs.destinationCidrBlock ?? route.inputs.destinationIpv6CidrBlock} ${route.inputs.vpcPeeringConnectionId}`,
        )
        .sort();
}

function expectedRoutes(tables: string[], destinations: string[], connection: string): string[] {
    return tables.flatMap((table) => destinations.map((block) => `${table} ${block} ${connection}`)).sort();
}

async function settle(...outputs: pulumi.Output<unknown>[]) {
    await Promise.all(outputs.map((output) => valueOf(output)));
    await recorder.settle();
}

function childrenOf(component: RecordedResource): RecordedResource[] {
    return recorder.resources.filter((resource) => resource.parent === component.urn);
}

describe("DatomicPeering in one account and region", () => {
    beforeEach(() => resetWorld(recorder));

    test("list arguments take items that are Outputs, as ids created in the same program are", async () => {
        const peering = new DatomicPeering(
            "lists",
            sameAccount({
                datomicRouteTableIds: [pulumi.output("rtb-0d1"), "rtb-0d2"],
                peerVpcCidrBlocks: [pulumi.output("10.20.0.0/16")],
                peerRouteTableIds: [pulumi.output("rtb-0p1")],
                ingress: [{ direction: "peer-to-datomic", cidrBlocks: [pulumi.output("10.20.1.0/24")] }],
            }),
        );
        await settle(peering.datomicRouteIds, peering.peerRouteIds, peering.ingressRuleIds);
        expect(routes()).toEqual(
            [
                ...expectedRoutes(["rtb-0d1", "rtb-0d2"], ["10.20.0.0/16"], "lists-connection-id"),
                ...expectedRoutes(["rtb-0p1"], ["10.213.0.0/16"], "lists-connection-id"),
            ].sort(),
        );
        expect(recorder.ofType(INGRESS).map((rule) => rule.inputs.cidrIpv4)).toEqual(["10.20.1.0/24"]);
    });

    test("requests and accepts the connection, with DNS resolution on both sides", async () => {
        const peering = new DatomicPeering("redis", sameAccount({ tags: { team: "orders" } }));
        await settle(peering.peeringConnectionId, peering.datomicRouteIds, peering.peerRouteIds);

        const [connection] = recorder.ofType(CONNECTION);
        expect(connection.name).toBe("redis-connection");
        expect(connection.inputs).toEqual({
            vpcId: "vpc-0datomic",
            peerVpcId: "vpc-0service",
            autoAccept: true,
            tags: { Name: "redis", team: "orders" },
        });
        expect(connection.parent).toMatch(/datomic:cloud:Peering::redis$/);
        expect(recorder.ofType(OPTIONS).map((options) => [options.name, options.inputs])).toEqual([
            [
                "redis-dns",
                {
                    vpcPeeringConnectionId: "redis-connection-id",
                    requester: { allowRemoteVpcDnsResolution: true },
                    accepter: { allowRemoteVpcDnsResolution: true },
                },
            ],
        ]);
        expect(await valueOf(peering.peeringConnectionId)).toBe("redis-connection-id");
    });

    test.each([1, 3, 6])("routes every route table to the other side's blocks, %i tables a side", async (count) => {
        const peerBlocks = ["10.20.0.0/16", "10.21.0.0/16", "2600:1f18:abc::/56"];
        const peering = new DatomicPeering(
            `rt${count}`,
            sameAccount({
                datomicRouteTableIds: DATOMIC_TABLES.slice(0, count),
                peerRouteTableIds: PEER_TABLES.slice(0, count),
                peerVpcCidrBlocks: peerBlocks,
            }),
        );
        await settle(peering.datomicRouteIds, peering.peerRouteIds);

        const connection = `rt${count}-connection-id`;
        expect(routes()).toEqual(
            [
                ...expectedRoutes(DATOMIC_TABLES.slice(0, count), peerBlocks, connection),
                ...expectedRoutes(PEER_TABLES.slice(0, count), ["10.213.0.0/16"], connection),
            ].sort(),
        );
        expect(await valueOf(peering.datomicRouteIds)).toHaveLength(count * 3);
        expect(await valueOf(peering.peerRouteIds)).toHaveLength(count);
        const ipv6 = recorder.ofType(ROUTE).filter((route) => route.inputs.destinationIpv6CidrBlock !== undefined);
        expect(ipv6).toHaveLength(count);
        expect(ipv6.every((route) => route.inputs.destinationCidrBlock === undefined)).toBe(true);
    });

    test("routes from outputs are named after the route table and block, so reordering keeps them", async () => {
        const names = async (tables: string[], blocks: string[]) => {
            resetWorld(recorder);
            const peering = new DatomicPeering(
                "svc",
                sameAccount({
                    datomicRouteTableIds: pulumi.output(tables),
                    datomicVpcCidrBlock: pulumi.output("10.213.0.0/16"),
                    peerVpcCidrBlocks: pulumi.output(blocks),
                }),
            );
            await settle(peering.datomicRouteIds, peering.peerRouteIds);
            return recorder.ofType(ROUTE).map((route) => route.name);
        };
        const before = await names(["rtb-0d1", "rtb-0d2"], ["10.20.0.0/16"]);
        expect(before.sort()).toEqual([
            "svc-datomic-route-rtb-0d1-10-20-0-0-16",
            "svc-datomic-route-rtb-0d2-10-20-0-0-16",
            "svc-peer-route-rtb-0p1-10-213-0-0-16",
            "svc-peer-route-rtb-0p2-10-213-0-0-16",
        ]);
        const after = await names(["rtb-0d3", "rtb-0d2", "rtb-0d1"], ["10.30.0.0/20", "10.20.0.0/16"]);
        expect(after).toEqual(expect.arrayContaining(before));
        expect(after).toHaveLength(8);
    });

    test("opens the peer's Redis to the Datomic nodes and the Client API to peer callers", async () => {
        const peering = new DatomicPeering(
            "svc",
            sameAccount({
                ingress: [
                    { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: "sg-0redis" },
                    {
                        direction: "peer-to-datomic",
                        peerSecurityGroupId: "sg-0api",
                        cidrBlocks: ["10.20.4.0/24", "2600:1f18:abc:1::/64"],
                        description: "orders API to Datomic",
                    },
                ],
                tags: { team: "orders" },
            }),
        );
        await settle(peering.ingressRuleIds);

        // A group in the other VPC can only be referenced once the connection is active.
        const connection = recorder.get(CONNECTION, "svc-connection").urn;
        for (const rule of recorder.ofType(INGRESS).filter((r) => r.inputs.referencedSecurityGroupId)) {
            expect(rule.dependencies).toContain(connection);
        }
        const rules = Object.fromEntries(recorder.ofType(INGRESS).map((rule) => [rule.name, rule.inputs]));
        expect(rules).toEqual({
            "svc-ingress-to-peer-tcp-6379-sg-0redis-group": {
                securityGroupId: "sg-0redis",
                referencedSecurityGroupId: "sg-0nodes",
                ipProtocol: "tcp",
                fromPort: 6379,
                toPort: 6379,
                description: "TCP 6379 from the Datomic nodes over VPC peering",
                tags: { team: "orders" },
            },
            "svc-ingress-to-datomic-tcp-8182-sg-0api-group": {
                securityGroupId: "sg-0nodes",
                referencedSecurityGroupId: "sg-0api",
                ipProtocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                description: "orders API to Datomic",
                tags: { team: "orders" },
            },
            "svc-ingress-to-datomic-tcp-8182-sg-0api-10-20-4-0-24": {
                securityGroupId: "sg-0nodes",
                cidrIpv4: "10.20.4.0/24",
                ipProtocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                description: "orders API to Datomic",
                tags: { team: "orders" },
            },
            "svc-ingress-to-datomic-tcp-8182-sg-0api-2600-1f18-abc-1-64": {
                securityGroupId: "sg-0nodes",
                cidrIpv6: "2600:1f18:abc:1::/64",
                ipProtocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                description: "orders API to Datomic",
                tags: { team: "orders" },
            },
        });
        expect((await valueOf(peering.ingressRuleIds)).sort()).toEqual(
            Object.keys(rules)
                .map((name) => `${name}-id`)
                .sort(),
        );
    });

    test("associates the peer VPC with Datomic's private hosted zone", async () => {
        const peering = new DatomicPeering("alb", sameAccount({ privateHostedZoneId: "Z0DATOMIC" }));
        await settle(peering.privateHostedZoneId);
        expect(recorder.get(ZONE_ASSOCIATION, "alb-zone").inputs).toEqual({
            zoneId: "Z0DATOMIC",
            vpcId: "vpc-0service",
        });
        expect(recorder.ofType(ZONE_AUTHORIZATION)).toEqual([]);
        expect(await valueOf(peering.privateHostedZoneId)).toBe("Z0DATOMIC");
    });

    test("remoteDnsResolution: false leaves the DNS options alone", async () => {
        const peering = new DatomicPeering("nodns", sameAccount({ remoteDnsResolution: false }));
        await settle(peering.peeringConnectionId);
        expect(recorder.ofType(OPTIONS)).toEqual([]);
    });
});

describe("DatomicPeering's argument checks", () => {
    beforeEach(() => resetWorld(recorder));

    test.each<[string, Partial<DatomicPeeringArgs>, string]>([
        [
            "a peer block overlapping the Datomic VPC",
            { peerVpcCidrBlocks: ["10.20.0.0/16", "10.213.128.0/17"] },
            'peerVpcCidrBlocks: "10.213.128.0/17" overlaps datomicVpcCidrBlock "10.213.0.0/16"; AWS cannot peer VPCs whose address spaces overlap',
        ],
        [
            "an invalid peer block",
            { peerVpcCidrBlocks: ["10.20.0.0/33"] },
            'peerVpcCidrBlocks: "10.20.0.0/33" is not a CIDR block',
        ],
        [
            "an invalid Datomic block",
            { datomicVpcCidrBlock: "10.213.0.1/16" },
            'datomicVpcCidrBlock: "10.213.0.1/16" has host bits set; did you mean 10.213.0.0/16?',
        ],
        [
            "a public caller",
            { ingress: [{ direction: "peer-to-datomic", cidrBlocks: ["0.0.0.0/0"] }] },
            'ingress[0].cidrBlocks: "0.0.0.0/0" admits every address; list the callers\' networks, or set allowPublicIngress: true',
        ],
        [
            "an unknown direction",
            { ingress: [{ direction: "inbound", port: 6379 }] },
            'ingress[0].direction: "inbound" is not a direction; use "datomic-to-peer" or "peer-to-datomic"',
        ],
        [
            "a datomic-to-peer rule without a port",
            { ingress: [{ direction: "datomic-to-peer", peerSecurityGroupId: "sg-0redis" }] },
            "ingress[0].port: is required for datomic-to-peer rules",
        ],
        [
            "a port out of range",
            { ingress: [{ direction: "datomic-to-peer", port: 70000, peerSecurityGroupId: "sg-0redis" }] },
            "ingress[0].port: 70000 is not a port (a whole number from 1 to 65535)",
        ],
        [
            "a protocol other than tcp or udp",
            { ingress: [{ direction: "peer-to-datomic", protocol: "icmp", cidrBlocks: ["10.20.0.0/16"] }] },
            'ingress[0].protocol: "icmp" is not supported; use "tcp" or "udp"',
        ],
        [
            "a datomic-to-peer rule without the peer group",
            { ingress: [{ direction: "datomic-to-peer", port: 6379 }] },
            "ingress[0].peerSecurityGroupId: is required for datomic-to-peer rules",
        ],
        [
            "a peer-to-datomic rule without callers",
            { ingress: [{ direction: "peer-to-datomic" }] },
            "ingress[0]: a peer-to-datomic rule needs the callers: peerSecurityGroupId, cidrBlocks or both",
        ],
        [
            "a rule on the nodes without their group",
            {
                datomicNodeSecurityGroupId: undefined,
                ingress: [{ direction: "peer-to-datomic", cidrBlocks: ["10.20.0.0/16"] }],
            },
            "datomicNodeSecurityGroupId: is required by ingress[0]",
        ],
        [
            "the same rule twice",
            {
                ingress: [
                    { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: "sg-0redis" },
                    { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: "sg-0redis" },
                ],
            },
            'ingress[1]: opens the same rule as ingress[0] ("dup-ingress-to-peer-tcp-6379-sg-0redis-group")',
        ],
        [
            "no peer route tables for a peer accepted here",
            { peerRouteTableIds: undefined },
            "peerRouteTableIds: is required when the peer VPC is in this account and region",
        ],
    ])("refuses %s at preview, before creating anything", async (_label, overrides, message) => {
        expect(() => new DatomicPeering("dup", sameAccount(overrides))).toThrow(message);
        await recorder.settle();
        expect(recorder.resources.filter((resource) => resource.custom)).toEqual([]);
    });

    test("a public caller is admitted when allowPublicIngress is set", async () => {
        const peering = new DatomicPeering(
            "public",
            sameAccount({
                allowPublicIngress: true,
                ingress: [{ direction: "peer-to-datomic", cidrBlocks: ["0.0.0.0/0", "::/0"] }],
            }),
        );
        await settle(peering.ingressRuleIds);
        expect(recorder.ofType(INGRESS).map((rule) => rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6)).toEqual([
            "0.0.0.0/0",
            "::/0",
        ]);
    });

    test("rules with unnamed output groups must be told apart by name", async () => {
        const redis = pulumi.output("sg-0redis");
        const cache = pulumi.output("sg-0cache");
        expect(
            () =>
                new DatomicPeering(
                    "groups",
                    sameAccount({
                        ingress: [
                            { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: redis },
                            { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: cache },
                        ],
                    }),
                ),
        ).toThrow('ingress[1]: opens the same rule as ingress[0] ("groups-ingress-to-peer-tcp-6379-group")');

        resetWorld(recorder);
        const named = new DatomicPeering(
            "groups",
            sameAccount({
                ingress: [
                    { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: redis, name: "redis" },
                    { direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: cache, name: "cache" },
                ],
            }),
        );
        await settle(named.ingressRuleIds);
        expect(
            recorder.ofType(INGRESS).map((rule) => [rule.name, rule.inputs.securityGroupId, rule.inputs.fromPort]),
        ).toEqual([
            ["groups-ingress-redis-group", "sg-0redis", 6379],
            ["groups-ingress-cache-group", "sg-0cache", 6379],
        ]);
    });

    test("blocks known only at deploy time are checked then, and nothing is peered or routed", async () => {
        const errors = await captureRejections(async () => {
            const peering = new DatomicPeering(
                "late",
                sameAccount({
                    datomicVpcCidrBlock: pulumi.output("10.213.0.0/16"),
                    peerVpcCidrBlocks: pulumi.output(["10.213.64.0/18"]),
                }),
            );
            await expect(valueOf(peering.datomicRouteIds)).rejects.toThrow(
                'peerVpcCidrBlocks: "10.213.64.0/18" overlaps datomicVpcCidrBlock "10.213.0.0/16"',
            );
            await recorder.settle();
        });
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
            expect(error.message).toContain('"10.213.64.0/18" overlaps datomicVpcCidrBlock "10.213.0.0/16"');
        }
        expect(recorder.ofType(CONNECTION)).toEqual([]);
        expect(recorder.ofType(ROUTE)).toEqual([]);
    });

    test("a public caller known only at deploy time is refused then", async () => {
        const errors = await captureRejections(async () => {
            const peering = new DatomicPeering(
                "latepublic",
                sameAccount({ ingress: [{ direction: "peer-to-datomic", cidrBlocks: pulumi.output(["0.0.0.0/0"]) }] }),
            );
            await expect(valueOf(peering.ingressRuleIds)).rejects.toThrow(
                'ingress[0].cidrBlocks: "0.0.0.0/0" admits every address',
            );
            await recorder.settle();
        });
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
            expect(error.message).toContain("admits every address");
        }
        expect(recorder.ofType(INGRESS)).toEqual([]);
    });
});

describe("DatomicPeering with a peer in another account", () => {
    beforeEach(() => resetWorld(recorder));

    const crossAccount = (overrides: Partial<DatomicPeeringArgs> = {}): DatomicPeeringArgs => ({
        ...sameAccount({ peerRouteTableIds: undefined }),
        peerOwnerId: "222222222222",
        ...overrides,
    });

    test("is the requester side only: no auto-accept, no peer routes, the zone authorized for the peer", async () => {
        const peering = new DatomicPeering(
            "xacct",
            crossAccount({
                privateHostedZoneId: "Z0DATOMIC",
                ingress: [{ direction: "peer-to-datomic", cidrBlocks: ["10.20.4.0/24"] }],
            }),
        );
        await settle(peering.datomicRouteIds, peering.peerRouteIds, peering.ingressRuleIds);

        expect(recorder.ofType(CONNECTION)[0].inputs).toEqual({
            vpcId: "vpc-0datomic",
            peerVpcId: "vpc-0service",
            peerOwnerId: "222222222222",
            tags: { Name: "xacct" },
        });
        expect(recorder.ofType(OPTIONS)).toEqual([]);
        expect(routes()).toEqual(expectedRoutes(DATOMIC_TABLES.slice(0, 3), ["10.20.0.0/16"], "xacct-connection-id"));
        expect(await valueOf(peering.peerRouteIds)).toEqual([]);
        expect(recorder.get(ZONE_AUTHORIZATION, "xacct-zone-authorization").inputs).toEqual({
            zoneId: "Z0DATOMIC",
            vpcId: "vpc-0service",
        });
        expect(recorder.ofType(ZONE_ASSOCIATION)).toEqual([]);
        expect(recorder.ofType(INGRESS).map((rule) => [rule.inputs.securityGroupId, rule.inputs.cidrIpv4])).toEqual([
            ["sg-0nodes", "10.20.4.0/24"],
        ]);
    });

    test("references a peer group only once the peer has accepted", () => {
        expect(
            () =>
                new DatomicPeering(
                    "early",
                    crossAccount({ ingress: [{ direction: "peer-to-datomic", peerSecurityGroupId: "sg-0api" }] }),
                ),
        ).toThrow(
            "ingress[0]: a security group across the peering can only be referenced once the peer has accepted; " +
                "pass the accepter's peeringConnectionId as acceptedPeeringConnectionId, or use cidrBlocks",
        );
    });

    test.each<[string, Partial<DatomicPeeringArgs>, string]>([
        [
            "peer route tables",
            { peerRouteTableIds: ["rtb-0p1"] },
            "peerRouteTableIds: the peer's route tables are in another account or region; give them to DatomicPeeringAccepter",
        ],
        [
            "rules on the peer's groups",
            { ingress: [{ direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: "sg-0redis" }] },
            "ingress[0].direction: datomic-to-peer rules open a security group in the peer's account or region; give them to DatomicPeeringAccepter",
        ],
    ])("leaves %s to the accepter", (_label, overrides, message) => {
        expect(() => new DatomicPeering("xacct", crossAccount(overrides))).toThrow(message);
    });

    test("refuses security group references across regions", () => {
        expect(
            () =>
                new DatomicPeering(
                    "xregion",
                    crossAccount({
                        peerOwnerId: undefined,
                        peerRegion: "eu-west-1",
                        ingress: [{ direction: "peer-to-datomic", peerSecurityGroupId: "sg-0api" }],
                    }),
                ),
        ).toThrow(
            "ingress[0].peerSecurityGroupId: security groups cannot be referenced across regions; use cidrBlocks",
        );
    });

    test("the accepter, with the peer account's provider, accepts, routes, opens and associates", async () => {
        const datomicAccount = new aws.Provider("datomic-account", { region: "us-east-1" });
        const serviceAccount = new aws.Provider("service-account", { region: "us-east-1" });
        const [accepted, resolveAccepted] = pulumi.deferredOutput<string>();
        const peering = new DatomicPeering(
            "orders",
            crossAccount({
                privateHostedZoneId: "Z0DATOMIC",
                acceptedPeeringConnectionId: accepted,
                ingress: [{ direction: "peer-to-datomic", peerSecurityGroupId: "sg-0api" }],
            }),
            { provider: datomicAccount },
        );
        const accepter = new DatomicPeeringAccepter(
            "orders",
            {
                peeringConnectionId: peering.peeringConnectionId,
                datomicVpcCidrBlock: "10.213.0.0/16",
                peerVpcCidrBlocks: ["10.20.0.0/16"],
                peerRouteTableIds: PEER_TABLES.slice(0, 3),
                datomicNodeSecurityGroupId: "111111111111/sg-0nodes",
                ingress: [{ direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: "sg-0redis" }],
                privateHostedZoneId: peering.privateHostedZoneId,
                peerVpcId: "vpc-0service",
            },
            { provider: serviceAccount },
        );
        resolveAccepted(accepter.peeringConnectionId);
        await settle(
            accepter.peerRouteIds,
            accepter.ingressRuleIds,
            accepter.zoneAssociationId,
            peering.datomicRouteIds,
        );

        const accepterComponent = recorder.get("datomic:cloud:PeeringAccepter", "orders");
        const peeringComponent = recorder.get("datomic:cloud:Peering", "orders");
        const serviceUrn = recorder.get("pulumi:providers:aws", "service-account").urn;
        const datomicUrn = recorder.get("pulumi:providers:aws", "datomic-account").urn;
        const accepterChildren = childrenOf(accepterComponent);
        expect(accepterChildren.map((child) => child.type).sort()).toEqual(
            [ACCEPTER, OPTIONS, ROUTE, ROUTE, ROUTE, INGRESS, ZONE_ASSOCIATION].sort(),
        );
        for (const child of accepterChildren) {
            expect(child.provider).toMatch(new RegExp(`^${escape(serviceUrn)}::`));
        }
        for (const child of childrenOf(peeringComponent)) {
            expect(child.provider).toMatch(new RegExp(`^${escape(datomicUrn)}::`));
        }

        expect(recorder.get(ACCEPTER, "orders-accepter").inputs).toEqual({
            vpcPeeringConnectionId: "orders-connection-id",
            autoAccept: true,
            tags: { Name: "orders" },
        });
        expect(recorder.get(OPTIONS, "orders-accepter-dns").inputs).toEqual({
            vpcPeeringConnectionId: "orders-accepter-id",
            accepter: { allowRemoteVpcDnsResolution: true },
        });
        // The Datomic side's DNS option waits for the acceptance, through the accepter's output.
        const requesterDns = recorder.get(OPTIONS, "orders-requester-dns");
        expect(requesterDns.inputs).toEqual({
            vpcPeeringConnectionId: "orders-accepter-id",
            requester: { allowRemoteVpcDnsResolution: true },
        });
        expect(requesterDns.dependencies).toContain(recorder.get(ACCEPTER, "orders-accepter").urn);
        expect(routes()).toEqual(
            [
                ...expectedRoutes(DATOMIC_TABLES.slice(0, 3), ["10.20.0.0/16"], "orders-connection-id"),
                ...expectedRoutes(PEER_TABLES.slice(0, 3), ["10.213.0.0/16"], "orders-accepter-id"),
            ].sort(),
        );
        // Group references wait for the acceptance, on both sides; a group in another account is <account>/<group>.
        const accepterUrn = recorder.get(ACCEPTER, "orders-accepter").urn;
        const toPeer = recorder.get(INGRESS, "orders-ingress-to-peer-tcp-6379-sg-0redis-group");
        expect(toPeer.inputs).toMatchObject({
            securityGroupId: "sg-0redis",
            referencedSecurityGroupId: "111111111111/sg-0nodes",
            fromPort: 6379,
        });
        expect(toPeer.dependencies).toContain(accepterUrn);
        const toDatomic = recorder.get(INGRESS, "orders-ingress-to-datomic-tcp-8182-sg-0api-group");
        expect(toDatomic.inputs).toMatchObject({
            securityGroupId: "sg-0nodes",
            referencedSecurityGroupId: "222222222222/sg-0api",
            fromPort: 8182,
        });
        expect(toDatomic.dependencies).toContain(accepterUrn);
        expect(toDatomic.parent).toBe(peeringComponent.urn);
        const association = recorder.get(ZONE_ASSOCIATION, "orders-zone");
        expect(association.inputs).toEqual({ zoneId: "Z0DATOMIC", vpcId: "vpc-0service" });
        expect(association.dependencies).toContain(recorder.get(ZONE_AUTHORIZATION, "orders-zone-authorization").urn);
    });

    test("the accepter refuses rules on the Datomic nodes and an overlapping address space", () => {
        const base = {
            peeringConnectionId: "pcx-0123",
            datomicVpcCidrBlock: "10.213.0.0/16",
            peerRouteTableIds: ["rtb-0p1"],
        };
        expect(
            () =>
                new DatomicPeeringAccepter("a1", {
                    ...base,
                    ingress: [{ direction: "peer-to-datomic", cidrBlocks: ["10.20.0.0/16"] }],
                }),
        ).toThrow(
            "ingress[0].direction: peer-to-datomic rules open the Datomic nodes' security group; give them to DatomicPeering",
        );
        expect(() => new DatomicPeeringAccepter("a2", { ...base, peerVpcCidrBlocks: ["10.213.0.0/20"] })).toThrow(
            'peerVpcCidrBlocks: "10.213.0.0/20" overlaps datomicVpcCidrBlock "10.213.0.0/16"',
        );
        expect(() => new DatomicPeeringAccepter("a3", { ...base, datomicVpcCidrBlock: "10.213.0.0" })).toThrow(
            'datomicVpcCidrBlock: "10.213.0.0" is not a CIDR block',
        );
        expect(() => new DatomicPeeringAccepter("a4", { ...base, privateHostedZoneId: "Z0DATOMIC" })).toThrow(
            "peerVpcId: is required with privateHostedZoneId",
        );
    });
});

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
