import * as pulumi from "@pulumi/pulumi";
import { DatomicCloudSystem, DatomicCloudSystemArgs } from "../../../components/cloud/system/system";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import {
    adoptedSystemLookups,
    albCompute,
    albStorage,
    DATOMIC_SUBNETS,
    nlbCompute,
    nlbStorage,
    StackFixture,
} from "../../fixtures/cloudStacks";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ENDPOINT_SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";

function adopt(
    system: string,
    storage: StackFixture,
    compute: StackFixture,
    extra: Partial<Parameters<typeof adoptedSystemLookups>[0]> = {},
) {
    resetWorld(recorder, { fixtures: { lookups: adoptedSystemLookups({ system, storage, compute, ...extra }) } });
}

async function settled(system: DatomicCloudSystem) {
    const values = await valueOf(pulumi.output(system.contractOutputs()));
    await recorder.settle();
    return values;
}

describe("DatomicCloudSystem, adopting an nlb system", () => {
    const system = "acme-prod";
    const storage = nlbStorage(system);
    const compute = nlbCompute(system);

    test("publishes every contract output from the right stack output key", async () => {
        adopt(system, storage, compute, { routeTableIds: ["rtb-01", "rtb-02", "rtb-03"] });
        const component = new DatomicCloudSystem("datomic", { systemName: system, topology: "nlb" });
        const out = await settled(component);

        expect(out).toEqual({
            flavor: "cloud",
            region: "us-east-1",
            accountId: "111111111111",
            systemName: system,
            topology: "nlb",
            vpcId: storage.outputs.VpcId,
            vpcCidrBlock: "10.213.0.0/16",
            subnetCidrBlocks: [
                storage.outputs.Subnet0CidrBlock,
                storage.outputs.Subnet1CidrBlock,
                storage.outputs.Subnet2CidrBlock,
            ],
            routeTableIds: ["rtb-01", "rtb-02", "rtb-03"],
            nodeSecurityGroupId: compute.outputs.NodeSecurityGroup,
            bastionSecurityGroupId: compute.outputs.BastionSecurityGroup,
            lambdaSecurityGroupId: compute.outputs.LambdaSecurityGroup,
            appsSecurityGroupId: storage.outputs.AppsSecurityGroup,
            loadBalancerArn: compute.outputs.LoadBalancer,
            loadBalancerName: compute.outputs.LoadBalancerName,
            httpDirectEndpoint: compute.outputs.LoadBalancerHttpDirectEndpoint,
            // An adopted system's NLB usually has the endpoint service its owners made: none by default.
            endpointServiceName: undefined,
            // An nlb release has no Datomic-managed API gateways.
            clientApiGatewayEndpoint: undefined,
            ionApiGatewayEndpoint: undefined,
            // In the order of their Name tags, with the zone ids another account can match.
            subnetIds: DATOMIC_SUBNETS.map((subnet) => subnet.id),
            availabilityZoneIds: ["use1-az1", "use1-az2", "use1-az4"],
            privateHostedZoneName: undefined,
            privateHostedZoneId: undefined,
            clientEndpoint: "http://entry.acme-prod.us-east-1.datomic.net:8182",
            codeDeployApplicationName: compute.outputs.CodeDeployApplicationName,
            codeBucketArn: compute.outputs.DatomicCodeBucketArn,
            keyName: compute.parameters.KeyName,
            storageArn: storage.outputs.S3DatomicArn,
        });
    });

    test("reads the storage and compute stacks by name and the route tables by the Datomic tag", async () => {
        adopt(system, storage, compute, { storageStackName: "datomic-storage", computeStackName: "datomic-primary" });
        await settled(
            new DatomicCloudSystem("named", {
                systemName: system,
                topology: "nlb",
                storageStackName: "datomic-storage",
                computeStackName: "datomic-primary",
            }),
        );
        const stackNames = recorder.callsTo("aws:cloudformation/getStack:getStack").map((call) => call.inputs.name);
        expect(stackNames.sort()).toEqual(["datomic-primary", "datomic-storage"]);
        expect(recorder.callsTo("aws:ec2/getRouteTables:getRouteTables")[0].inputs).toEqual({
            vpcId: storage.outputs.VpcId,
            filters: [{ name: "tag:Name", values: ["datomic-acme-prod"] }],
        });
        expect(recorder.callsTo("aws:ec2/getVpc:getVpc")[0].inputs).toEqual({ id: storage.outputs.VpcId });
    });

    test("creates no endpoint service by default: the NLB may have one already, and takes only one", async () => {
        adopt(system, storage, compute);
        const out = await settled(new DatomicCloudSystem("default", { systemName: system, topology: "nlb" }));
        expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
        expect(out.endpointServiceName).toBeUndefined();
    });

    test("creates a VPC endpoint service on the compute load balancer when asked", async () => {
        adopt(system, storage, compute);
        await settled(
            new DatomicCloudSystem("svc", {
                systemName: system,
                topology: "nlb",
                endpointService: "create",
                endpointServiceAllowedPrincipals: ["arn:aws:iam::222222222222:root"],
            }),
        );
        const [service] = recorder.ofType(ENDPOINT_SERVICE);
        expect(service.name).toBe("svc-endpoint-service");
        expect(service.inputs).toMatchObject({
            networkLoadBalancerArns: [compute.outputs.LoadBalancer],
            acceptanceRequired: false,
            allowedPrincipals: ["arn:aws:iam::222222222222:root"],
            tags: { Name: "datomic-acme-prod" },
        });
        expect(service.importId).toBeUndefined();
        expect(service.parent).toMatch(/datomic:cloud:System::svc$/);
    });

    test("adopts the endpoint service made by hand by importing it by id, and never deletes it", async () => {
        adopt(system, storage, compute);
        const out = await settled(
            new DatomicCloudSystem("adopted", {
                systemName: system,
                topology: "nlb",
                endpointService: "adopt",
                endpointServiceId: "vpce-svc-0a1b2c3d4e5f60718",
                endpointServiceAcceptanceRequired: true,
            }),
        );
        const [service] = recorder.ofType(ENDPOINT_SERVICE);
        expect(service.importId).toBe("vpce-svc-0a1b2c3d4e5f60718");
        expect(service.retainOnDelete).toBe(true);
        expect(service.inputs).toEqual({
            networkLoadBalancerArns: [compute.outputs.LoadBalancer],
            acceptanceRequired: true,
        });
        expect(out.endpointServiceName).toBe("com.amazonaws.vpce.us-east-1.vpce-svc-adopted-endpoint-service");
    });

    test.each<[string, Partial<DatomicCloudSystemArgs>, string]>([
        ["an unknown choice", { endpointService: "import" }, 'endpointService: "import" is not a choice'],
        [
            "adopt without an id",
            { endpointService: "adopt" },
            "endpointServiceId: undefined is not a VPC endpoint service id",
        ],
        [
            "an id without adopt",
            { endpointService: "create", endpointServiceId: "vpce-svc-0a1b" },
            'endpointServiceId: only applies with endpointService "adopt" (it is "create")',
        ],
        [
            "an endpoint service on alb",
            { topology: "alb", endpointService: "create" },
            '"create" needs the nlb topology',
        ],
    ])("refuses %s", (_label, extra, message) => {
        adopt(system, storage, compute);
        expect(() => new DatomicCloudSystem("bad", { systemName: system, topology: "nlb", ...extra })).toThrow(message);
    });

    describe("endpoint service permissions", () => {
        const PUBLIC_REFUSED =
            'endpointServiceAllowedPrincipals: ["*"] lets every AWS account connect, and with endpointServiceAcceptanceRequired false each connection is approved at once';

        test('refuses ["*"] without acceptance, at construction', () => {
            adopt(system, storage, compute);
            expect(
                () =>
                    new DatomicCloudSystem("public", {
                        systemName: system,
                        topology: "nlb",
                        endpointService: "create",
                        endpointServiceAllowedPrincipals: ["arn:aws:iam::222222222222:root", "*"],
                    }),
            ).toThrow(PUBLIC_REFUSED);
            expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
        });

        test('refuses ["*"] known only at deploy time, and registers no endpoint service', async () => {
            adopt(system, storage, compute);
            const errors = await captureRejections(async () => {
                new DatomicCloudSystem("late", {
                    systemName: system,
                    topology: "nlb",
                    endpointService: "create",
                    endpointServiceAllowedPrincipals: pulumi.output(["*"]),
                    endpointServiceAcceptanceRequired: pulumi.output(false),
                });
                await recorder.settle();
            });
            expect(errors.length).toBeGreaterThan(0);
            for (const error of errors) {
                expect(error.message).toContain(
                    PUBLIC_REFUSED +
                        "; list the accounts' principals (arn:aws:iam::<account>:root) or set endpointServiceAcceptanceRequired: true to approve each connection by hand",
                );
            }
            expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
        });

        test('accepts ["*"] when every connection must be accepted', async () => {
            adopt(system, storage, compute);
            await settled(
                new DatomicCloudSystem("accepted", {
                    systemName: system,
                    topology: "nlb",
                    endpointService: "create",
                    endpointServiceAllowedPrincipals: ["*"],
                    endpointServiceAcceptanceRequired: true,
                }),
            );
            const [service] = recorder.ofType(ENDPOINT_SERVICE);
            expect(service.inputs).toMatchObject({ acceptanceRequired: true, allowedPrincipals: ["*"] });
        });
    });

    test("a missing LoadBalancer output fails naming the compute stack and the key", async () => {
        const { LoadBalancer: _omitted, ...withoutLoadBalancer } = compute.outputs;
        adopt(system, storage, { ...compute, outputs: withoutLoadBalancer });
        const errors = await captureRejections(async () => {
            const component = new DatomicCloudSystem("nolb", {
                systemName: system,
                topology: "nlb",
                endpointService: "create",
            });
            await expect(valueOf(component.loadBalancerArn)).rejects.toThrow(
                /Datomic primary compute stack "acme-prod-compute" has no output "LoadBalancer", which the nlb topology's VPC endpoint service needs. Its outputs are: BastionSecurityGroup, /,
            );
            await recorder.settle();
        });
        // The endpoint service cannot be registered, which fails the deployment with the same message.
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
            expect(error.message).toContain('has no output "LoadBalancer"');
        }
        expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
    });

    describe("bastion access", () => {
        test("adds one TCP 22 rule per CIDR to the bastion security group", async () => {
            adopt(system, storage, compute);
            await settled(
                new DatomicCloudSystem("bastion", {
                    systemName: system,
                    topology: "nlb",
                    bastionIngressCidrs: ["10.20.0.0/16", "192.168.4.0/24", "2001:db8::/32"],
                }),
            );
            const rules = recorder.ofType(INGRESS);
            expect(rules.map((rule) => rule.name)).toEqual([
                "bastion-bastion-ssh-10-20-0-0-16",
                "bastion-bastion-ssh-192-168-4-0-24",
                "bastion-bastion-ssh-2001-db8-32",
            ]);
            for (const rule of rules) {
                expect(rule.inputs).toMatchObject({
                    securityGroupId: compute.outputs.BastionSecurityGroup,
                    ipProtocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                });
            }
            expect(rules[0].inputs.cidrIpv4).toBe("10.20.0.0/16");
            expect(rules[2].inputs.cidrIpv6).toBe("2001:db8::/32");
        });

        test("adds nothing when the list is empty", async () => {
            adopt(system, storage, compute);
            await settled(
                new DatomicCloudSystem("nobastion", { systemName: system, topology: "nlb", bastionIngressCidrs: [] }),
            );
            expect(recorder.ofType(INGRESS)).toEqual([]);
        });

        test.each(["0.0.0.0/0", "::/0"])("refuses %s unless allowPublicBastion is set", async (cidr) => {
            adopt(system, storage, compute);
            expect(
                () =>
                    new DatomicCloudSystem(`public-${cidr.length}`, {
                        systemName: system,
                        topology: "nlb",
                        bastionIngressCidrs: [cidr],
                    }),
            ).toThrow(
                new RegExp(
                    `bastionIngressCidrs: "${cidr.replace(/[./]/g, "\\$&")}" opens SSH to the whole internet.*allowPublicBastion`,
                ),
            );

            await settled(
                new DatomicCloudSystem(`allowed-${cidr.length}`, {
                    systemName: system,
                    topology: "nlb",
                    bastionIngressCidrs: [cidr],
                    allowPublicBastion: true,
                }),
            );
            expect(recorder.ofType(INGRESS)).toHaveLength(1);
        });

        test("refuses a malformed CIDR", () => {
            adopt(system, storage, compute);
            expect(
                () =>
                    new DatomicCloudSystem("bad", {
                        systemName: system,
                        topology: "nlb",
                        bastionIngressCidrs: ["10.0.0.1/16"],
                    }),
            ).toThrow('bastionIngressCidrs: "10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?');
        });

        test("fails naming the stack when bastion access is asked of a system without a bastion", async () => {
            adopt("acme-alb", albStorage("acme-alb"), albCompute("acme-alb"));
            const message =
                'stack "acme-alb-compute" has no output "BastionSecurityGroup", which bastionIngressCidrs needs';
            const errors = await captureRejections(async () => {
                const component = new DatomicCloudSystem("albbastion", {
                    systemName: "acme-alb",
                    topology: "alb",
                    bastionIngressCidrs: ["10.0.0.0/8"],
                });
                await expect(valueOf(component.bastionSecurityGroupId)).rejects.toThrow(message);
                await recorder.settle();
            });
            expect(errors.length).toBeGreaterThan(0);
            for (const error of errors) {
                expect(error.message).toContain(message);
            }
            expect(recorder.ofType(INGRESS)).toEqual([]);
        });
    });

    test("adds interface endpoints for AWS services, in a group admitting HTTPS from the nodes", async () => {
        adopt(system, storage, compute);
        await settled(
            new DatomicCloudSystem("svcs", {
                systemName: system,
                topology: "nlb",
                awsServiceEndpoints: ["sqs", "com.amazonaws.us-east-1.secretsmanager", "sqs"],
            }),
        );
        const endpoints = recorder.ofType(VPC_ENDPOINT).sort((a, b) => b.name.localeCompare(a.name));
        const group = recorder.get(SECURITY_GROUP, "svcs-service-endpoints");
        expect(endpoints.map((endpoint) => [endpoint.name, endpoint.inputs.serviceName])).toEqual([
            ["svcs-sqs-endpoint", "com.amazonaws.us-east-1.sqs"],
            ["svcs-com-amazonaws-us-east-1-secretsmanager-endpoint", "com.amazonaws.us-east-1.secretsmanager"],
        ]);
        for (const endpoint of endpoints) {
            expect(endpoint.inputs).toMatchObject({
                vpcId: storage.outputs.VpcId,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                securityGroupIds: ["svcs-service-endpoints-id"],
                subnetIds: ["subnet-0aaa00000000001", "subnet-0bbb00000000002", "subnet-0ccc00000000003"],
            });
        }
        // Private DNS sends every SQS call from the nodes to the endpoints: their group must admit 443 from them.
        expect(group.inputs).toMatchObject({ vpcId: storage.outputs.VpcId });
        expect(recorder.get(INGRESS, "svcs-service-endpoints-https").inputs).toMatchObject({
            securityGroupId: "svcs-service-endpoints-id",
            referencedSecurityGroupId: compute.outputs.NodeSecurityGroup,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
        });
        const subnetLookup = recorder.callsTo("aws:ec2/getSubnets:getSubnets")[0];
        expect(subnetLookup.inputs.filters).toEqual([
            { name: "vpc-id", values: [storage.outputs.VpcId] },
            {
                name: "tag:Name",
                values: ["datomic-acme-prod-subnet-0", "datomic-acme-prod-subnet-1", "datomic-acme-prod-subnet-2"],
            },
        ]);
    });

    test("no route table tagged for the system is an error naming the tag, not zero routes", async () => {
        adopt(system, storage, compute, { routeTableIds: [] });
        const message =
            "No route table tagged Name=datomic-acme-prod in the Datomic VPC vpc-0a1b2c3d4e5f60718; Datomic's storage stack tags its route tables so.";
        const errors = await captureRejections(async () => {
            const component = new DatomicCloudSystem("noroutes", { systemName: system, topology: "nlb" });
            await expect(valueOf(component.routeTableIds)).rejects.toThrow(message);
        });
        expect(errors.some((error) => error.message.includes(message))).toBe(true);
    });

    describe("the nodes security group of a stack without a NodeSecurityGroup output", () => {
        const { NodeSecurityGroup: _omitted, ...withoutNodes } = compute.outputs;
        const byTag = (ids: string[]) => ({
            function: "aws:ec2/getSecurityGroups:getSecurityGroups",
            match: {
                filters: [
                    { name: "tag:Name", values: ["acme-prod-nodes"] },
                    { name: "vpc-id", values: [storage.outputs.VpcId] },
                ],
            },
            result: { id: "us-east-1", ids },
        });

        test("is found by its Name=<system>-nodes tag in the Datomic VPC", async () => {
            resetWorld(recorder, {
                fixtures: {
                    lookups: [
                        ...adoptedSystemLookups({ system, storage, compute: { ...compute, outputs: withoutNodes } }),
                        byTag(["sg-0tagged00000001"]),
                    ],
                },
            });
            await settled(
                new DatomicCloudSystem("tagged", { systemName: system, topology: "nlb", awsServiceEndpoints: ["sqs"] }),
            );
            expect(recorder.get(INGRESS, "tagged-service-endpoints-https").inputs.referencedSecurityGroupId).toBe(
                "sg-0tagged00000001",
            );
            expect(recorder.callsTo("aws:ec2/getSecurityGroups:getSecurityGroups")[0].inputs).toEqual({
                filters: [
                    { name: "tag:Name", values: ["acme-prod-nodes"] },
                    { name: "vpc-id", values: [storage.outputs.VpcId] },
                ],
            });
        });

        test("found nowhere fails naming both places searched, when a feature needs it", async () => {
            resetWorld(recorder, {
                fixtures: {
                    lookups: [
                        ...adoptedSystemLookups({ system, storage, compute: { ...compute, outputs: withoutNodes } }),
                        byTag([]),
                    ],
                },
            });
            const errors = await captureRejections(async () => {
                new DatomicCloudSystem("nonodes", {
                    systemName: system,
                    topology: "nlb",
                    awsServiceEndpoints: ["sqs"],
                });
                await recorder.settle();
            });
            const message =
                'The Datomic primary compute stack "acme-prod-compute" has no output "NodeSecurityGroup" and no security group is tagged Name=acme-prod-nodes; awsServiceEndpoints needs the nodes security group.';
            expect(errors.some((error) => error.message.includes(message))).toBe(true);
            expect(recorder.ofType(VPC_ENDPOINT)).toEqual([]);
            expect(recorder.ofType(INGRESS)).toEqual([]);
        });
    });

    test.each<[string, DatomicCloudSystemArgs, string]>([
        ["an empty system name", { systemName: "", topology: "nlb" }, "systemName: is empty"],
        [
            "a missing system name (a JavaScript caller), naming the argument instead of a TypeError",
            { topology: "nlb" } as unknown as DatomicCloudSystemArgs,
            'systemName: is required (got undefined); give the Datomic system\'s name, such as "acme-prod"',
        ],
        [
            "a system name that is not text",
            { systemName: 42, topology: "nlb" } as unknown as DatomicCloudSystemArgs,
            "systemName: is required (got 42)",
        ],
        [
            "a system name that cannot name a stack, reported against systemName, not the derived compute stack name",
            { systemName: "acme_prod", topology: "nlb" },
            'systemName: "acme_prod" is not a CloudFormation stack name',
        ],
    ])("refuses %s", (_label, args, message) => {
        adopt(system, storage, compute);
        expect(() => new DatomicCloudSystem("badname", args)).toThrow(message);
    });

    test("refuses a service name that is not one", () => {
        adopt(system, storage, compute);
        expect(
            () =>
                new DatomicCloudSystem("badsvc", {
                    systemName: system,
                    topology: "nlb",
                    awsServiceEndpoints: ["SQS!"],
                }),
        ).toThrow(/awsServiceEndpoints: "SQS!" is not an AWS service name/);
    });
});

describe("DatomicCloudSystem, adopting an alb system", () => {
    const system = "acme-stage";

    test("publishes the private hosted zone and entry-http endpoint, and no endpoint service", async () => {
        adopt(system, albStorage(system), albCompute(system), { vpcCidrBlock: "10.0.0.0/16" });
        const out = await settled(new DatomicCloudSystem("alb", { systemName: system, topology: "alb" }));
        expect(out.privateHostedZoneName).toBe("acme-stage.us-east-1.datomic.net");
        expect(out.clientEndpoint).toBe("http://entry-http.acme-stage.us-east-1.datomic.net:8182");
        // The Datomic-managed API gateways of the primary compute group, and the zone's id for peering.
        expect(out.clientApiGatewayEndpoint).toBe("https://a2id5latdd.execute-api.us-east-1.amazonaws.com");
        expect(out.ionApiGatewayEndpoint).toBe("https://ljfrt3pr18.execute-api.us-east-1.amazonaws.com");
        expect(out.privateHostedZoneId).toBe("Z0PRIVATEDATOMIC");
        expect(recorder.callsTo("aws:route53/getZone:getZone")[0].inputs).toEqual({
            name: "acme-stage.us-east-1.datomic.net",
            privateZone: true,
            vpcId: "vpc-0f1e2d3c4b5a69788",
        });
        expect(out.endpointServiceName).toBeUndefined();
        expect(out.bastionSecurityGroupId).toBeUndefined();
        expect(out.httpDirectEndpoint).toBeUndefined();
        expect(out.keyName).toBeUndefined();
        expect(out.vpcCidrBlock).toBe("10.0.0.0/16");
        expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
    });

    test("publishes a client endpoint given explicitly", async () => {
        adopt(system, albStorage(system), albCompute(system));
        const out = await settled(
            new DatomicCloudSystem("override", {
                systemName: system,
                topology: "alb",
                clientEndpoint: "http://datomic.internal:8182",
            }),
        );
        expect(out.clientEndpoint).toBe("http://datomic.internal:8182");
    });

    test("requires an explicit topology", () => {
        expect(() => new DatomicCloudSystem("notopo", { systemName: system })).toThrow(
            'topology: is required when adopting a system; set "nlb", "alb" or "solo"',
        );
        expect(() => new DatomicCloudSystem("badtopo", { systemName: system, topology: "elb" })).toThrow(
            'topology: "elb" is not a Datomic Cloud topology; use "nlb", "alb" or "solo"',
        );
    });
});

describe("DatomicCloudSystem, the release it publishes", () => {
    const system = "acme-prod";

    test("an alb system's release comes from its compute stack's version outputs", async () => {
        adopt(system, albStorage(system), albCompute(system));
        const out = await settled(new DatomicCloudSystem("rel", { systemName: system, topology: "alb" }));
        expect(out.release).toBe("1217-9399");
    });

    test("a stack without version outputs publishes the release given, or none", async () => {
        adopt(system, nlbStorage(system), nlbCompute(system));
        const given = await settled(
            new DatomicCloudSystem("given", { systemName: system, topology: "nlb", release: "781-9041" }),
        );
        expect(given.release).toBe("781-9041");
        adopt(system, nlbStorage(system), nlbCompute(system));
        const unknown = await settled(new DatomicCloudSystem("none", { systemName: system, topology: "nlb" }));
        expect(unknown.release).toBeUndefined();
    });

    test("a release that contradicts the stack, or its topology, is refused naming release", async () => {
        adopt(system, albStorage(system), albCompute(system));
        const errors = await captureRejections(async () => {
            new DatomicCloudSystem("wrong", { systemName: system, topology: "alb", release: "1172-9392" });
            await recorder.settle();
        });
        expect(
            errors.some((error) =>
                error.message.includes(
                    'release: "1172-9392", but the compute stack "acme-prod-compute" reports release 1217-9399',
                ),
            ),
        ).toBe(true);
        expect(
            () => new DatomicCloudSystem("mismatch", { systemName: system, topology: "alb", release: "781-9041" }),
        ).toThrow('release: 781-9041 builds the "nlb" topology, but topology is "alb"');
    });
});

describe("DatomicCloudSystem, solo systems (before 884-9095)", () => {
    const system = "acme-solo";
    const {
        LoadBalancer: _lb,
        LoadBalancerName: _name,
        LoadBalancerHttpDirectEndpoint: _http,
        ...soloOutputs
    } = nlbCompute(system).outputs;
    const soloCompute = { ...nlbCompute(system), outputs: soloOutputs };

    test("an adopted solo system publishes topology solo and needs no load balancer", async () => {
        adopt(system, nlbStorage(system), soloCompute);
        const out = await settled(
            new DatomicCloudSystem("solo", { systemName: system, topology: "solo", release: "535-8812" }),
        );
        expect(out.topology).toBe("solo");
        expect(out.release).toBe("535-8812");
        expect(out.loadBalancerArn).toBeUndefined();
        expect(out.clientEndpoint).toBe("http://entry.acme-solo.us-east-1.datomic.net:8182");
        expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
    });

    test("an endpoint service on a solo system is refused: it has no NLB", () => {
        adopt(system, nlbStorage(system), soloCompute);
        expect(
            () => new DatomicCloudSystem("soloes", { systemName: system, topology: "solo", endpointService: "create" }),
        ).toThrow(/endpointService: "create" needs the nlb topology; a solo system has no NLB/);
    });

    test.each<[string, DatomicCloudSystemArgs, RegExp]>([
        [
            "topology solo",
            {
                systemName: system,
                topology: "solo",
                create: { keyName: "k", templateVersion: "616-8879", computeTemplateUrl: "https://example.com/c.json" },
            },
            /^topology: "solo" systems are not created by this package/,
        ],
        [
            "a solo compute template",
            {
                systemName: system,
                create: {
                    keyName: "k",
                    templateVersion: "616-8879",
                    computeTemplateUrl:
                        "https://s3.amazonaws.com/datomic-cloud-1/cft/616-8879/datomic-solo-compute-616-8879.json",
                },
            },
            /^create.computeTemplateUrl: ".*datomic-solo-compute-616-8879.json" is a solo compute template/,
        ],
    ])("creating a solo system is refused before anything is created: %s", (_label, args, message) => {
        adopt(system, nlbStorage(system), soloCompute);
        expect(() => new DatomicCloudSystem("newsolo", args)).toThrow(message);
        expect(recorder.ofType("aws:cloudformation/stack:Stack")).toEqual([]);
    });
});
