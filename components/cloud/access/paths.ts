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
import { knownValue, StringListInput, stringList } from "../inputValues";
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
 * under `secretValue` and are only used for decisions here: what is passed on is marked secret again
 * ({@link outputDetails}), and messages show {@link shownValue}, never the value.
 */
export async function plainOutput(environment: DatomicSystemReference, name: ContractOutputName): Promise<unknown> {
    return (await outputDetails(environment, name)).value;
}

/** An environment output's plain value, and whether the environment keeps it secret. */
export async function outputDetails(
    environment: DatomicSystemReference,
    name: ContractOutputName,
): Promise<{ value: unknown; secret: boolean }> {
    const details = await environment.stackReference.getOutputDetails(name);
    const secret = details.secretValue !== undefined;
    return { value: secret ? details.secretValue : details.value, secret };
}

/** How a message shows an environment output: its value, or only that it is secret. */
export function shownValue(details: { value: unknown; secret: boolean }): string {
    return details.secret ? "(a secret output)" : String(details.value);
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
    const zoneDetails = await outputDetails(environment, "availabilityZoneIds");
    const zones = zoneDetails.value as string[] | undefined;
    const subnetIds =
        zones === undefined || zones.length === 0
            ? stringList(caller.subnetIds!)
            : pulumi.output(caller.subnetIds!).apply((ids) => subnetsInZones(context, ids, zones, zoneDetails.secret));
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
async function subnetsInZones(
    context: PathContext,
    ids: string[],
    zones: string[],
    secret: boolean,
): Promise<string[]> {
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
                `(${secret ? "a secret output" : zones.join(", ")}, the environment's availabilityZoneIds); the VPC ` +
                "endpoint's subnets must be in those zones, where the endpoint service has its load balancer: list " +
                "subnets of the caller's VPC in them",
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
        outputDetails(environment, "accountId"),
        aws.getCallerIdentity({}, { parent: owner }).then((identity) => identity.accountId),
    ]);
    if (datomicAccount.value !== callerAccount) {
        throw new pulumi.ResourceError(
            `path: "vpc-peering" across accounts (this provider's ${callerAccount}, the environment ${context.stack}'s ` +
                `${shownValue(datomicAccount)}) needs a provider in each: use DatomicPeering with DatomicPeeringAccepter, ` +
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
    const groups = await callerGroups(context);
    // Created here, never inside an apply: its connection, routes, DNS options, rules and zone association
    // are all registered at preview, whatever of their inputs is still unknown.
    const peering = new DatomicPeering(name, peeringArgs([...groupRules(name, groups), ...cidrRules]), {
        parent: owner,
    });
    return { endpoint: environment.clientEndpoint, peeringConnectionId: peering.peeringConnectionId };
}

/** One caller security group: the rule's source, and its id when known now (to name the rule by it). */
interface CallerGroup {
    group: pulumi.Input<string>;
    knownId?: string;
}

/**
 * The callers' security groups, one rule each. A list that is itself an Output (read from a stack reference
 * or another resource) is awaited here, outside any apply, so its rules are registered like the rest. Only a
 * list still unknown at preview (made by a resource this update creates) has no length yet: its rules
 * are planned once it is known, and the preview says so.
 */
async function callerGroups(context: PathContext): Promise<CallerGroup[]> {
    const list = context.caller.callerSecurityGroupIds ?? [];
    if (Array.isArray(list)) {
        return list.map((group) => ({ group, knownId: typeof group === "string" ? group : undefined }));
    }
    const ids = await knownValue(pulumi.output(list));
    if (ids === undefined) {
        pulumi.log.warn(
            "callerSecurityGroupIds: the list is unknown at preview (a resource of this update makes it), so " +
                `its rules on TCP ${CLIENT_API_PORT} are planned once it is known; a list of ids ([group.id]) ` +
                "previews one rule per group",
            context.owner,
        );
        return [];
    }
    const whole = pulumi.output(list);
    // Each rule takes its id through the list, keeping the list's dependencies and secretness.
    return ids.map((id, index) => ({ group: whole.apply((items) => items[index]), knownId: id }));
}

function groupRules(name: string, groups: CallerGroup[]): DatomicPeeringIngressRule[] {
    return groups.map(({ group, knownId }, index) => ({
        direction: "peer-to-datomic",
        peerSecurityGroupId: group,
        description: clientApiRule(name),
        // A group id known now names its rule, as DatomicPeering names a plain id's rule; one created in
        // the same program is named by position.
        name: knownId === undefined ? `caller-${index}` : `to-datomic-tcp-${CLIENT_API_PORT}-${knownId}`,
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
        outputDetails(context.environment, "region"),
        aws.getRegion({}, { parent: context.owner }).then((region) => region.region),
    ]);
    if (datomicRegion.value !== callerRegion) {
        throw new pulumi.ResourceError(
            `path: "${context.path}" needs the caller's VPC in the environment's region; ${context.stack} runs in ` +
                `${shownValue(datomicRegion)} and this provider is in ${callerRegion}`,
            context.owner,
        );
    }
}
