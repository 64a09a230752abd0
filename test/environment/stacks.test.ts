/**
 * Each stack file, run through index.ts under the mocks (preview mode, lookups
 * from plan-fixtures/<stack>.yaml), produces the expected resources and the
 * environment stack contract.
 */
import { UNKNOWN } from "../../plan/recorded";
import { runStack } from "../support/program";

const SYSTEM = "datomic:cloud:System";
const STACK = "aws:cloudformation/stack:Stack";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ENDPOINT_SERVICE = "aws:ec2/vpcEndpointService:VpcEndpointService";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** The system's resources; the monitoring's (datomic:monitoring) are checked in monitoring.test.ts. */
function typesOf(run: Awaited<ReturnType<typeof runStack>>): string[] {
    return run.resources
        .filter((resource) => !resource.name.startsWith("datomic-monitoring"))
        .map((resource) => `${resource.type}::${resource.name}`)
        .sort();
}

describe("the dev stack", () => {
    test("creates a small alb system with its storage unprotected, as its config asks", async () => {
        const run = await runStack("dev");
        expect(run.errors).toEqual([]);
        expect(typesOf(run)).toEqual([
            `${STACK}::datomic-compute`,
            `${STACK}::datomic-storage`,
            "aws:ec2/securityGroup:SecurityGroup::datomic-service-endpoints",
            `${VPC_ENDPOINT}::datomic-sqs-endpoint`,
            `${INGRESS}::datomic-service-endpoints-https`,
            `${SYSTEM}::datomic`,
        ]);
        const storage = run.resources.find((r) => r.name === "datomic-storage")!;
        const compute = run.resources.find((r) => r.name === "datomic-compute")!;
        expect(storage.inputs.parameters).toEqual({
            // A new system: no DynamoDB table datomic-acme-dev exists (Datomic's storage never existed).
            Restart: "false",
            VpcCidrBlock: "10.40.0.0/16",
            Subnet0CidrBlock: "10.40.0.0/20",
            Subnet1CidrBlock: "10.40.16.0/20",
            Subnet2CidrBlock: "10.40.32.0/20",
        });
        expect(storage.protect).toBe(false);
        expect(compute.inputs.parameters).toEqual({
            SystemName: "acme-dev",
            InstanceType: "t3.large",
            KeyName: "acme-dev-datomic",
            ApplicationName: "acme-dev",
            DesiredCapacity: "1",
            MinSize: "1",
            MaxSize: "2",
            MinInstancesInService: "0",
            ClientAPI: "true",
            Ions: "true",
        });
        expect(compute.dependencies).toContain(storage.urn);
        expect(run.outputs).toMatchObject({
            flavor: "cloud",
            region: "us-east-1",
            accountId: "111111111111",
            systemName: "acme-dev",
            topology: "alb",
            privateHostedZoneName: "acme-dev.us-east-1.datomic.net",
            clientEndpoint: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
            // Known only once the stacks exist.
            vpcId: UNKNOWN,
            nodeSecurityGroupId: UNKNOWN,
        });
        expect(run.outputs).not.toHaveProperty("endpointServiceName");
    });
});

describe("the stage stack", () => {
    test("adopts the nlb system, opening SSH to the listed networks and its endpoint service to the services account", async () => {
        const run = await runStack("stage");
        expect(run.errors).toEqual([]);
        expect(typesOf(run)).toEqual([
            "aws:ec2/securityGroup:SecurityGroup::datomic-service-endpoints",
            `${VPC_ENDPOINT}::datomic-sqs-endpoint`,
            `${ENDPOINT_SERVICE}::datomic-endpoint-service`,
            `${INGRESS}::datomic-bastion-ssh-10-200-0-0-16`,
            `${INGRESS}::datomic-bastion-ssh-172-20-8-0-22`,
            `${INGRESS}::datomic-service-endpoints-https`,
            `${SYSTEM}::datomic`,
        ]);
        expect(run.resources.filter((r) => r.type === STACK)).toEqual([]);
        const service = run.resources.find((r) => r.type === ENDPOINT_SERVICE)!;
        // The Terraform setup's endpoint service is imported, not duplicated: an NLB takes only one.
        expect(service.importId).toBe("vpce-svc-0a7c3e5f9b1d24680");
        expect(service.retainOnDelete).toBe(true);
        expect(service.inputs).toMatchObject({
            acceptanceRequired: false,
            allowedPrincipals: ["arn:aws:iam::444444444444:root"],
            networkLoadBalancerArns: [
                "arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/net/acme-stage/4f3e2d1c0b9a8776",
            ],
        });
        expect(run.resources.find((r) => r.name === "datomic-service-endpoints-https")!.inputs).toMatchObject({
            referencedSecurityGroupId: "sg-0b7c8d9e0f1a2b3c4",
            fromPort: 443,
            toPort: 443,
        });
        for (const rule of run.resources.filter((r) => r.type === INGRESS && r.name.includes("bastion"))) {
            expect(rule.inputs).toMatchObject({ securityGroupId: "sg-0d4e5f6a7b8c9d0e1", fromPort: 22, toPort: 22 });
        }
        expect(run.resources.find((r) => r.type === VPC_ENDPOINT)!.inputs).toMatchObject({
            serviceName: "com.amazonaws.us-west-2.sqs",
            // Their own group (new in this plan), admitting HTTPS from the nodes.
            securityGroupIds: ["<unknown before deployment>"],
            subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
        });
        expect(run.outputs).toEqual({
            flavor: "cloud",
            region: "us-west-2",
            accountId: "222222222222",
            systemName: "acme-stage",
            topology: "nlb",
            // Stated in Pulumi.stage.yaml: the Terraform-built stacks have no version outputs.
            release: "781-9041",
            vpcId: "vpc-0c3a5e7f9b1d24680",
            vpcCidrBlock: "10.213.0.0/16",
            subnetCidrBlocks: ["10.213.32.0/20", "10.213.64.0/20", "10.213.96.0/20"],
            subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
            // Zone ids, which the services account (444444444444) can match with its own subnets.
            availabilityZoneIds: ["usw2-az1", "usw2-az2", "usw2-az3"],
            routeTableIds: ["rtb-0f1e2d3c4b5a69788"],
            nodeSecurityGroupId: "sg-0b7c8d9e0f1a2b3c4",
            bastionSecurityGroupId: "sg-0d4e5f6a7b8c9d0e1",
            lambdaSecurityGroupId: "sg-0e5f6a7b8c9d0e1f2",
            appsSecurityGroupId: "sg-0a1e2b3c4d5e6f701",
            loadBalancerArn:
                "arn:aws:elasticloadbalancing:us-west-2:222222222222:loadbalancer/net/acme-stage/4f3e2d1c0b9a8776",
            loadBalancerName: "acme-stage",
            httpDirectEndpoint: "http://acme-stage-4f3e2d1c0b9a8776.elb.us-west-2.amazonaws.com:8184",
            // The adopted endpoint service's name is read when it is imported, at deployment.
            endpointServiceName: UNKNOWN,
            clientEndpoint: "http://entry.acme-stage.us-west-2.datomic.net:8182",
            codeDeployApplicationName: "acme-stage",
            codeBucketArn: "arn:aws:s3:::datomic-code-7e1f3a5b-2c4d-4e6f-8a0b-1c2d3e4f5a6b",
            keyName: "acme-stage-bastion",
            storageArn: "arn:aws:s3:::acme-stage-storagef7f305e7-1ojzs7y1mqd1g",
        });
    });
});

describe("the prod stack", () => {
    test("creates a highly available system with protected storage and longer compute timeouts", async () => {
        const run = await runStack("prod");
        expect(run.errors).toEqual([]);
        expect(typesOf(run)).toEqual([
            `${STACK}::datomic-compute`,
            `${STACK}::datomic-storage`,
            "aws:ec2/securityGroup:SecurityGroup::datomic-service-endpoints",
            `${VPC_ENDPOINT}::datomic-secretsmanager-endpoint`,
            `${VPC_ENDPOINT}::datomic-sqs-endpoint`,
            `${INGRESS}::datomic-service-endpoints-https`,
            `${SYSTEM}::datomic`,
        ]);
        const storage = run.resources.find((r) => r.name === "datomic-storage")!;
        const compute = run.resources.find((r) => r.name === "datomic-compute")!;
        expect(storage.protect).toBe(true);
        expect(storage.retainOnDelete).toBe(true);
        expect(compute.inputs.parameters).toMatchObject({
            InstanceType: "i3.xlarge",
            KeyName: "acme-prod-datomic",
            DesiredCapacity: "3",
            MinSize: "2",
            MinInstancesInService: "2",
        });
        expect(Number((compute.inputs.parameters as Record<string, string>).MinSize)).toBeGreaterThanOrEqual(2);
        expect(compute.customTimeouts).toEqual({ create: "60m", update: "60m", delete: "60m" });
        expect(run.outputs).toMatchObject({ accountId: "333333333333", systemName: "acme-prod", topology: "alb" });
    });
});

test("the three stacks deploy to three different accounts through three different roles", async () => {
    const accounts = new Set<unknown>();
    for (const stack of ["dev", "stage", "prod"]) {
        accounts.add((await runStack(stack)).outputs.accountId);
    }
    expect(accounts.size).toBe(3);
});
