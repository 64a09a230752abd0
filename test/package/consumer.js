/**
 * A consumer of the packed package: run by test/package/pack.test.ts from a temporary project in which
 * `pulumi-datomic` is installed from the tarball. It constructs every component through the package's
 * public entry point under Pulumi's mocks and prints, as JSON, what was registered.
 *
 * Usage: node consumer.js <ion project dir> <@pulumi/terraform directory to install midway>
 */
const fs = require("fs");
const path = require("path");
const { setTimeout: sleep } = require("timers/promises");
const pulumi = require("@pulumi/pulumi");

const [ionProjectDir, terraformPackageDir] = process.argv.slice(2);
const REGION = "us-east-1";
const ACCOUNT = "111111111111";
const NLB = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/net/acme/0123`;

const registered = [];
const calls = [];
const failures = [];
process.on("unhandledRejection", (reason) => failures.push(String(reason && reason.message ? reason.message : reason)));

const stacks = {
    acme: { VpcId: "vpc-0datomic", AppsSecurityGroup: "sg-0apps", Subnet0CidrBlock: "10.213.32.0/20" },
    "acme-compute": {
        SystemName: "acme",
        LoadBalancer: NLB,
        NodeSecurityGroup: "sg-0nodes",
        BastionSecurityGroup: "sg-0bastion",
        LoadBalancerHttpDirectEndpoint: "http://acme-nlb.elb.us-east-1.amazonaws.com:8184",
    },
};

function answer(token, inputs) {
    switch (token) {
        case "aws:index/getRegion:getRegion":
            return { id: REGION, name: REGION, region: REGION };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { id: ACCOUNT, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: "test" };
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
        case "aws:cloudformation/getStack:getStack":
            return {
                id: inputs.name,
                name: inputs.name,
                outputs: stacks[inputs.name],
                parameters: { KeyName: "acme" },
            };
        case "aws:ec2/getVpc:getVpc":
            return { id: inputs.id, cidrBlock: "10.213.0.0/16" };
        case "aws:ec2/getRouteTables:getRouteTables":
            return { id: "rtbs", ids: ["rtb-0a"] };
        case "aws:ec2/getSubnets:getSubnets":
            return { id: "subnets", ids: ["subnet-0d1", "subnet-0d2"] };
        case "aws:ec2/getSubnet:getSubnet":
            return { id: inputs.id, cidrBlock: "10.9.1.0/24", availabilityZoneId: "use1-az1", tags: {} };
        case "aws:autoscaling/getAmiIds:getAmiIds":
            return { id: REGION, names: ["orders-asg"] };
        case "terraform:state:getS3Reference":
            return { outputs: { system_name: { prod: "acme" }, vpc_id: { prod: "vpc-0datomic" } } };
        default:
            throw new Error(`no mock answer for ${token}`);
    }
}

function computed(type, name) {
    switch (type) {
        case "pulumi:pulumi:StackReference":
            return { outputs: { vpcId: "vpc-0datomic", systemName: "acme" }, secretOutputNames: [] };
        case "aws:ec2/vpcEndpointService:VpcEndpointService":
            return { serviceName: `com.amazonaws.vpce.${REGION}.vpce-svc-0123` };
        case "aws:ec2/vpcEndpoint:VpcEndpoint":
            return { dnsEntries: [{ dnsName: "vpce-0abc-123.vpce-svc-0123.us-east-1.vpce.amazonaws.com" }] };
        case "aws:cloudformation/stack:Stack":
            return {
                outputs: {
                    CodeDeployDeploymentGroup: "orders-group",
                    LoadBalancer: NLB,
                    LoadBalancerHttpDirectEndpoint: "http://orders-nlb.elb.us-east-1.amazonaws.com:8184",
                },
            };
        case "aws:ec2/launchTemplate:LaunchTemplate":
            return { latestVersion: 1 };
        default:
            return { arn: `arn:aws:mock:${REGION}:${ACCOUNT}:${name}` };
    }
}

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            return { id: `${args.name}-id`, state: { ...args.inputs, ...computed(args.type, args.name) } };
        },
        call: (args) => {
            calls.push(args.token);
            return answer(args.token, args.inputs);
        },
    },
    "consumer",
    "test",
    false,
);

const datomic = require("pulumi-datomic");

function resolved(output) {
    return new Promise((resolve) => pulumi.output(output).apply(resolve));
}

async function main() {
    const system = new datomic.DatomicCloudSystem("datomic", {
        systemName: "acme",
        topology: "nlb",
        bastionIngressCidrs: ["10.200.0.0/16"],
        endpointService: "create",
    });
    const environment = new datomic.DatomicSystemReference("env", { stack: "acme/datomic/dev" });
    new datomic.DatomicClientEndpoint("client", {
        vpcId: "vpc-0service",
        subnetIds: ["subnet-0a"],
        endpointServiceName: system.endpointServiceName,
        allowedCidrs: ["10.1.0.0/16"],
    });
    new datomic.DatomicPeering("peering", {
        datomicVpcId: system.vpcId,
        datomicVpcCidrBlock: "10.213.0.0/16",
        datomicRouteTableIds: ["rtb-0datomic"],
        peerVpcId: "vpc-0peer",
        peerVpcCidrBlocks: ["10.50.0.0/16"],
        peerRouteTableIds: ["rtb-0peer"],
    });
    new datomic.DatomicPeeringAccepter("accepter", {
        peeringConnectionId: "pcx-0123",
        datomicVpcCidrBlock: "10.213.0.0/16",
        peerRouteTableIds: ["rtb-0other"],
    });
    const group = new datomic.QueryGroup("orders", {
        systemName: "acme",
        systemRelease: "1217-9399",
        keyName: "acme",
        instanceType: "t3.large",
        environmentMap: { env: ":prod", retries: 3 },
        nodePolicyStatements: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["*"] }],
    });
    new datomic.HttpDirect("api", {
        loadBalancerArn: group.loadBalancerArn,
        httpDirectEndpoint: group.httpDirectEndpoint,
    });
    new datomic.DatomicMonitoring("monitoring", {
        systemName: "acme",
        groups: [{ label: "orders", groupName: group.stackName, autoScalingGroupName: "orders-asg" }],
        restApis: [{ label: "api", apiName: "api", stageName: "api" }],
        emailSubscriptions: ["oncall@acme.com"],
    });
    const ions = new datomic.IonDeployment("ions", {
        projectDir: ionProjectDir,
        group: group.deploymentGroup,
        groupStackId: group.stackId,
    });
    const transactor = new datomic.DatomicTransactor("pro", {
        version: "1.0.7075",
        amiId: "ami-0123456789abcdef0",
        vpcId: "vpc-0pro",
        subnetIds: ["subnet-0a", "subnet-0b"],
        peerCidrs: ["10.9.0.0/16"],
    });
    new datomic.DatomicBackup("pro-backup", {
        version: "1.0.7075",
        tableName: transactor.tableName,
        databases: ["orders"],
        bucketName: "acme-pro-datomic-backups",
        vpcId: "vpc-0pro",
        subnetIds: ["subnet-0a", "subnet-0b"],
        amiId: "ami-0a1b2c3d4e5f60789",
    });

    let terraformMissing;
    try {
        new datomic.TerraformDatomicReference("legacy", { s3: { bucket: "tfstate", key: "datomic.tfstate" } });
    } catch (e) {
        terraformMissing = e.message;
    }
    // Installing the optional peer dependency makes the helper work.
    fs.symlinkSync(terraformPackageDir, path.join("node_modules", "@pulumi", "terraform"), "dir");
    const legacy = new datomic.TerraformDatomicReference("legacy", {
        s3: { bucket: "tfstate", key: "datomic.tfstate" },
        environment: "prod",
        fixedOutputs: { region: REGION },
    });

    const values = await resolved({
        endpointServiceName: system.endpointServiceName,
        environmentVpcId: environment.vpcId,
        connectionUriBase: transactor.connectionUriBase,
        sourceHash: ions.sourceHash,
        legacySystemName: legacy.systemName,
        legacyClientEndpoint: legacy.clientEndpoint,
    });
    // Let every registration started along the way finish.
    await sleep(500);
    process.stdout.write(
        JSON.stringify({ exports: Object.keys(datomic).sort(), registered, calls, values, terraformMissing, failures }),
    );
}

main().catch((e) => {
    process.stderr.write(`${e.stack || e}\n`);
    process.exit(1);
});
