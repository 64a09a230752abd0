/**
 * The storage and primary compute stacks of a Datomic Cloud system created from
 * Datomic's templates (DatomicCloudSystem's create mode).
 *
 * Sources: docs.datomic.com/operation/storage-template.html and operation/upgrading.html
 * (`Restart`, "Reuse Existing Storage": false for a new system, true when updating an existing
 * storage stack), operation/account-setup (an EC2 key pair is required), the Terraform AWS
 * provider's `aws_cloudformation_stack` (only configured parameters are sent; `on_failure` forces
 * replacement) and CloudFormation (a failed CREATE without `OnFailure` ends in ROLLBACK_COMPLETE,
 * which cannot be updated). Stack creates and updates take up to 25 minutes.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { definedParameters, numberParameter } from "../parameters";
import { computeStackOptions, DEFAULT_STACK_TIMEOUT_MINUTES } from "../stackOptions";
import { DatomicCloudSystemArgs, DatomicCloudSystemCreateArgs } from "./args";
import { SystemRelease } from "./validation";

/** What the stacks are built from. */
export interface SystemStackSettings {
    readonly name: string;
    readonly args: DatomicCloudSystemArgs;
    readonly create: DatomicCloudSystemCreateArgs;
    readonly release: SystemRelease;
    readonly topology: "nlb" | "alb";
    readonly computeStackName: string;
}

/**
 * `Restart` of the storage stack: `"true"` whenever the system already exists, so an upgrade reuses
 * its storage and no change of arguments can send `"false"` to it; `create.restart` only decides for a
 * stack that does not exist yet. The system exists when its VPC, tagged `Name=datomic-<system>` by the
 * storage stack (docs.datomic.com/operation/vpc-access.html), does; the lookup answers at preview too.
 */
export function storageRestartParameter(
    owner: pulumi.Resource,
    systemName: string,
    restart: boolean | undefined,
): pulumi.Output<string> {
    const vpcs = aws.ec2.getVpcsOutput(
        { filters: [{ name: "tag:Name", values: [`datomic-${systemName}`] }] },
        { parent: owner },
    );
    return vpcs.ids.apply((ids) => (ids.length > 0 ? "true" : String(restart ?? false)));
}

export function createStorageStack(owner: pulumi.Resource, settings: SystemStackSettings): aws.cloudformation.Stack {
    const { name, args, create, release } = settings;
    const protectStorage = create.protectStorage ?? true;
    const timeout = `${create.storageTimeoutMinutes ?? DEFAULT_STACK_TIMEOUT_MINUTES}m`;
    return new aws.cloudformation.Stack(
        `${name}-storage`,
        {
            name: args.systemName,
            templateUrl: release.storageTemplateUrl,
            capabilities: ["CAPABILITY_NAMED_IAM"],
            parameters: {
                Restart: storageRestartParameter(owner, args.systemName, create.restart),
                ...definedParameters({
                    VpcCidrBlock: create.vpcCidrBlock,
                    Subnet0CidrBlock: create.subnetCidrBlocks?.[0],
                    Subnet1CidrBlock: create.subnetCidrBlocks?.[1],
                    Subnet2CidrBlock: create.subnetCidrBlocks?.[2],
                }),
                ...create.storageParameters,
            },
            tags: args.tags,
        },
        {
            parent: owner,
            protect: protectStorage,
            retainOnDelete: protectStorage,
            customTimeouts: { create: timeout, update: timeout, delete: timeout },
        },
    );
}

export function createComputeStack(
    owner: pulumi.Resource,
    settings: SystemStackSettings,
    storageStack: aws.cloudformation.Stack,
): aws.cloudformation.Stack {
    const { name, args, create, release } = settings;
    return new aws.cloudformation.Stack(
        `${name}-compute`,
        {
            name: settings.computeStackName,
            templateUrl:
                settings.topology === "alb" && args.endpointService !== "none"
                    ? refuseNlbToAlbUpgrade(owner, settings).apply(() => release.computeTemplateUrl)
                    : release.computeTemplateUrl,
            capabilities: ["CAPABILITY_NAMED_IAM"],
            onFailure: "DELETE",
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
        computeStackOptions(owner, create.computeTimeoutMinutes, [storageStack]),
    );
}

/**
 * An alb release over a compute stack that runs an NLB is refused before the stack is touched, until
 * `endpointService` is explicitly `"none"`: the new template replaces the NLB by an ALB, and AWS cannot
 * delete an NLB that a VPC endpoint service or a REST API VPC link uses, so the update would fail
 * half-way. The explicit `"none"`, deployed with the nlb release first, says they are gone. The stack's
 * load balancers are found by the `aws:cloudformation:stack-name` tag CloudFormation puts on them; a
 * new stack has none.
 */
function refuseNlbToAlbUpgrade(owner: pulumi.Resource, settings: SystemStackSettings): pulumi.Output<void> {
    const loadBalancers = aws.resourcegroupstaggingapi.getResourcesOutput(
        {
            tagFilters: [{ key: "aws:cloudformation:stack-name", values: [settings.computeStackName] }],
            resourceTypeFilters: ["elasticloadbalancing:loadbalancer"],
        },
        { parent: owner },
    );
    return loadBalancers.resourceTagMappingLists.apply((mappings) => {
        const nlb = mappings.map((mapping) => mapping.resourceArn).find((arn) => arn.includes(":loadbalancer/net/"));
        if (nlb !== undefined) {
            throw new pulumi.ResourceError(
                `create.templateVersion: ${settings.release.version.text} is an alb release (884-9095 and later), but the ` +
                    `compute stack "${settings.computeStackName}" runs the NLB ${nlb}. The upgrade replaces the NLB, and AWS ` +
                    `cannot delete an NLB that a VPC endpoint service or a REST API VPC link uses. First remove them: set ` +
                    `endpointService to "none" and deploy with the nlb release, delete every DatomicClientEndpoint and ` +
                    `HttpDirect (REST VPC link) using the NLB, then change create.templateVersion, keeping ` +
                    `endpointService "none".`,
                owner,
            );
        }
    });
}
