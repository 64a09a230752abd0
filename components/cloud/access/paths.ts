/**
 * The parts of DatomicAccess: reading the environment stack's outputs as plain
 * values at plan time, and the three connection paths, each built from the
 * components that already exist for it (DatomicClientEndpoint, DatomicPeering).
 *
 * Sources: docs.datomic.com/operation/vpc-access.html (nlb: a VPC endpoint to the
 * endpoint service; alb: peering, routes both ways, nodes ingress and the private
 * hosted zone); docs.datomic.com/cloud/operation/client-applications.html (the
 * caller's VPC must be in the system's region, with subnets in zones Datomic's
 * subnets use); docs.datomic.com/operation/custom-api-gateway.html (the Client API
 * gateway every compute group manages on 884-9095 and later).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ContractOutputName } from "../../contract";
import type { DatomicSystemReference } from "../../reference";
import { ResolvedAccessPath } from "../../internal/accessPaths";
import { parseApiGatewayEndpoint } from "../../internal/apiGateway";
import { CLIENT_API_PORT } from "../../internal/endpoints";
import { DatomicClientEndpoint } from "./clientEndpoint";
import { StringListInput, stringList } from "../inputValues";
import { DatomicPeering, DatomicPeeringIngressRule } from "./peering";

/** The caller's side, as DatomicAccess was given it. */
export interface CallerVpc {
    vpcId?: pulumi.Input<string>;
    subnetIds?: StringListInput;
    routeTableIds?: StringListInput;
    vpcCidrBlocks?: StringListInput;
    callerSecurityGroupIds?: StringListInput;
    callerCidrBlocks?: StringListInput;
    allowPublicCidrs?: boolean;
    tags?: Record<string, pulumi.Input<string>>;
}

/** What one path built: where clients connect, and the resources that matter to callers. */
export interface BuiltPath {
    endpoint: pulumi.Input<string>;
    vpcEndpointId?: pulumi.Output<string>;
    peeringConnectionId?: pulumi.Output<string>;
}

/** What every path is built from. */
export interface PathContext {
    owner: pulumi.Resource;
    name: string;
    environment: DatomicSystemReference;
    /** The environment stack, for messages. */
    stack: string;
    /** The resolved path, for messages. */
    path: ResolvedAccessPath;
    topology: string;
    caller: CallerVpc;
}

/** The environment outputs each path cannot do without. */
export const OUTPUTS_OF_PATH: Record<ResolvedAccessPath, ContractOutputName[]> = {
    "vpc-endpoint": ["systemName", "region", "endpointServiceName"],
    "vpc-peering": [
        "systemName",
        "region",
        "accountId",
        "vpcId",
        "vpcCidrBlock",
        "routeTableIds",
        "nodeSecurityGroupId",
        "privateHostedZoneName",
        "clientEndpoint",
    ],
    "api-gateway": ["systemName", "region", "clientApiGatewayEndpoint"],
};

/** The caller arguments each path needs. */
const CALLER_ARGUMENTS_OF_PATH: Record<ResolvedAccessPath, (keyof CallerVpc)[]> = {
    "vpc-endpoint": ["vpcId", "subnetIds"],
    "vpc-peering": ["vpcId", "vpcCidrBlocks", "routeTableIds"],
    "api-gateway": [],
};

/**
 * An output of the environment stack as a plain value, at preview too: StackReference's output details
 * are read values, not Outputs, so the program's shape can depend on them. Secret values come back
 * under `secretValue` and are only used for decisions here, never passed on.
 */
export async function plainOutput(environment: DatomicSystemReference, name: ContractOutputName): Promise<unknown> {
    const details = await environment.stackReference.getOutputDetails(name);
    return details.value ?? details.secretValue;
}

/** Fails naming every output of `names` the environment does not export, and the path that needs it. */
export async function requireEnvironmentOutputs(context: PathContext, names: ContractOutputName[]): Promise<void> {
    const values = await Promise.all(names.map((name) => plainOutput(context.environment, name)));
    const missing = names.filter((_, i) => values[i] === undefined || values[i] === null || values[i] === "");
    if (missing.length > 0) {
        throw new pulumi.ResourceError(
            `path: "${context.path}" needs the output${missing.length > 1 ? "s" : ""} ` +
                `${missing.map((name) => `"${name}"`).join(", ")} of the environment ${context.stack} ` +
                `(topology ${context.topology}), which it does not export`,
            context.owner,
        );
    }
}

/** Fails naming the first caller argument the path needs and was not given. */
export function requireCallerArguments(context: PathContext): void {
    const needed = CALLER_ARGUMENTS_OF_PATH[context.path];
    for (const key of needed) {
        if (context.caller[key] === undefined) {
            throw new pulumi.ResourceError(
                `${key}: is required for path "${context.path}" (the environment ${context.stack} is ${context.topology})`,
                context.owner,
            );
        }
    }
    if (needed.length > 0 && context.caller.callerSecurityGroupIds === undefined && !context.caller.callerCidrBlocks) {
        throw new pulumi.ResourceError(
            `callerSecurityGroupIds: path "${context.path}" admits the callers on TCP ${CLIENT_API_PORT}; ` +
                "give their security groups (callerSecurityGroupIds) or CIDR blocks (callerCidrBlocks)",
            context.owner,
        );
    }
}

/** nlb: an interface endpoint in the caller's subnets, which must be in Datomic's zones. */
export async function buildVpcEndpoint(context: PathContext): Promise<BuiltPath> {
    const { owner, environment, caller } = context;
    await requireSameRegion(context);
    const zones = (await plainOutput(environment, "availabilityZoneIds")) as string[] | undefined;
    const subnetIds =
        zones === undefined || zones.length === 0
            ? stringList(caller.subnetIds!)
            : pulumi.output(caller.subnetIds!).apply((ids) => subnetsInZones(context, ids, zones));
    const endpoint = new DatomicClientEndpoint(
        context.name,
        {
            vpcId: caller.vpcId!,
            subnetIds,
            endpointServiceName: environment.endpointServiceName,
            allowedSecurityGroupIds: caller.callerSecurityGroupIds,
            allowedCidrs: caller.callerCidrBlocks,
            allowPublicCidrs: caller.allowPublicCidrs,
            tags: caller.tags,
        },
        { parent: owner },
    );
    return { endpoint: endpoint.endpointUrl, vpcEndpointId: endpoint.endpointId };
}

/** An interface endpoint fails in a zone the endpoint service has no load balancer in: check first. */
async function subnetsInZones(context: PathContext, ids: string[], zones: string[]): Promise<string[]> {
    const subnets = await Promise.all(ids.map((id) => aws.ec2.getSubnet({ id }, { parent: context.owner })));
    const unzoned = subnets.find((subnet) => !subnet.availabilityZoneId);
    if (unzoned) {
        // AWS always answers with the zone id; an answer without one comes from a hand-written fixture.
        throw new pulumi.ResourceError(
            `subnetIds: the lookup of ${unzoned.id} (aws.ec2.getSubnet) gave no availabilityZoneId, which is needed to ` +
                "check the subnet's zone; a plan's fixture for it needs availabilityZoneId, such as use1-az1",
            context.owner,
        );
    }
    const outside = subnets.filter((subnet) => !zones.includes(subnet.availabilityZoneId));
    if (outside.length > 0) {
        const listed = outside.map((subnet) => `${subnet.id} (${subnet.availabilityZoneId})`).join(", ");
        throw new pulumi.ResourceError(
            `subnetIds: ${listed} ${outside.length > 1 ? "are" : "is"} not in a zone of the Datomic subnets ` +
                `(${zones.join(", ")}, the environment's availabilityZoneIds); the VPC endpoint's subnets must be ` +
                "in those zones, where the endpoint service has its load balancer: list subnets of the caller's VPC in them",
            context.owner,
        );
    }
    return ids;
}

/** alb: peering with routes both ways, the callers admitted on the nodes and the private hosted zone. */
export async function buildVpcPeering(context: PathContext): Promise<BuiltPath> {
    const { owner, environment, caller, name } = context;
    await requireSameRegion(context);
    const [datomicAccount, callerAccount] = await Promise.all([
        plainOutput(environment, "accountId"),
        aws.getCallerIdentity({}, { parent: owner }).then((identity) => identity.accountId),
    ]);
    if (datomicAccount !== callerAccount) {
        throw new pulumi.ResourceError(
            `path: "vpc-peering" across accounts (this provider's ${callerAccount}, the environment ${context.stack}'s ` +
                `${String(datomicAccount)}) needs a provider in each: use DatomicPeering with DatomicPeeringAccepter, ` +
                'or path "api-gateway", which needs no networking',
            owner,
        );
    }
    const zoneId =
        (await plainOutput(environment, "privateHostedZoneId")) === undefined
            ? aws.route53.getZoneOutput(
                  { name: environment.privateHostedZoneName, privateZone: true },
                  { parent: owner },
              ).zoneId
            : environment.privateHostedZoneId;

    const peeringArgs = (ingress: DatomicPeeringIngressRule[]) => ({
        datomicVpcId: environment.vpcId,
        datomicVpcCidrBlock: environment.vpcCidrBlock,
        datomicRouteTableIds: environment.routeTableIds,
        datomicNodeSecurityGroupId: environment.nodeSecurityGroupId,
        peerVpcId: caller.vpcId!,
        peerVpcCidrBlocks: caller.vpcCidrBlocks!,
        peerRouteTableIds: caller.routeTableIds!,
        ingress,
        allowPublicIngress: caller.allowPublicCidrs,
        privateHostedZoneId: zoneId,
        tags: caller.tags,
    });
    const cidrRules: DatomicPeeringIngressRule[] =
        caller.callerCidrBlocks === undefined
            ? []
            : [{ direction: "peer-to-datomic", cidrBlocks: caller.callerCidrBlocks, description: clientApiRule(name) }];
    const groups = caller.callerSecurityGroupIds ?? [];
    let peeringConnectionId: pulumi.Output<string>;
    if (Array.isArray(groups)) {
        peeringConnectionId = new DatomicPeering(name, peeringArgs([...groupRules(name, groups), ...cidrRules]), {
            parent: owner,
        }).peeringConnectionId;
    } else {
        // One rule per group needs the list's length: a list that is itself an Output is waited for.
        peeringConnectionId = pulumi
            .output(groups)
            .apply(
                (ids) =>
                    new DatomicPeering(name, peeringArgs([...groupRules(name, ids), ...cidrRules]), { parent: owner })
                        .peeringConnectionId,
            );
    }
    return { endpoint: environment.clientEndpoint, peeringConnectionId };
}

function groupRules(name: string, groups: pulumi.Input<string>[]): DatomicPeeringIngressRule[] {
    return groups.map((group, index) => ({
        direction: "peer-to-datomic",
        peerSecurityGroupId: group,
        description: clientApiRule(name),
        // A group id known now names its rule; one created in the same program is named by position.
        name: typeof group === "string" ? undefined : `caller-${index}`,
    }));
}

function clientApiRule(name: string): string {
    return `Datomic Client API from ${name}`;
}

/** alb: the primary compute group's Client API gateway; nothing to build. */
export function apiGateway(context: PathContext): BuiltPath {
    const endpoint = context.environment.clientApiGatewayEndpoint.apply((text) => {
        const parsed = parseApiGatewayEndpoint(text);
        if ("problem" in parsed) {
            throw new pulumi.ResourceError(
                `the environment ${context.stack}'s clientApiGatewayEndpoint: ${parsed.problem}`,
                context.owner,
            );
        }
        return parsed.url;
    });
    return { endpoint };
}

/** Both private paths need the caller's VPC in Datomic's region. */
async function requireSameRegion(context: PathContext): Promise<void> {
    const [datomicRegion, callerRegion] = await Promise.all([
        plainOutput(context.environment, "region"),
        aws.getRegion({}, { parent: context.owner }).then((region) => region.region),
    ]);
    if (datomicRegion !== callerRegion) {
        throw new pulumi.ResourceError(
            `path: "${context.path}" needs the caller's VPC in the environment's region; ${context.stack} runs in ` +
                `${String(datomicRegion)} and this provider is in ${callerRegion}`,
            context.owner,
        );
    }
}
