/**
 * DatomicCloudSystem: the shared Datomic Cloud layer of one AWS account.
 *
 * Adopts an existing system (reads its storage and primary compute stacks) or
 * creates one (manages both stacks from Datomic's templates), and in both cases
 * publishes the environment stack contract and adds the account-level extras:
 * bastion SSH ingress, the VPC endpoint service of the nlb topology and
 * interface endpoints for AWS services inside the Datomic VPC. Its parts sit
 * beside it: arguments and their checks, the managed stacks, the endpoint
 * service and the tag lookups.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicEnvironmentOutputs } from "../../contract";
import { inVpcClientEndpoint } from "../../internal/endpoints";
import { createBastionIngress } from "./bastion";
import { systemEndpointService } from "./endpointService";
import {
    optionalStackOutput,
    optionalStackParameter,
    requiredStackOutput,
    stackOutputOrParameter,
} from "../stackOutputs";
import { DatomicCloudSystemArgs } from "./args";
import {
    datomicRouteTableIds,
    datomicSubnetIds,
    datomicSubnets,
    nodeSecurityGroupId,
    privateHostedZone,
} from "./lookups";
import { systemStacks } from "./stacks";
import { checkSystemArgs } from "./validation";
import { adoptedSystemRelease } from "./release";
import { createServiceEndpoints } from "./serviceEndpoints";

export type { DatomicCloudSystemArgs, DatomicCloudSystemCreateArgs } from "./args";

/**
 * The shared Datomic Cloud layer of one AWS account, and the source of the
 * environment stack contract.
 *
 * @example Adopt a system created outside Pulumi
 * ```ts
 * const system = new DatomicCloudSystem("datomic", { systemName: "acme-prod", topology: "nlb" });
 * export const vpcId = system.vpcId;
 * ```
 *
 * @example Create a system from the default release
 * ```ts
 * const system = new DatomicCloudSystem("datomic", {
 *     systemName: "acme-dev",
 *     create: { instanceType: "t3.large", keyName: "acme-dev-nodes", applicationName: "acme" },
 * });
 * ```
 */
export class DatomicCloudSystem extends pulumi.ComponentResource {
    /** `"cloud"`. */
    public readonly flavor: pulumi.Output<string>;
    /** The region the system runs in (the provider's). */
    public readonly region: pulumi.Output<string>;
    /** The AWS account the system runs in. */
    public readonly accountId: pulumi.Output<string>;
    /** The Datomic system name. */
    public readonly systemName: pulumi.Output<string>;
    /** `"nlb"`, `"alb"` or `"solo"`. */
    public readonly topology: pulumi.Output<string>;
    /**
     * The Datomic Cloud release the system runs (`1217-9399`): `create.templateVersion`, or for an adopted
     * system its compute stack's version outputs or `release`. Undefined when nothing says.
     */
    public readonly release: pulumi.Output<string | undefined>;
    /** The storage stack's name. */
    public readonly storageStackName: pulumi.Output<string>;
    /** The primary compute stack's name. */
    public readonly computeStackName: pulumi.Output<string>;
    /** Storage stack output `VpcId`. */
    public readonly vpcId: pulumi.Output<string>;
    /** The Datomic VPC's primary CIDR block. */
    public readonly vpcCidrBlock: pulumi.Output<string>;
    /** Storage stack outputs (or parameters) `Subnet0CidrBlock`..`Subnet2CidrBlock`. */
    public readonly subnetCidrBlocks: pulumi.Output<string[]>;
    /** Route tables tagged `Name=datomic-<system>`. */
    public readonly routeTableIds: pulumi.Output<string[]>;
    /** Compute stack output `NodeSecurityGroup`. */
    public readonly nodeSecurityGroupId: pulumi.Output<string | undefined>;
    /** Compute stack output `BastionSecurityGroup` (nlb topology; alb releases have no bastion). */
    public readonly bastionSecurityGroupId: pulumi.Output<string | undefined>;
    /** Compute stack output `LambdaSecurityGroup`. */
    public readonly lambdaSecurityGroupId: pulumi.Output<string | undefined>;
    /** Storage stack output `AppsSecurityGroup`. */
    public readonly appsSecurityGroupId: pulumi.Output<string | undefined>;
    /** Compute stack output `LoadBalancer` (the load balancer's ARN). */
    public readonly loadBalancerArn: pulumi.Output<string | undefined>;
    /** Compute stack output `LoadBalancerName`. */
    public readonly loadBalancerName: pulumi.Output<string | undefined>;
    /** Compute stack output `LoadBalancerHttpDirectEndpoint` (nlb topology). */
    public readonly httpDirectEndpoint: pulumi.Output<string | undefined>;
    /** nlb topology: the VPC endpoint service clients in other VPCs connect to. */
    public readonly endpointServiceName: pulumi.Output<string | undefined>;
    /** alb topology: `<system>.<region>.datomic.net`. */
    public readonly privateHostedZoneName: pulumi.Output<string | undefined>;
    /** alb topology: the id of the private hosted zone `privateHostedZoneName`, associated with the Datomic VPC. */
    public readonly privateHostedZoneId: pulumi.Output<string | undefined>;
    /** Compute stack output `ClientApiGatewayEndpoint` (alb releases, 884-9095 and later). */
    public readonly clientApiGatewayEndpoint: pulumi.Output<string | undefined>;
    /** Compute stack output `IonApiGatewayEndpoint`, HTTP Direct's gateway (alb releases, 884-9095 and later). */
    public readonly ionApiGatewayEndpoint: pulumi.Output<string | undefined>;
    /** The Datomic subnets, tagged `datomic-<system>-subnet-0..2`, in that order. */
    public readonly subnetIds: pulumi.Output<string[]>;
    /** The availability zone ids (`use1-az1`) of `subnetIds`, in the same order. */
    public readonly availabilityZoneIds: pulumi.Output<string[]>;
    /** The URL clients in the Datomic VPC use. */
    public readonly clientEndpoint: pulumi.Output<string>;
    /** Compute stack output `CodeDeployApplicationName`. */
    public readonly codeDeployApplicationName: pulumi.Output<string | undefined>;
    /** Compute stack output `DatomicCodeBucketArn`. */
    public readonly codeBucketArn: pulumi.Output<string | undefined>;
    /** Compute stack parameter `KeyName`. */
    public readonly keyName: pulumi.Output<string | undefined>;
    /** Storage stack output `S3DatomicArn`. */
    public readonly storageArn: pulumi.Output<string | undefined>;
    /** Create mode: the managed storage stack. */
    public readonly storageStack?: aws.cloudformation.Stack;
    /** Create mode: the managed primary compute stack. */
    public readonly computeStack?: aws.cloudformation.Stack;

    constructor(name: string, args: DatomicCloudSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:System", name, {}, opts);

        const checked = checkSystemArgs(this, args);
        const { systemName } = args;
        const { topology, bastionCidrs, serviceEndpoints } = checked;

        const { storage, compute, storageStack, computeStack } = systemStacks(this, name, args, checked);
        this.storageStack = storageStack;
        this.computeStack = computeStack;

        this.region = aws.getRegionOutput({}, { parent: this }).region;
        this.accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        this.flavor = pulumi.output("cloud");
        this.systemName = pulumi.output(systemName);
        this.topology = pulumi.output(topology);
        this.release = checked.release
            ? pulumi.output<string | undefined>(checked.release.version.text)
            : adoptedSystemRelease(this, compute, checked.adoptedRelease);
        this.storageStackName = storage.stackName;
        this.computeStackName = compute.stackName;

        this.vpcId = requiredStackOutput(storage, "VpcId", "the Datomic VPC lookup", this);
        this.vpcCidrBlock = aws.ec2.getVpcOutput({ id: this.vpcId }, { parent: this }).cidrBlock;
        this.subnetCidrBlocks = pulumi
            .all([0, 1, 2].map((i) => stackOutputOrParameter(storage, `Subnet${i}CidrBlock`)))
            .apply((blocks) => blocks.filter((block): block is string => block !== undefined));
        this.routeTableIds = datomicRouteTableIds(this, this.vpcId, systemName);
        this.appsSecurityGroupId = optionalStackOutput(storage, "AppsSecurityGroup");
        this.storageArn = optionalStackOutput(storage, "S3DatomicArn");

        // An output a requested feature needs is required; the rest are optional.
        this.nodeSecurityGroupId = nodeSecurityGroupId(
            this,
            compute,
            systemName,
            this.vpcId,
            serviceEndpoints.length > 0 ? "awsServiceEndpoints" : undefined,
        );
        // Outputs only one topology's templates have are left out of the other's, so a plan of a new
        // system does not list them as values to come (DATOMIC-FACTS.md, "Topologies and client access").
        const only = (wanted: "nlb" | "alb", output: () => pulumi.Output<string | undefined>) =>
            topology === wanted ? output() : pulumi.output(undefined);
        this.bastionSecurityGroupId =
            bastionCidrs.length > 0
                ? requiredStackOutput(compute, "BastionSecurityGroup", "bastionIngressCidrs", this)
                : only("nlb", () => optionalStackOutput(compute, "BastionSecurityGroup"));
        this.lambdaSecurityGroupId = optionalStackOutput(compute, "LambdaSecurityGroup");
        this.loadBalancerArn =
            checked.endpointService !== "none"
                ? requiredStackOutput(compute, "LoadBalancer", "the nlb topology's VPC endpoint service", this)
                : optionalStackOutput(compute, "LoadBalancer");
        this.loadBalancerName = optionalStackOutput(compute, "LoadBalancerName");
        this.httpDirectEndpoint = only("nlb", () => optionalStackOutput(compute, "LoadBalancerHttpDirectEndpoint"));
        this.codeDeployApplicationName = optionalStackOutput(compute, "CodeDeployApplicationName");
        this.codeBucketArn = optionalStackOutput(compute, "DatomicCodeBucketArn");
        this.keyName = optionalStackParameter(compute, "KeyName");
        this.clientApiGatewayEndpoint = only("alb", () => optionalStackOutput(compute, "ClientApiGatewayEndpoint"));
        this.ionApiGatewayEndpoint = only("alb", () => optionalStackOutput(compute, "IonApiGatewayEndpoint"));
        const subnets = datomicSubnets(this, datomicSubnetIds(this, this.vpcId, systemName));
        this.subnetIds = subnets.subnetIds;
        this.availabilityZoneIds = subnets.availabilityZoneIds;

        this.clientEndpoint = args.clientEndpoint
            ? pulumi.output(args.clientEndpoint)
            : this.region.apply((region) => inVpcClientEndpoint(systemName, region, topology));
        const zone = privateHostedZone(this, topology, systemName, this.region, this.vpcId);
        this.privateHostedZoneName = zone.name;
        this.privateHostedZoneId = zone.id;

        createBastionIngress(
            this,
            name,
            systemName,
            this.bastionSecurityGroupId as pulumi.Output<string>,
            bastionCidrs,
            args.tags,
        );
        this.endpointServiceName = systemEndpointService(
            this,
            name,
            args,
            checked.endpointService,
            this.loadBalancerArn as pulumi.Output<string>,
        );
        createServiceEndpoints(this, {
            name,
            systemName,
            services: serviceEndpoints,
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            region: this.region,
            nodeSecurityGroupId: this.nodeSecurityGroupId as pulumi.Output<string>,
            tags: args.tags,
        });

        this.registerOutputs(this.contractOutputs());
    }

    /** The environment stack contract outputs this system provides. */
    public contractOutputs(): DatomicEnvironmentOutputs {
        return {
            flavor: this.flavor,
            region: this.region,
            accountId: this.accountId,
            systemName: this.systemName,
            topology: this.topology,
            release: this.release,
            vpcId: this.vpcId,
            vpcCidrBlock: this.vpcCidrBlock,
            subnetCidrBlocks: this.subnetCidrBlocks,
            routeTableIds: this.routeTableIds,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            bastionSecurityGroupId: this.bastionSecurityGroupId,
            lambdaSecurityGroupId: this.lambdaSecurityGroupId,
            appsSecurityGroupId: this.appsSecurityGroupId,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerName: this.loadBalancerName,
            httpDirectEndpoint: this.httpDirectEndpoint,
            endpointServiceName: this.endpointServiceName,
            clientApiGatewayEndpoint: this.clientApiGatewayEndpoint,
            ionApiGatewayEndpoint: this.ionApiGatewayEndpoint,
            subnetIds: this.subnetIds,
            availabilityZoneIds: this.availabilityZoneIds,
            privateHostedZoneName: this.privateHostedZoneName,
            privateHostedZoneId: this.privateHostedZoneId,
            clientEndpoint: this.clientEndpoint,
            codeDeployApplicationName: this.codeDeployApplicationName,
            codeBucketArn: this.codeBucketArn,
            keyName: this.keyName,
            storageArn: this.storageArn,
        };
    }
}
