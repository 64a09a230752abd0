/**
 * How the engine would carry out a change to a resource's inputs: the rules shared by `datomic-plan --diff`
 * (plan against plan) and `datomic-plan --state` (plan against the deployed state).
 *
 * - **ForceNew.** Pulumi's AWS provider wraps hashicorp/terraform-provider-aws; a property its schema marks
 *   `ForceNew` replaces the resource. Each type below names the file the properties were read from. A type
 *   not listed is updated in place as far as this plan knows (the provider may still replace it).
 * - **replaceOnChanges** (the resource option, and the properties a package's schema marks so) replaces the
 *   resource when a changed property path is contained in one of its patterns, as the engine matches them
 *   (pulumi/pulumi pkg/resource/deploy/step_generator.go `applyReplaceOnChanges`).
 * - **Unchangeable properties.** Some updates the provider accepts are refused by AWS or wreck Datomic; they
 *   are shown as loudly as a replacement.
 * - **protect** makes the engine refuse a replacement (step_generator.go: "unable to replace resource ... as
 *   it is currently marked for protection").
 */
import type * as aws from "@pulumi/aws";
import { parsePropertyPath, pathContains, PathSegment } from "./propertyPath";

type Keys<T> = readonly (keyof T & string)[];

interface ForceNewRule {
    readonly properties: readonly string[];
    /** Where the rule was read. */
    readonly source: string;
}

const TF = "hashicorp/terraform-provider-aws internal/service/";

/** Properties whose change replaces the resource, per type, with the schema file each was read from. */
export const FORCE_NEW: Readonly<Record<string, ForceNewRule>> = {
    "aws:cloudformation/stack:Stack": {
        properties: [
            "name",
            "disableRollback",
            "onFailure",
            "timeoutInMinutes",
        ] satisfies Keys<aws.cloudformation.StackArgs>,
        source: `${TF}cloudformation/stack.go`,
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        properties: ["name", "namePrefix", "description", "vpcId"] satisfies Keys<aws.ec2.SecurityGroupArgs>,
        source: `${TF}ec2/vpc_security_group.go`,
    },
    "aws:ec2/route:Route": {
        properties: [
            "routeTableId",
            "destinationCidrBlock",
            "destinationIpv6CidrBlock",
            "destinationPrefixListId",
        ] satisfies Keys<aws.ec2.RouteArgs>,
        source: `${TF}ec2/vpc_route.go`,
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        properties: [
            "vpcId",
            "serviceName",
            "vpcEndpointType",
            "serviceRegion",
            "resourceConfigurationArn",
            "serviceNetworkArn",
            "dnsOptions.privateDnsPreference",
            "dnsOptions.privateDnsSpecifiedDomains",
        ],
        source: `${TF}ec2/vpc_endpoint.go`,
    },
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": {
        properties: [
            "vpcId",
            "peerVpcId",
            "peerOwnerId",
            "peerRegion",
        ] satisfies Keys<aws.ec2.VpcPeeringConnectionArgs>,
        source: `${TF}ec2/vpc_peering_connection.go`,
    },
    "aws:route53/zoneAssociation:ZoneAssociation": {
        properties: ["zoneId", "vpcId", "vpcRegion"] satisfies Keys<aws.route53.ZoneAssociationArgs>,
        source: `${TF}route53/zone_association.go`,
    },
    "aws:iam/role:Role": {
        properties: ["name", "namePrefix", "path"] satisfies Keys<aws.iam.RoleArgs>,
        source: `${TF}iam/role.go`,
    },
    "aws:iam/rolePolicy:RolePolicy": {
        properties: ["name", "namePrefix", "role"] satisfies Keys<aws.iam.RolePolicyArgs>,
        source: `${TF}iam/role_policy.go`,
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        properties: ["name", "namePrefix", "logGroupClass"] satisfies Keys<aws.cloudwatch.LogGroupArgs>,
        source: `${TF}logs/group.go`,
    },
    "aws:dynamodb/table:Table": {
        properties: [
            "name",
            "hashKey",
            "rangeKey",
            "localSecondaryIndexes",
            "restoreSourceName",
            "restoreToLatestTime",
            "restoreDateTime",
        ] satisfies Keys<aws.dynamodb.TableArgs>,
        source: `${TF}dynamodb/table.go`,
    },
    "aws:apigatewayv2/apiMapping:ApiMapping": {
        properties: ["apiId", "domainName"] satisfies Keys<aws.apigatewayv2.ApiMappingArgs>,
        source: `${TF}apigatewayv2/api_mapping.go`,
    },
    "aws:apigatewayv2/domainName:DomainName": {
        properties: ["domainName"] satisfies Keys<aws.apigatewayv2.DomainNameArgs>,
        source: `${TF}apigatewayv2/domain_name.go`,
    },
    "aws:apigatewayv2/vpcLink:VpcLink": {
        properties: ["subnetIds", "securityGroupIds"] satisfies Keys<aws.apigatewayv2.VpcLinkArgs>,
        source: `${TF}apigatewayv2/vpc_link.go`,
    },
    "aws:apigateway/vpcLink:VpcLink": {
        properties: ["targetArn"] satisfies Keys<aws.apigateway.VpcLinkArgs>,
        source: `${TF}apigateway/vpc_link.go`,
    },
    "aws:apigateway/basePathMapping:BasePathMapping": {
        properties: ["domainName"] satisfies Keys<aws.apigateway.BasePathMappingArgs>,
        source: `${TF}apigateway/base_path_mapping.go`,
    },
    "aws:route53/record:Record": {
        properties: ["name", "zoneId"] satisfies Keys<aws.route53.RecordArgs>,
        source: `${TF}route53/record.go`,
    },
    // The command package's schema marks `triggers` replaceOnChanges, and its SDK adds the option
    // `replaceOnChanges: ["triggers[*]"]` (pulumi/pulumi-command provider/pkg/provider/common/inputs.go,
    // sdk/nodejs/local/command.ts); any other change runs the update command.
    "command:local:Command": { properties: ["triggers[*]"], source: "pulumi/pulumi-command common/inputs.go" },
    "command:remote:Command": { properties: ["triggers[*]"], source: "pulumi/pulumi-command common/inputs.go" },
};

/** A property the provider would update in place but that AWS or Datomic does not let change. */
interface UnchangeableRule {
    readonly type: string;
    readonly path: string;
    readonly reason: string;
}

const UNCHANGEABLE: readonly UnchangeableRule[] = [
    {
        type: "aws:cloudformation/stack:Stack",
        path: "parameters.ApplicationName",
        reason:
            "Datomic: a compute group's application name cannot change after it is created " +
            "(docs.datomic.com/operation/compute-templates.html)",
    },
    ...["VpcCidrBlock", "Subnet0CidrBlock", "Subnet1CidrBlock", "Subnet2CidrBlock"].map((parameter) => ({
        type: "aws:cloudformation/stack:Stack",
        path: `parameters.${parameter}`,
        reason:
            "AWS: a VPC's or subnet's CIDR block cannot be updated (CloudFormation replaces AWS::EC2::VPC and " +
            "AWS::EC2::Subnet on a CidrBlock change), and the storage stack's VPC holds every Datomic node",
    })),
];

/**
 * Resources whose replacement loses what they hold, beyond what `protect` and `retainOnDelete` say: a
 * DynamoDB table's items (a Datomic Pro storage table), and Datomic Cloud's storage stack, recognised by its
 * `Restart` parameter: its VPC is deleted with it, and every compute group runs in that VPC
 * (docs.datomic.com/operation/deleting.html).
 */
function dataHeld(resource: ResourceRules): string | undefined {
    if (resource.type === "aws:dynamodb/table:Table") {
        return "a DynamoDB table: the new table starts empty";
    }
    const parameters = resource.inputs?.parameters;
    if (
        resource.type === "aws:cloudformation/stack:Stack" &&
        parameters &&
        typeof parameters === "object" &&
        "Restart" in parameters
    ) {
        return "the Datomic storage stack: its VPC goes with it, and every compute group runs in that VPC";
    }
    return undefined;
}

/** What the rules need to know of a resource. */
export interface ResourceRules {
    readonly type: string;
    /** Patterns of the resource's `replaceOnChanges` option. */
    readonly replaceOnChanges: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly deleteBeforeReplace: boolean;
    /** The resource's inputs, where the rules look at them (a CloudFormation stack's parameters). */
    readonly inputs?: Record<string, unknown>;
}

/** How the engine would carry out a set of changed properties. */
export interface Verdict {
    readonly step: "update" | "replace";
    /** Each changed path that forces replacement, with why. */
    readonly replaceBecause: string[];
    /** Changes AWS or Datomic refuse or that lose data, shown as loudly as a replacement. */
    readonly hazards: string[];
    /** Set when the engine refuses the step (a protected resource's replacement). */
    readonly refused?: string;
    /** How the replacement is carried out, when it matters to a reviewer (`deleteBeforeReplace`). */
    readonly notes: string[];
}

/** The engine's step for the changed property paths (as `formatPropertyPath` writes them). */
export function judgeChanges(resource: ResourceRules, changedPaths: readonly string[]): Verdict {
    const forceNew = FORCE_NEW[resource.type];
    const patterns: { pattern: PathSegment[]; why: string }[] = [
        ...resource.replaceOnChanges.map((option) => ({
            pattern: parsePropertyPath(option),
            why: `forces replacement (replaceOnChanges ${option})`,
        })),
        ...(forceNew?.properties ?? []).map((property) => ({
            pattern: parsePropertyPath(property),
            why: `forces replacement (${forceNew!.source})`,
        })),
    ];
    const replaceBecause: string[] = [];
    const hazards: string[] = [];
    for (const changed of changedPaths) {
        const segments = parsePropertyPath(changed);
        const forcing = patterns.find(({ pattern }) => pathContains(pattern, segments));
        if (forcing) {
            replaceBecause.push(`${changed} ${forcing.why}`);
        }
        const unchangeable = UNCHANGEABLE.find(
            (rule) => rule.type === resource.type && pathContains(parsePropertyPath(rule.path), segments),
        );
        if (unchangeable) {
            hazards.push(`${changed} cannot change: ${unchangeable.reason}`);
        }
    }
    const step = replaceBecause.length > 0 ? "replace" : "update";
    const held = step === "replace" ? dataHeld(resource) : undefined;
    if (held) {
        hazards.push(`replaces ${held}`);
    }
    if (step === "replace" && resource.retainOnDelete && !resource.protect) {
        hazards.push(
            "replaces a resource that holds data (retainOnDelete): the old one is left in AWS, outside the stack",
        );
    }
    const refused =
        step === "replace" && resource.protect
            ? "the engine refuses to replace a protected resource (remove `protect` first, knowing the data goes)"
            : undefined;
    // The engine deletes the old resource first, so there is a gap until the new one exists
    // (step_generator.go: a replacement with deleteBeforeReplace).
    const notes =
        step === "replace" && resource.deleteBeforeReplace
            ? ["deleteBeforeReplace: the old one is deleted before the new one is created"]
            : [];
    return { step, replaceBecause, hazards, notes, ...(refused ? { refused } : {}) };
}
