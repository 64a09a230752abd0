/**
 * The world after the environment program's create-mode stacks were deployed: the outputs their
 * CloudFormation stacks have, and the lookups that then find the system's VPC, subnets, route table and
 * private zone. A plan against the deployed state makes those lookups, which a first plan cannot.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as toYaml } from "yaml";
import { loadFixtureFile, LookupFixture } from "../../plan/fixtures";
import { REPO_ROOT } from "./program";

interface System {
    name: string;
    region: string;
    vpcId: string;
    vpcCidrBlock: string;
}

const SYSTEMS: Record<string, System> = {
    dev: { name: "acme-dev", region: "us-east-1", vpcId: "vpc-0d5a7e9c1b3f40001", vpcCidrBlock: "10.40.0.0/16" },
    prod: { name: "acme-prod", region: "us-east-1", vpcId: "vpc-0a6b7c8d9e0f10001", vpcCidrBlock: "10.60.0.0/16" },
};

/** Outputs of the program's CloudFormation stacks once deployed (non-preview runs). */
export function deployedStackOutputs(stack: string) {
    const system = SYSTEMS[stack] ?? SERVICE_SYSTEM;
    return (type: string, name: string, inputs: Record<string, unknown>) => {
        if (type === "aws:cloudformation/stack:Stack") {
            const stackName = String(inputs.name);
            return { id: stackId(system, stackName), outputs: stackOutputs(system, stackName) };
        }
        return type.startsWith("aws:") ? computedOutputs(type, name, inputs, system) : undefined;
    };
}

/** What AWS assigns when it creates a resource, as the state then records it. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>, system: System) {
    const service = type.split(":")[1].split("/")[0];
    const outputs: Record<string, unknown> = {
        arn: `arn:aws:${service}:${system.region}:111111111111:${name}`,
        ...(inputs.name === undefined ? { name: `${name}-0a1b2c` } : {}),
    };
    switch (type) {
        case "aws:ec2/vpcEndpointService:VpcEndpointService":
            return { ...outputs, serviceName: `com.amazonaws.vpce.${system.region}.vpce-svc-0${name}` };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return { ...outputs, primaryEndpointAddress: `master.${name}.0a1b2c.use1.cache.amazonaws.com` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { ...outputs, name: inputs.name ?? `/aws/${name}` };
        default:
            return outputs;
    }
}

/** An API Gateway id as AWS makes them (ten lowercase letters and digits), the same for the same name. */
function apiId(name: string): string {
    return createHash("sha256").update(name).digest("hex").slice(0, 10);
}

function stackId(system: System, stackName: string): string {
    return `arn:aws:cloudformation:${system.region}:111111111111:stack/${stackName}/0a1b2c3d`;
}

function stackOutputs(system: System, stackName: string): Record<string, string> {
    if (!stackName.startsWith(system.name)) {
        // A service's query group (examples/ion-service).
        return {
            CodeDeployDeploymentGroup: stackName,
            LoadBalancer: `arn:aws:elasticloadbalancing:${system.region}:111111111111:loadbalancer/app/${stackName}/0f1e`,
            LoadBalancerHttpDirectEndpoint: `http://${stackName}-0f1e.elb.${system.region}.amazonaws.com:8184`,
            IonApiGatewayEndpoint: `https://${apiId(`${stackName}-ions`)}.execute-api.${system.region}.amazonaws.com`,
        };
    }
    if (stackName === system.name) {
        return {
            VpcId: system.vpcId,
            AppsSecurityGroup: `sg-0${system.name}-apps`,
            S3DatomicArn: `arn:aws:s3:::${system.name}-storage-0a1b`,
        };
    }
    return {
        NodeSecurityGroup: `sg-0${system.name}-nodes`,
        LoadBalancer: `arn:aws:elasticloadbalancing:${system.region}:111111111111:loadbalancer/app/${stackName}/0f1e`,
        LoadBalancerName: `${stackName}-lb`,
        CodeDeployApplicationName: system.name,
        DatomicCodeBucketArn: `arn:aws:s3:::${system.name}-code-0a1b`,
        // alb releases (884-9095 and later) run Datomic's API gateways.
        ClientApiGatewayEndpoint: `https://${apiId(`${stackName}-client`)}.execute-api.${system.region}.amazonaws.com`,
        IonApiGatewayEndpoint: `https://${apiId(`${stackName}-ions`)}.execute-api.${system.region}.amazonaws.com`,
    };
}

/** The service's query group stack (examples/ion-service) lives in the dev environment's region. */
const SERVICE_SYSTEM: System = { ...SYSTEMS.dev, name: "acme-dev" };

/** At preview the program reads a managed stack's outputs by its id (components/cloud/stackOutputs.ts). */
function stackLookups(system: System, stackNames: string[]): LookupFixture[] {
    return stackNames.map((stackName) => ({
        function: "aws:cloudformation/getStack:getStack",
        match: { name: stackId(system, stackName) },
        result: { id: stackId(system, stackName), outputs: stackOutputs(system, stackName), parameters: {} },
    }));
}

/** The example service's fixtures plus the lookups of its deployed query group stacks; the file's path. */
export function deployedServiceFixtureFile(programDir: string, stack: string, queryGroups: string[]): string {
    const fixtures = loadFixtureFile(path.join(programDir, "plan-fixtures", `${stack}.yaml`));
    return writeFixtures(stack, {
        ...fixtures,
        lookups: [...stackLookups(SERVICE_SYSTEM, queryGroups), ...(fixtures.lookups ?? [])],
    });
}

function writeFixtures(stack: string, fixtures: object): string {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "deployed-world-")), `${stack}.yaml`);
    fs.writeFileSync(out, toYaml(fixtures));
    return out;
}

/** A fixture file with the stack's own answers plus those the deployed system gives; its path. */
export function deployedFixtureFile(stack: string): string {
    const file = path.join(REPO_ROOT, "plan-fixtures", `${stack}.yaml`);
    const fixtures = loadFixtureFile(file);
    const system = SYSTEMS[stack];
    const lookups: LookupFixture[] = system
        ? [
              ...stackLookups(system, [system.name, `${system.name}-compute`]),
              {
                  function: "aws:ec2/getVpc:getVpc",
                  match: { id: system.vpcId },
                  result: { id: system.vpcId, cidrBlock: system.vpcCidrBlock },
              },
              {
                  function: "aws:ec2/getRouteTables:getRouteTables",
                  match: { vpcId: system.vpcId },
                  result: { id: system.region, ids: [`rtb-0${system.name}`] },
              },
              {
                  function: "aws:ec2/getSubnets:getSubnets",
                  result: { id: system.region, ids: [0, 1, 2].map((n) => `subnet-0${system.name}-${n}`) },
              },
              ...[0, 1, 2].map((n) => ({
                  function: "aws:ec2/getSubnet:getSubnet",
                  match: { id: `subnet-0${system.name}-${n}` },
                  result: {
                      id: `subnet-0${system.name}-${n}`,
                      availabilityZoneId: `use1-az${n + 1}`,
                      tags: { Name: `datomic-${system.name}-subnet-${n}` },
                  },
              })),
              // Monitoring finds the compute group's Auto Scaling group by its stack-name tag.
              {
                  function: "aws:autoscaling/getAmiIds:getAmiIds",
                  result: { id: system.region, names: [`${system.name}-compute-AutoScalingGroup-0A1B2C`] },
              },
              {
                  function: "aws:route53/getZone:getZone",
                  match: { name: `${system.name}.${system.region}.datomic.net`, privateZone: true },
                  result: { id: "Z0DEPLOYEDZONE", zoneId: "Z0DEPLOYEDZONE" },
              },
          ]
        : [];
    return writeFixtures(stack, { ...fixtures, lookups: [...lookups, ...(fixtures.lookups ?? [])] });
}
