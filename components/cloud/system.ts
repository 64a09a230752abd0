/**
 * DatomicCloudSystem: the shared Datomic Cloud layer of one AWS account.
 *
 * Adopts an existing system (reads its storage and primary compute stacks) or
 * creates one (manages both stacks from Datomic's templates), and in both cases
 * publishes the environment stack contract and adds the account-level extras:
 * bastion SSH ingress, the VPC endpoint service of the nlb topology and
 * interface endpoints for AWS services inside the Datomic VPC.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DATOMIC_TOPOLOGIES, DatomicEnvironmentOutputs } from "../contract";
import { ingressCidrProblem } from "../internal/cidr";
import { inVpcClientEndpoint, privateHostedZoneName } from "../internal/endpoints";
import { nameFragment, newSystemNameProblem, stackNameProblem } from "../internal/naming";
import {
    DEFAULT_TEMPLATE_VERSION,
    parseTemplateVersion,
    templateUrl,
    topologyOfRelease,
    TemplateVersion,
} from "../internal/templates";
import { validateNewSystemNetwork } from "../internal/systemNetwork";
import { capacityProblem, definedParameters, numberParameter } from "./parameters";
import {
    DatomicStackView,
    optionalStackOutput,
    optionalStackParameter,
    requiredStackOutput,
    stackOutputOrParameter,
} from "./stackOutputs";

/** Settings for creating a new Datomic Cloud system from Datomic's CloudFormation templates. */
export interface DatomicCloudSystemCreateArgs {
    /**
     * The Datomic Cloud release, `<revision>-<build>`. Defaults to `1217-9399`.
     * Upgrading is a change of this value: Pulumi updates the storage stack, then the compute stack.
     */
    templateVersion?: string;
    /** The storage template URL; defaults to the release's URL in Datomic's S3 bucket. */
    storageTemplateUrl?: string;
    /** The primary compute template URL; defaults to the release's URL in Datomic's S3 bucket. */
    computeTemplateUrl?: string;
    /** `InstanceType` of the primary compute nodes, e.g. `t3.large`. The template's default when omitted. */
    instanceType?: pulumi.Input<string>;
    /** `KeyName`: an EC2 key pair for SSH to the nodes. */
    keyName?: pulumi.Input<string>;
    /** `ApplicationName` of the ions deployed to the primary compute group. Datomic does not allow changing it later. */
    applicationName?: pulumi.Input<string>;
    /** `DesiredCapacity`; omit for the template's `Default`. */
    desiredCapacity?: number;
    /** `MinSize`; omit for the template's `Default`. */
    minSize?: number;
    /** `MaxSize`; omit for the template's `Default`. */
    maxSize?: number;
    /** `MinInstancesInService`; omit for the template's `Default`. */
    minInstancesInService?: number;
    /** `VpcCidrBlock` of the Datomic VPC; the template's default when omitted. */
    vpcCidrBlock?: string;
    /** `Subnet0CidrBlock`..`Subnet2CidrBlock`: exactly three blocks inside `vpcCidrBlock`, when given. */
    subnetCidrBlocks?: string[];
    /** `Restart`: reuse the storage of a deleted system of the same name. Default false. */
    restart?: boolean;
    /** Extra or overriding storage stack parameters, for template releases whose parameters differ. */
    storageParameters?: Record<string, pulumi.Input<string>>;
    /** Extra or overriding compute stack parameters (for example `EnvironmentMap` or `NodePolicyARN`). */
    computeParameters?: Record<string, pulumi.Input<string>>;
    /**
     * Protect the storage stack from deletion and retain it if removed from the program. Default true.
     * Set false only for throwaway systems.
     */
    protectStorage?: boolean;
    /** Pulumi's timeout for creating, updating or deleting the compute stack, in minutes. Default 45. */
    computeTimeoutMinutes?: number;
}

/** Arguments of {@link DatomicCloudSystem}. */
export interface DatomicCloudSystemArgs {
    /** The Datomic system name: the name of the storage stack. */
    systemName: string;
    /**
     * The network topology, `"nlb"` (releases before 884-9095) or `"alb"` (884-9095 and later).
     * Required when adopting; when creating it defaults from `create.templateVersion`.
     */
    topology?: string;
    /** Adopt mode: the storage stack's name. Defaults to `systemName`. */
    storageStackName?: string;
    /** The primary compute stack's name. Defaults to `<systemName>-compute`. */
    computeStackName?: string;
    /** Create mode: present to create the system, absent to adopt an existing one. */
    create?: DatomicCloudSystemCreateArgs;
    /**
     * CIDR blocks allowed to SSH (TCP 22) to the bastion security group, when the compute stack has one.
     * Empty or omitted: no rule. `0.0.0.0/0` and `::/0` are refused unless `allowPublicBastion` is true.
     */
    bastionIngressCidrs?: string[];
    /** Allow `0.0.0.0/0` or `::/0` in `bastionIngressCidrs`. Default false. */
    allowPublicBastion?: boolean;
    /** nlb topology: whether connections to the VPC endpoint service need acceptance. Default false. */
    endpointServiceAcceptanceRequired?: pulumi.Input<boolean>;
    /** nlb topology: principals (ARNs, such as other accounts' roots) allowed to connect to the endpoint service. */
    endpointServiceAllowedPrincipals?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * AWS services (e.g. `["sqs"]`, or full names such as `com.amazonaws.us-east-1.sqs`) to reach from the
     * Datomic VPC through interface VPC endpoints on the nodes security group, with private DNS.
     */
    awsServiceEndpoints?: string[];
    /** The client endpoint to publish, when the default for the topology does not fit. */
    clientEndpoint?: pulumi.Input<string>;
    /** Tags for the stacks and every resource the component creates. */
    tags?: Record<string, pulumi.Input<string>>;
}

const DEFAULT_COMPUTE_TIMEOUT_MINUTES = 45;

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
 *     create: { instanceType: "t3.large", applicationName: "acme" },
 *     bastionIngressCidrs: ["10.20.0.0/16"],
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
    /** `"nlb"` or `"alb"`. */
    public readonly topology: pulumi.Output<string>;
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
    /** Compute stack output `BastionSecurityGroup`. */
    public readonly bastionSecurityGroupId: pulumi.Output<string | undefined>;
    /** Compute stack output `LambdaSecurityGroup`. */
    public readonly lambdaSecurityGroupId: pulumi.Output<string | undefined>;
    /** Storage stack output `AppsSecurityGroup`. */
    public readonly appsSecurityGroupId: pulumi.Output<string | undefined>;
    /** Compute stack output `LoadBalancer` (the load balancer's ARN). */
    public readonly loadBalancerArn: pulumi.Output<string | undefined>;
    /** Compute stack output `LoadBalancerName`. */
    public readonly loadBalancerName: pulumi.Output<string | undefined>;
    /** Compute stack output `LoadBalancerHttpDirectEndpoint`. */
    public readonly httpDirectEndpoint: pulumi.Output<string | undefined>;
    /** nlb topology: the VPC endpoint service clients in other VPCs connect to. */
    public readonly endpointServiceName: pulumi.Output<string | undefined>;
    /** alb topology: `<system>.<region>.datomic.net`. */
    public readonly privateHostedZoneName: pulumi.Output<string | undefined>;
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

        const systemName = args.systemName;
        const release = args.create ? this.validateCreateArgs(args, args.create) : undefined;
        const topology = this.resolveTopology(args.topology, release);
        const storageStackName = args.create ? systemName : (args.storageStackName ?? systemName);
        const computeStackName = args.computeStackName ?? `${systemName}-compute`;
        this.check("computeStackName", stackNameProblem(computeStackName));
        if (!args.create) {
            this.check("systemName", stackNameProblem(systemName));
            this.check("storageStackName", stackNameProblem(storageStackName));
        }
        const bastionCidrs = this.validateBastionCidrs(
            args.bastionIngressCidrs ?? [],
            args.allowPublicBastion ?? false,
        );
        const serviceEndpoints = this.validateServiceEndpoints(args.awsServiceEndpoints ?? []);

        let storage: DatomicStackView;
        let compute: DatomicStackView;
        if (args.create) {
            this.storageStack = this.createStorageStack(name, args, args.create, release!);
            this.computeStack = this.createComputeStack(
                name,
                args,
                args.create,
                release!,
                this.storageStack,
                computeStackName,
            );
            storage = managedStackView("storage", this.storageStack);
            compute = managedStackView("primary compute", this.computeStack);
        } else {
            storage = this.lookUpStack("storage", storageStackName);
            compute = this.lookUpStack("primary compute", computeStackName);
        }

        this.region = aws.getRegionOutput({}, { parent: this }).region;
        this.accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        this.flavor = pulumi.output("cloud");
        this.systemName = pulumi.output(systemName);
        this.topology = pulumi.output(topology);
        this.storageStackName = storage.stackName;
        this.computeStackName = compute.stackName;

        this.vpcId = requiredStackOutput(storage, "VpcId", "the Datomic VPC lookup", this);
        this.vpcCidrBlock = aws.ec2.getVpcOutput({ id: this.vpcId }, { parent: this }).cidrBlock;
        this.subnetCidrBlocks = pulumi
            .all([0, 1, 2].map((i) => stackOutputOrParameter(storage, `Subnet${i}CidrBlock`)))
            .apply((blocks) => blocks.filter((block): block is string => block !== undefined));
        this.routeTableIds = aws.ec2.getRouteTablesOutput(
            { vpcId: this.vpcId, filters: [{ name: "tag:Name", values: [`datomic-${systemName}`] }] },
            { parent: this },
        ).ids;
        this.appsSecurityGroupId = optionalStackOutput(storage, "AppsSecurityGroup");
        this.storageArn = optionalStackOutput(storage, "S3DatomicArn");

        // An output a requested feature needs is required; the rest are optional.
        this.nodeSecurityGroupId =
            serviceEndpoints.length > 0
                ? requiredStackOutput(compute, "NodeSecurityGroup", "awsServiceEndpoints", this)
                : optionalStackOutput(compute, "NodeSecurityGroup");
        this.bastionSecurityGroupId =
            bastionCidrs.length > 0
                ? requiredStackOutput(compute, "BastionSecurityGroup", "bastionIngressCidrs", this)
                : optionalStackOutput(compute, "BastionSecurityGroup");
        this.lambdaSecurityGroupId = optionalStackOutput(compute, "LambdaSecurityGroup");
        this.loadBalancerArn =
            topology === "nlb"
                ? requiredStackOutput(compute, "LoadBalancer", "the nlb topology's VPC endpoint service", this)
                : optionalStackOutput(compute, "LoadBalancer");
        this.loadBalancerName = optionalStackOutput(compute, "LoadBalancerName");
        this.httpDirectEndpoint = optionalStackOutput(compute, "LoadBalancerHttpDirectEndpoint");
        this.codeDeployApplicationName = optionalStackOutput(compute, "CodeDeployApplicationName");
        this.codeBucketArn = optionalStackOutput(compute, "DatomicCodeBucketArn");
        this.keyName = optionalStackParameter(compute, "KeyName");

        this.clientEndpoint = args.clientEndpoint
            ? pulumi.output(args.clientEndpoint)
            : this.region.apply((region) => inVpcClientEndpoint(systemName, region, topology));
        this.privateHostedZoneName =
            topology === "alb"
                ? this.region.apply((region) => privateHostedZoneName(systemName, region))
                : pulumi.output(undefined);

        for (const cidr of bastionCidrs) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-bastion-ssh-${nameFragment(cidr)}`,
                {
                    securityGroupId: this.bastionSecurityGroupId as pulumi.Output<string>,
                    ipProtocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                    description: `SSH to the ${systemName} bastion`,
                    tags: args.tags,
                },
                { parent: this },
            );
        }

        if (topology === "nlb") {
            const endpointService = new aws.ec2.VpcEndpointService(
                `${name}-endpoint-service`,
                {
                    networkLoadBalancerArns: [this.loadBalancerArn as pulumi.Output<string>],
                    acceptanceRequired: args.endpointServiceAcceptanceRequired ?? false,
                    allowedPrincipals: args.endpointServiceAllowedPrincipals,
                    tags: { Name: `datomic-${systemName}`, ...args.tags },
                },
                { parent: this },
            );
            this.endpointServiceName = endpointService.serviceName;
        } else {
            this.endpointServiceName = pulumi.output(undefined);
        }

        if (serviceEndpoints.length > 0) {
            const subnetIds = aws.ec2.getSubnetsOutput(
                {
                    filters: [
                        { name: "vpc-id", values: [this.vpcId] },
                        { name: "tag:Name", values: [0, 1, 2].map((i) => `datomic-${systemName}-subnet-${i}`) },
                    ],
                },
                { parent: this },
            ).ids;
            for (const service of serviceEndpoints) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${nameFragment(service)}-endpoint`,
                    {
                        vpcId: this.vpcId,
                        serviceName: service.includes(".")
                            ? service
                            : this.region.apply((region) => `com.amazonaws.${region}.${service}`),
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds,
                        securityGroupIds: [this.nodeSecurityGroupId as pulumi.Output<string>],
                        tags: { Name: `datomic-${systemName}-${nameFragment(service)}`, ...args.tags },
                    },
                    { parent: this },
                );
            }
        }

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
            privateHostedZoneName: this.privateHostedZoneName,
            clientEndpoint: this.clientEndpoint,
            codeDeployApplicationName: this.codeDeployApplicationName,
            codeBucketArn: this.codeBucketArn,
            keyName: this.keyName,
            storageArn: this.storageArn,
        };
    }

    private check(argument: string, problem: string | undefined): void {
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, this);
        }
    }

    private validateCreateArgs(args: DatomicCloudSystemArgs, create: DatomicCloudSystemCreateArgs): TemplateVersion {
        this.check("systemName", newSystemNameProblem(args.systemName));
        if (args.storageStackName !== undefined && args.storageStackName !== args.systemName) {
            this.check(
                "storageStackName",
                `"${args.storageStackName}" differs from systemName "${args.systemName}"; a new system's storage stack is named after the system`,
            );
        }
        let release: TemplateVersion;
        try {
            release = parseTemplateVersion(create.templateVersion ?? DEFAULT_TEMPLATE_VERSION);
        } catch (e) {
            throw new pulumi.ResourceError(`create.templateVersion: ${(e as Error).message}`, this);
        }
        for (const key of ["desiredCapacity", "minSize", "maxSize", "minInstancesInService"] as const) {
            this.check(`create.${key}`, capacityProblem(create[key]));
        }
        const { minSize, maxSize, desiredCapacity } = create;
        if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
            this.check("create.minSize", `${minSize} is greater than create.maxSize ${maxSize}`);
        }
        if (desiredCapacity !== undefined) {
            if (minSize !== undefined && desiredCapacity < minSize) {
                this.check("create.desiredCapacity", `${desiredCapacity} is below create.minSize ${minSize}`);
            }
            if (maxSize !== undefined && desiredCapacity > maxSize) {
                this.check("create.desiredCapacity", `${desiredCapacity} is above create.maxSize ${maxSize}`);
            }
        }
        const networkProblem = validateNewSystemNetwork(create.vpcCidrBlock, create.subnetCidrBlocks);
        if (networkProblem) {
            this.check(networkProblem.argument, networkProblem.message);
        }
        const timeout = create.computeTimeoutMinutes;
        if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
            this.check("create.computeTimeoutMinutes", `${timeout} is not a positive whole number of minutes`);
        }
        return release;
    }

    private resolveTopology(topology: string | undefined, release: TemplateVersion | undefined): string {
        if (topology === undefined) {
            if (release === undefined) {
                this.check("topology", `is required when adopting a system; set "nlb" or "alb"`);
            }
            return topologyOfRelease(release!);
        }
        if (!(DATOMIC_TOPOLOGIES as readonly string[]).includes(topology)) {
            this.check("topology", `"${topology}" is not a Datomic Cloud topology; use "nlb" or "alb"`);
        }
        return topology;
    }

    private validateBastionCidrs(cidrs: string[], allowPublic: boolean): string[] {
        for (const cidr of cidrs) {
            this.check(
                "bastionIngressCidrs",
                ingressCidrProblem(cidr, {
                    allowPublic,
                    allowFlag: "allowPublicBastion",
                    exposure: "opens SSH to the whole internet",
                    sources: "your own",
                }),
            );
        }
        return [...new Set(cidrs)];
    }

    private validateServiceEndpoints(services: string[]): string[] {
        for (const service of services) {
            if (!/^[a-z0-9][a-z0-9.-]*$/.test(service)) {
                this.check(
                    "awsServiceEndpoints",
                    `"${service}" is not an AWS service name; use a short name such as "sqs" or a full name such as "com.amazonaws.us-east-1.sqs"`,
                );
            }
        }
        return [...new Set(services)];
    }

    private lookUpStack(role: string, stackName: string): DatomicStackView {
        const stack = aws.cloudformation.getStackOutput({ name: stackName }, { parent: this });
        return {
            role,
            stackName: stack.name,
            outputs: stack.outputs,
            parameters: stack.parameters,
        };
    }

    private createStorageStack(
        name: string,
        args: DatomicCloudSystemArgs,
        create: DatomicCloudSystemCreateArgs,
        release: TemplateVersion,
    ): aws.cloudformation.Stack {
        const protectStorage = create.protectStorage ?? true;
        return new aws.cloudformation.Stack(
            `${name}-storage`,
            {
                name: args.systemName,
                templateUrl: create.storageTemplateUrl ?? templateUrl(release, "storage"),
                capabilities: ["CAPABILITY_NAMED_IAM"],
                parameters: {
                    ...definedParameters({
                        Restart: create.restart === undefined ? undefined : String(create.restart),
                        VpcCidrBlock: create.vpcCidrBlock,
                        Subnet0CidrBlock: create.subnetCidrBlocks?.[0],
                        Subnet1CidrBlock: create.subnetCidrBlocks?.[1],
                        Subnet2CidrBlock: create.subnetCidrBlocks?.[2],
                    }),
                    ...create.storageParameters,
                },
                tags: args.tags,
            },
            { parent: this, protect: protectStorage, retainOnDelete: protectStorage },
        );
    }

    private createComputeStack(
        name: string,
        args: DatomicCloudSystemArgs,
        create: DatomicCloudSystemCreateArgs,
        release: TemplateVersion,
        storageStack: aws.cloudformation.Stack,
        computeStackName: string,
    ): aws.cloudformation.Stack {
        const timeout = `${create.computeTimeoutMinutes ?? DEFAULT_COMPUTE_TIMEOUT_MINUTES}m`;
        return new aws.cloudformation.Stack(
            `${name}-compute`,
            {
                name: computeStackName,
                templateUrl: create.computeTemplateUrl ?? templateUrl(release, "compute"),
                capabilities: ["CAPABILITY_NAMED_IAM"],
                parameters: {
                    // Taking the name from the storage stack orders compute after storage, as Datomic requires.
                    SystemName: storageStack.name,
                    ...definedParameters({
                        InstanceType: create.instanceType,
                        KeyName: create.keyName,
                        ApplicationName: create.applicationName,
                        DesiredCapacity: numberParameter(create.desiredCapacity),
                        MinSize: numberParameter(create.minSize),
                        MaxSize: numberParameter(create.maxSize),
                        MinInstancesInService: numberParameter(create.minInstancesInService),
                    }),
                    ...create.computeParameters,
                },
                tags: args.tags,
            },
            {
                parent: this,
                dependsOn: [storageStack],
                customTimeouts: { create: timeout, update: timeout, delete: timeout },
            },
        );
    }
}

function managedStackView(role: string, stack: aws.cloudformation.Stack): DatomicStackView {
    return { role, stackName: stack.name, outputs: stack.outputs, parameters: stack.parameters };
}
