/**
 * The storage and primary compute stacks of a Datomic Cloud system created from
 * Datomic's templates (DatomicCloudSystem's create mode).
 *
 * Sources: docs.datomic.com/operation/storage-template.html, operation/deleting.html and
 * operation/upgrading.html (`Restart`, "Reuse Existing Storage": true whenever the system's storage
 * exists, which deleting the storage stack does not delete; false only for storage that never
 * existed), operation/compute-templates.html and the 884-9095 release notes (`ClientAPI`, `Ions`), operation/account-setup (an EC2 key pair is required), the Terraform AWS
 * provider's `aws_cloudformation_stack` (only configured parameters are sent; `on_failure` forces
 * replacement) and CloudFormation (a failed CREATE without `OnFailure` ends in ROLLBACK_COMPLETE,
 * which cannot be updated). Stack creates and updates take up to 25 minutes.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { definedParameters, gatewayParameters, numberParameter } from "../parameters";
import { computeStackOptions, DEFAULT_STACK_TIMEOUT_MINUTES } from "../stackOptions";
import { DatomicCloudSystemArgs, DatomicCloudSystemCreateArgs } from "./args";
import { CheckedSystemArgs, SystemRelease } from "./validation";
import { DatomicStackView, lookedUpStackView, managedStackView } from "../stackOutputs";
import { DatomicTopology } from "../../contract";

/** What the stacks are built from. */
export interface SystemStackSettings {
    readonly name: string;
    readonly args: DatomicCloudSystemArgs;
    readonly create: DatomicCloudSystemCreateArgs;
    readonly release: SystemRelease;
    readonly topology: DatomicTopology;
    readonly computeStackName: string;
}

/**
 * `Restart` of the storage stack: `"true"` whenever Datomic's storage for the system exists, `"false"` only
 * when it never did. Datomic's storage outlives its stack (deleting the stack keeps the DynamoDB table
 * `datomic-<system>`, the S3 bucket, EFS and the logs: operation/deleting.html), and a stack re-created
 * over it needs `Restart` true (operation/storage-template.html). So the test is the table, not the VPC,
 * which is deleted with the stack. `aws.dynamodb.getTables` lists the region's table names (ListTables,
 * paginated: hashicorp/terraform-provider-aws internal/service/dynamodb/tables_data_source.go), so an
 * absent table is an empty answer, not a failed preview. Which case was seen is logged on the component.
 */
export function storageRestartParameter(
    owner: pulumi.Resource,
    systemName: string,
    restart: boolean | undefined,
): pulumi.Output<string> {
    const table = `datomic-${systemName}`;
    const tables = aws.dynamodb.getTablesOutput({}, { parent: owner });
    return tables.names.apply((names) => {
        const exists = names.includes(table);
        if (!exists && restart === true) {
            throw new pulumi.ResourceError(
                `create.restart: true, but there is no DynamoDB table ${table} in this region: there is no Datomic storage ` +
                    `to reuse. Leave create.restart out: Restart follows the table.`,
                owner,
            );
        }
        pulumi.log.info(
            exists
                ? `Restart "true": Datomic's storage table ${table} exists, so the storage stack reuses it`
                : `Restart "false": no DynamoDB table ${table} exists, so the storage stack creates new storage`,
            owner,
        );
        return String(exists);
    });
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
                ...gatewayParameters(settings.topology),
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

/** The system's storage and primary compute stacks, as the component reads them (and manages them, in create mode). */
export interface SystemStacks {
    readonly storage: DatomicStackView;
    readonly compute: DatomicStackView;
    readonly storageStack?: aws.cloudformation.Stack;
    readonly computeStack?: aws.cloudformation.Stack;
}

/**
 * Create mode: both stacks, managed, and read back (at preview from the deployed stacks, which also refuses
 * a change of `ApplicationName`: "System and application names cannot be changed",
 * docs.datomic.com/cloud/operation/planning.html). Adopt mode: both stacks looked up by name.
 */
export function systemStacks(
    owner: pulumi.Resource,
    name: string,
    args: DatomicCloudSystemArgs,
    checked: CheckedSystemArgs,
): SystemStacks {
    if (!args.create) {
        return {
            storage: lookedUpStackView("storage", checked.storageStackName, owner),
            compute: lookedUpStackView("primary compute", checked.computeStackName, owner),
        };
    }
    const settings = {
        name,
        args,
        create: args.create,
        release: checked.release!,
        topology: checked.topology,
        computeStackName: checked.computeStackName,
    };
    const storageStack = createStorageStack(owner, settings);
    const computeStack = createComputeStack(owner, settings, storageStack);
    return {
        storageStack,
        computeStack,
        storage: managedStackView("storage", storageStack, owner),
        compute: managedStackView("primary compute", computeStack, owner, {
            ApplicationName: {
                argument: "create.applicationName",
                value: args.create.computeParameters?.ApplicationName ?? args.create.applicationName,
                instead: "ions of another application deploy to a query group (QueryGroup's applicationName)",
            },
        }),
    };
}
