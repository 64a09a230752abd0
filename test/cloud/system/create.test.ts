/**
 * DatomicCloudSystem in create mode: the storage and compute stacks it manages, as a first create and
 * as updates of existing stacks (a second program run against the state of the first).
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicCloudSystem, DatomicCloudSystemArgs } from "../../../components/cloud/system/system";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import {
    albCompute,
    albStorage,
    createdSystemLookups,
    nlbCompute,
    nlbStorage,
    vpcLookups,
} from "../../fixtures/cloudStacks";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const STACK = "aws:cloudformation/stack:Stack";
const ENDPOINT_SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService";

async function settled(system: DatomicCloudSystem) {
    const values = await valueOf(pulumi.output(system.contractOutputs()));
    await recorder.settle();
    return values;
}

describe("DatomicCloudSystem, creating a system", () => {
    const system = "acme-dev";
    const storageOutputs = albStorage(system).outputs;
    const computeOutputs = albCompute(system).outputs;

    /** `exists`: the second run, against a system the first created. */
    function world(exists = false, computeLoadBalancerArns: string[] = []) {
        resetWorld(recorder, {
            fixtures: {
                lookups: [
                    ...createdSystemLookups({ system, exists, computeLoadBalancerArns }),
                    ...vpcLookups({
                        system,
                        vpcId: storageOutputs.VpcId,
                        vpcCidrBlock: "10.0.0.0/16",
                        routeTableIds: ["rtb-0dev"],
                    }),
                ],
            },
            outputs: {
                [STACK]: {
                    "dev-storage": { outputs: storageOutputs },
                    "dev-compute": { outputs: computeOutputs },
                },
            },
        });
    }

    const createArgs: DatomicCloudSystemArgs = {
        systemName: system,
        create: {
            instanceType: "t3.large",
            keyName: "acme-dev-nodes",
            applicationName: "acme",
            desiredCapacity: 2,
            minSize: 1,
            maxSize: 3,
            minInstancesInService: 1,
            vpcCidrBlock: "10.0.0.0/16",
            subnetCidrBlocks: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
            restart: false,
        },
        tags: { team: "platform" },
    };

    test("manages the storage and compute stacks from the default release's templates", async () => {
        world();
        const component = new DatomicCloudSystem("dev", createArgs);
        const out = await settled(component);

        const storage = recorder.get(STACK, "dev-storage");
        const compute = recorder.get(STACK, "dev-compute");
        expect(storage.inputs).toEqual({
            name: "acme-dev",
            templateUrl: "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/storage-template-9399-1217.json",
            capabilities: ["CAPABILITY_NAMED_IAM"],
            parameters: {
                Restart: "false",
                VpcCidrBlock: "10.0.0.0/16",
                Subnet0CidrBlock: "10.0.0.0/20",
                Subnet1CidrBlock: "10.0.16.0/20",
                Subnet2CidrBlock: "10.0.32.0/20",
            },
            tags: { team: "platform" },
        });
        expect(compute.inputs).toEqual({
            name: "acme-dev-compute",
            templateUrl: "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/compute-template-9399-1217.json",
            capabilities: ["CAPABILITY_NAMED_IAM"],
            onFailure: "DELETE",
            parameters: {
                SystemName: "acme-dev",
                InstanceType: "t3.large",
                KeyName: "acme-dev-nodes",
                ApplicationName: "acme",
                DesiredCapacity: "2",
                MinSize: "1",
                MaxSize: "3",
                MinInstancesInService: "1",
                // The package's DatomicAccess (api-gateway) and IonApiDomain need both gateways (884-9095 notes).
                ClientAPI: "true",
                Ions: "true",
            },
            tags: { team: "platform" },
        });
        expect(out.topology).toBe("alb");
        expect(out.vpcId).toBe(storageOutputs.VpcId);
        expect(out.nodeSecurityGroupId).toBe(computeOutputs.NodeSecurityGroup);
        expect(out.routeTableIds).toEqual(["rtb-0dev"]);
        expect(recorder.ofType(ENDPOINT_SERVICE)).toEqual([]);
    });

    test("protects the storage stack, and the compute stack depends on it", async () => {
        world();
        await settled(new DatomicCloudSystem("dev", createArgs));
        const storage = recorder.get(STACK, "dev-storage");
        const compute = recorder.get(STACK, "dev-compute");
        expect(storage.protect).toBe(true);
        expect(storage.retainOnDelete).toBe(true);
        expect(compute.protect).toBe(false);
        expect(compute.dependencies).toContain(storage.urn);
        expect(compute.customTimeouts).toEqual({ create: "45m", update: "45m", delete: "45m" });
        // Datomic stack creates and updates take up to 25 minutes; Pulumi's default would give up sooner.
        expect(storage.customTimeouts).toEqual({ create: "45m", update: "45m", delete: "45m" });
    });

    test("protection can be relaxed explicitly", async () => {
        world();
        await settled(
            new DatomicCloudSystem("dev", {
                systemName: system,
                create: { keyName: "k", protectStorage: false, computeTimeoutMinutes: 60, storageTimeoutMinutes: 50 },
            }),
        );
        const storage = recorder.get(STACK, "dev-storage");
        expect(storage.protect).toBe(false);
        expect(storage.retainOnDelete).toBe(false);
        expect(recorder.get(STACK, "dev-compute").customTimeouts?.update).toBe("60m");
        expect(storage.customTimeouts?.update).toBe("50m");
    });

    test("raw parameters override typed ones", async () => {
        world();
        await settled(
            new DatomicCloudSystem("dev", {
                systemName: system,
                create: {
                    instanceType: "t3.large",
                    computeParameters: { InstanceType: "i3.large", KeyName: "raw-key", EnvironmentMap: "{:env :dev}" },
                },
            }),
        );
        expect(recorder.get(STACK, "dev-compute").inputs.parameters).toEqual({
            SystemName: "acme-dev",
            InstanceType: "i3.large",
            KeyName: "raw-key",
            EnvironmentMap: "{:env :dev}",
            ClientAPI: "true",
            Ions: "true",
        });
    });

    test("an nlb release defaults the topology to nlb and adds the endpoint service", async () => {
        resetWorld(recorder, {
            fixtures: {
                lookups: [
                    ...createdSystemLookups({ system, exists: false }),
                    ...vpcLookups({
                        system,
                        vpcId: "vpc-0a1b2c3d4e5f60718",
                        vpcCidrBlock: "10.213.0.0/16",
                        routeTableIds: ["rtb-0old"],
                    }),
                ],
            },
            outputs: {
                [STACK]: {
                    "old-storage": { outputs: nlbStorage(system).outputs },
                    "old-compute": { outputs: nlbCompute(system).outputs },
                },
            },
        });
        const out = await settled(
            new DatomicCloudSystem("old", {
                systemName: system,
                create: {
                    keyName: "acme-dev-nodes",
                    templateVersion: "781-9041",
                    storageTemplateUrl:
                        "https://s3.amazonaws.com/datomic-cloud-1/cft/781-9041/datomic-storage-781-9041.json",
                    computeTemplateUrl:
                        "https://s3.amazonaws.com/datomic-cloud-1/cft/781-9041/datomic-production-compute-781-9041.json",
                },
            }),
        );
        expect(out.topology).toBe("nlb");
        expect(recorder.get(STACK, "old-storage").inputs.templateUrl).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/781-9041/datomic-storage-781-9041.json",
        );
        expect(recorder.ofType(ENDPOINT_SERVICE)[0].inputs.networkLoadBalancerArns).toEqual([
            nlbCompute(system).outputs.LoadBalancer,
        ]);
    });

    describe("Restart (Reuse Existing Storage) across a create and an upgrade", () => {
        const ids = {
            [STACK]: {
                "dev-storage": "arn:aws:cloudformation:us-east-1:111111111111:stack/acme-dev/1",
                "dev-compute": "arn:aws:cloudformation:us-east-1:111111111111:stack/acme-dev-compute/2",
            },
        };
        const releaseArgs = (templateVersion: string, restart?: boolean): DatomicCloudSystemArgs => ({
            systemName: system,
            create: { templateVersion, keyName: "acme-dev-nodes", ...(restart === undefined ? {} : { restart }) },
        });

        async function secondRun(args: DatomicCloudSystemArgs) {
            resetWorld(recorder, {
                fixtures: {
                    lookups: [
                        ...createdSystemLookups({ system, exists: true }),
                        ...vpcLookups({
                            system,
                            vpcId: storageOutputs.VpcId,
                            vpcCidrBlock: "10.0.0.0/16",
                            routeTableIds: ["rtb-0dev"],
                        }),
                    ],
                },
                outputs: {
                    [STACK]: { "dev-storage": { outputs: storageOutputs }, "dev-compute": { outputs: computeOutputs } },
                },
                existing: ids,
            });
            await settled(new DatomicCloudSystem("dev", args));
            return recorder.get(STACK, "dev-storage");
        }

        test("a new system starts with false; the upgrade of the existing storage stack sends true", async () => {
            world(false);
            const logged = jest.spyOn(pulumi.log, "info");
            await settled(new DatomicCloudSystem("dev", releaseArgs("1172-9392")));
            const created = recorder.get(STACK, "dev-storage");
            expect(created.inputs.parameters).toEqual({ Restart: "false" });
            expect(created.inputs.templateUrl).toBe(
                "https://s3.amazonaws.com/datomic-cloud-1/cft/1172/storage-template-9392-1172.json",
            );
            // The plan (and pulumi preview) shows which case was seen.
            expect(logged.mock.calls.map((call) => call[0])).toContain(
                'Restart "false": no DynamoDB table datomic-acme-dev exists, so the storage stack creates new storage',
            );

            const upgraded = await secondRun(releaseArgs("1217-9399"));
            expect(upgraded.inputs.templateUrl).toBe(
                "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/storage-template-9399-1217.json",
            );
            expect(upgraded.inputs.parameters).toEqual({ Restart: "true" });
            expect(recorder.callsTo("aws:dynamodb/getTables:getTables")).toHaveLength(1);
            expect(logged.mock.calls.map((call) => call[0])).toContain(
                `Restart "true": Datomic's storage table datomic-acme-dev exists, so the storage stack reuses it`,
            );
            logged.mockRestore();
        });

        test.each([undefined, false])(
            "restart %s in the args cannot send false to an existing stack",
            async (restart) => {
                const updated = await secondRun(releaseArgs("1217-9399", restart));
                expect(updated.inputs.parameters).toEqual({ Restart: "true" });
            },
        );

        test("a storage stack re-created over retained storage sends true, with no argument", async () => {
            // The storage stack was deleted (its VPC with it), but Datomic kept the table: a first create here.
            world(true);
            await settled(new DatomicCloudSystem("dev", releaseArgs("1217-9399")));
            expect(recorder.get(STACK, "dev-storage").inputs.parameters).toEqual({ Restart: "true" });
            expect(recorder.callsTo("aws:ec2/getVpcs:getVpcs")).toEqual([]);
        });

        test("restart true without any storage to reuse is refused naming create.restart", async () => {
            world(false);
            const errors = await captureRejections(async () => {
                new DatomicCloudSystem("dev", releaseArgs("1217-9399", true));
                await recorder.settle();
            });
            expect(errors.map((error) => error.message)).toContainEqual(
                expect.stringContaining(
                    "create.restart: true, but there is no DynamoDB table datomic-acme-dev in this region: there is no Datomic storage to reuse",
                ),
            );
            expect(recorder.ofType(STACK)).toEqual([]);
        });
    });

    test("a failed create deletes the new compute stack; an existing stack is not replaced for it", async () => {
        world();
        await settled(new DatomicCloudSystem("dev", createArgs));
        const compute = recorder.get(STACK, "dev-compute");
        expect(compute.inputs.onFailure).toBe("DELETE");
        // onFailure forces replacement: stacks created without it keep theirs on update.
        expect(compute.ignoreChanges).toEqual(["onFailure"]);
        // The storage stack keeps CloudFormation's default: its data is never deleted by a failed create.
        expect(recorder.get(STACK, "dev-storage").inputs.onFailure).toBeUndefined();
    });

    describe("an nlb system upgraded to an alb release", () => {
        const nlbArn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/acme-dev/0123456789abcdef";

        test("is refused while the endpoint service may still hold the NLB, saying what to remove first", async () => {
            world(true, [nlbArn]);
            const errors = await captureRejections(async () => {
                new DatomicCloudSystem("dev", createArgs);
                await recorder.settle();
            });
            expect(errors.length).toBeGreaterThan(0);
            expect(errors[0].message).toMatch(
                /create.templateVersion: 1217-9399 is an alb release .* runs the NLB arn:.*net\/acme-dev.* set endpointService to "none" and deploy with the nlb release, delete every DatomicClientEndpoint and HttpDirect \(REST VPC link\)/,
            );
            expect(recorder.ofType(STACK).map((stack) => stack.name)).toEqual(["dev-storage"]);
            expect(recorder.callsTo("aws:resourcegroupstaggingapi/getResources:getResources")[0].inputs).toEqual({
                tagFilters: [{ key: "aws:cloudformation:stack-name", values: ["acme-dev-compute"] }],
                resourceTypeFilters: ["elasticloadbalancing:loadbalancer"],
            });
        });

        test("goes ahead once endpointService is explicitly none", async () => {
            world(true, [nlbArn]);
            await settled(new DatomicCloudSystem("dev", { ...createArgs, endpointService: "none" }));
            expect(recorder.get(STACK, "dev-compute").inputs.templateUrl).toMatch(/compute-template-9399-1217/);
        });

        test("an alb system's own ALB is no reason to refuse", async () => {
            world(true, [computeOutputs.LoadBalancer]);
            await settled(new DatomicCloudSystem("dev", createArgs));
            expect(recorder.ofType(STACK)).toHaveLength(2);
        });
    });

    test.each<[string, DatomicCloudSystemArgs, string | RegExp]>([
        [
            "a malformed release",
            { systemName: system, create: { keyName: "k", templateVersion: "latest" } },
            /create.templateVersion: "latest" is not a Datomic Cloud release \(expected <revision>-<build>/,
        ],
        [
            "a long system name",
            { systemName: "acme-datomic-development-1", create: { keyName: "k" } },
            /systemName: "acme-datomic-development-1" is 26 characters long; Datomic advises .* at most 23/,
        ],
        [
            "a system name CloudFormation rejects",
            { systemName: "1acme", create: { keyName: "k" } },
            /systemName: "1acme" is not a CloudFormation stack name/,
        ],
        [
            "a storage stack name other than the system",
            { systemName: system, storageStackName: "storage", create: { keyName: "k" } },
            /storageStackName: "storage" differs from systemName/,
        ],
        [
            "a malformed VPC block",
            { systemName: system, create: { keyName: "k", vpcCidrBlock: "10.0.0.0/33" } },
            /create.vpcCidrBlock: "10.0.0.0\/33" is not a CIDR block/,
        ],
        [
            "two subnets",
            {
                systemName: system,
                create: {
                    keyName: "k",
                    vpcCidrBlock: "10.0.0.0/16",
                    subnetCidrBlocks: ["10.0.0.0/20", "10.0.16.0/20"],
                },
            },
            /create.subnetCidrBlocks: has 2 blocks; the storage template takes exactly 3/,
        ],
        [
            "a subnet outside the VPC",
            {
                systemName: system,
                create: {
                    keyName: "k",
                    vpcCidrBlock: "10.0.0.0/16",
                    subnetCidrBlocks: ["10.0.0.0/20", "10.1.0.0/20", "10.0.32.0/20"],
                },
            },
            /"10.1.0.0\/20" is not inside create.vpcCidrBlock "10.0.0.0\/16"/,
        ],
        [
            "overlapping subnets",
            {
                systemName: system,
                create: {
                    keyName: "k",
                    vpcCidrBlock: "10.0.0.0/16",
                    subnetCidrBlocks: ["10.0.0.0/20", "10.0.8.0/21", "10.0.32.0/20"],
                },
            },
            /"10.0.8.0\/21" overlaps "10.0.0.0\/20"/,
        ],
        [
            "subnets without a VPC block",
            {
                systemName: system,
                create: { keyName: "k", subnetCidrBlocks: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"] },
            },
            /create.subnetCidrBlocks: needs create.vpcCidrBlock/,
        ],
        [
            "min above max",
            { systemName: system, create: { keyName: "k", minSize: 3, maxSize: 2 } },
            "create.minSize: 3 is greater than create.maxSize 2",
        ],
        [
            "MinInstancesInService not below MaxSize",
            { systemName: system, create: { keyName: "k", minInstancesInService: 2, maxSize: 2 } },
            /^create.minInstancesInService: 2 is not less than create.maxSize 2: Datomic requires it at least 1 less than the maximum.*use at most 1, or raise create.maxSize$/,
        ],
        [
            "desired above max",
            { systemName: system, create: { keyName: "k", desiredCapacity: 4, maxSize: 2 } },
            "create.desiredCapacity: 4 is above create.maxSize 2",
        ],
        [
            "a fractional capacity",
            { systemName: system, create: { keyName: "k", desiredCapacity: 1.5 } },
            "create.desiredCapacity: 1.5 is not a whole number of instances (0 or more)",
        ],
        [
            "a missing key pair",
            { systemName: system, create: {} },
            /create.keyName: is required: Datomic requires an EC2 key pair .* CloudFormation rejects the compute stack without one/,
        ],
        ["an empty key pair name", { systemName: system, create: { keyName: "" } }, /create.keyName: is required/],
        [
            "a release whose template URLs are not confirmed",
            { systemName: system, create: { keyName: "k", templateVersion: "1162-9380" } },
            /create.storageTemplateUrl: is required: the template URLs of release 1162-9380 are not confirmed; confirmed: 1217-9399 \(storage, compute, query-group\), 1172-9392 .*; pass the URL/,
        ],
        [
            "an early release without its compute URL",
            {
                systemName: system,
                create: { keyName: "k", templateVersion: "616-8879" },
            },
            /create.computeTemplateUrl: is required: the compute template's file name of release 616-8879 is not confirmed/,
        ],
        [
            "bastion rules on a created alb system",
            { systemName: system, create: { keyName: "k" }, bastionIngressCidrs: ["10.0.0.0/8"] },
            /bastionIngressCidrs: a 1217-9399 system has no bastion \(Datomic removed it in 884-9095\)/,
        ],
        [
            "an instance type without its size",
            { systemName: system, create: { keyName: "k", instanceType: "t3" } },
            'create.instanceType: "t3" is not an EC2 instance type (family.size, such as t3.large or i3.xlarge)',
        ],
        [
            "a topology the release does not build",
            { systemName: system, topology: "nlb", create: { keyName: "k" } },
            'topology: "nlb" does not match release 1217-9399, which builds "alb"',
        ],
        ["an empty system name", { systemName: "", create: { keyName: "k" } }, "systemName: is empty"],
        [
            "a bad compute stack name",
            { systemName: system, computeStackName: "acme_dev", create: { keyName: "k" } },
            /computeStackName: "acme_dev" is not a CloudFormation stack name/,
        ],
    ])("refuses %s at preview", (_label, args, message) => {
        world();
        expect(() => new DatomicCloudSystem("invalid", args)).toThrow(message);
    });
});
