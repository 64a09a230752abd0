/**
 * The components comply with the guardrails by default: each runs under the mocks, and the resources
 * it registers (inputs, outputs, URNs, protect and dependencies) go through every policy of the pack.
 * Relaxing a default the guardrails rely on is reported.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicClientEndpoint } from "../../components/cloud/access/clientEndpoint";
import { DatomicCloudSystem } from "../../components/cloud/system/system";
import { DatomicTransactor, DatomicTransactorArgs } from "../../components/pro/transactor/transactor";
import { datomicPolicies } from "../../policy/policies";
import {
    adoptedSystemLookups,
    albCompute,
    albStorage,
    createdSystemLookups,
    nlbCompute,
    nlbStorage,
    vpcLookups,
} from "../fixtures/cloudStacks";
import { AMI_PINNED, SUBNETS, transactorLookups, VPC_ID } from "../fixtures/proTransactor";
import { installMocks, resetWorld, valueOf } from "../support/harness";
import { evaluate } from "./support";

const recorder = installMocks();

const STACK = "aws:cloudformation/stack:Stack";

async function violations() {
    await recorder.settle();
    expect(recorder.failures).toEqual([]);
    return evaluate(datomicPolicies, recorder.resources);
}

function transactorWorld() {
    resetWorld(recorder, {
        fixtures: { lookups: transactorLookups() },
        outputs: {
            "aws:dynamodb/table:Table": { "*": { arn: "arn:aws:dynamodb:us-east-1:111111111111:table/orders" } },
            "aws:ec2/launchTemplate:LaunchTemplate": { "*": { latestVersion: 1 } },
        },
    });
}

async function transactor(extra: Partial<DatomicTransactorArgs> = {}) {
    const component = new DatomicTransactor("orders", {
        version: "1.0.7075",
        vpcId: VPC_ID,
        subnetIds: SUBNETS.map((subnet) => subnet.id),
        amiId: AMI_PINNED,
        peerCidrs: ["10.20.0.0/16"],
        logBucket: true,
        ...extra,
    });
    await valueOf(pulumi.output(component.contractOutputs()));
}

function createdSystemWorld() {
    const storage = albStorage("acme-dev").outputs;
    resetWorld(recorder, {
        fixtures: {
            lookups: [
                ...createdSystemLookups({ system: "acme-dev", exists: false }),
                ...vpcLookups({
                    system: "acme-dev",
                    vpcId: storage.VpcId,
                    vpcCidrBlock: "10.0.0.0/16",
                    routeTableIds: ["rtb-0dev"],
                }),
            ],
        },
        outputs: {
            [STACK]: {
                "dev-storage": { outputs: storage },
                "dev-compute": { outputs: albCompute("acme-dev").outputs },
            },
        },
    });
}

const endpointWorld = {
    outputs: {
        "aws:ec2/vpcEndpoint:VpcEndpoint": {
            "*": { dnsEntries: [{ dnsName: "vpce-0a1b-abcdefgh.vpce-svc-0123.us-east-1.vpce.amazonaws.com" }] },
        },
    },
};

describe("the components under the guardrail policies", () => {
    test("DatomicTransactor complies by default: table, log bucket, security groups and launch template", async () => {
        transactorWorld();
        await transactor();
        const reported = await violations();
        const types = new Set(recorder.resources.map((resource) => resource.type));
        for (const type of [
            "aws:dynamodb/table:Table",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            "aws:ec2/launchTemplate:LaunchTemplate",
        ]) {
            expect(types.has(type)).toBe(true);
        }
        expect(reported).toEqual([]);
    });

    test("DatomicTransactor with protectStorage: false and a public peer CIDR is reported", async () => {
        transactorWorld();
        await transactor({ protectStorage: false, peerCidrs: ["0.0.0.0/0"], allowPublicIngress: true });
        const reported = await violations();
        expect(reported.map((violation) => violation.policy).sort()).toEqual([
            "datomic-storage-protected",
            "datomic-table-recovery",
            "no-public-datomic-ingress",
        ]);
        expect(reported.find((violation) => violation.policy === "datomic-table-recovery")?.message).toMatch(
            /^orders-table holds Datomic storage without deletion protection/,
        );
        expect(reported.find((violation) => violation.policy === "no-public-datomic-ingress")?.message).toMatch(
            /^orders-ingress-0-0-0-0-0 admits the whole internet \(0\.0\.0\.0\/0 on TCP 4334\)/,
        );
    });

    test("DatomicCloudSystem complies when it creates a system, and is reported once storage is unprotected", async () => {
        createdSystemWorld();
        new DatomicCloudSystem("dev", {
            systemName: "acme-dev",
            create: { keyName: "acme-dev-nodes" },
            awsServiceEndpoints: ["sqs"],
        });
        expect(await violations()).toEqual([]);

        createdSystemWorld();
        new DatomicCloudSystem("dev", {
            systemName: "acme-dev",
            create: { keyName: "acme-dev-nodes", protectStorage: false },
        });
        expect((await violations()).map((violation) => [violation.policy, violation.urn])).toEqual([
            ["datomic-storage-protected", recorder.get(STACK, "dev-storage").urn],
        ]);
    });

    test("DatomicCloudSystem adopting an nlb system complies; a public bastion is reported", async () => {
        const lookups = adoptedSystemLookups({
            system: "acme-stage",
            storage: nlbStorage("acme-stage"),
            compute: nlbCompute("acme-stage"),
        });
        resetWorld(recorder, { fixtures: { lookups } });
        new DatomicCloudSystem("stage", {
            systemName: "acme-stage",
            topology: "nlb",
            bastionIngressCidrs: ["10.200.0.0/16"],
        });
        expect(await violations()).toEqual([]);

        resetWorld(recorder, { fixtures: { lookups } });
        new DatomicCloudSystem("stage", {
            systemName: "acme-stage",
            topology: "nlb",
            bastionIngressCidrs: ["0.0.0.0/0"],
            allowPublicBastion: true,
        });
        expect((await violations()).map((violation) => violation.message)).toEqual([
            expect.stringMatching(/^stage-bastion-ssh-0-0-0-0-0 admits the whole internet \(0\.0\.0\.0\/0 on TCP 22\)/),
        ]);
    });

    test("DatomicClientEndpoint's inline ingress complies; allowPublicCidrs is reported", async () => {
        resetWorld(recorder, endpointWorld);
        const base = { vpcId: "vpc-0svc", subnetIds: ["subnet-0a"], endpointServiceName: "com.amazonaws.vpce.svc" };
        new DatomicClientEndpoint("orders", { ...base, allowedCidrs: ["10.20.0.0/16"] });
        expect(await violations()).toEqual([]);

        resetWorld(recorder, endpointWorld);
        new DatomicClientEndpoint("orders", { ...base, allowedCidrs: ["::/0"], allowPublicCidrs: true });
        expect((await violations()).map((violation) => violation.message)).toEqual([
            expect.stringMatching(/^orders-sg admits the whole internet \(::\/0 on TCP 8182\)/),
        ]);
    });
});
