/**
 * What DatomicPeering and DatomicPeeringAccepter share: the address-space check,
 * routes over the peering connection and security group rules for the peered
 * traffic, each created at once for plain values and inside `apply` for values
 * only known later (stack references, other resources).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cidrProblem, parseCidr } from "../../internal/cidr";
import { CLIENT_API_PORT } from "../../internal/endpoints";
import { nameFragment } from "../../internal/naming";
import { peeringAddressSpaceProblem, peeringRoutes } from "../../internal/peering";
import { checkCallerCidrs, isPlain, mapInput, stringList, whenKnown } from "../inputValues";
import type { DatomicPeeringIngressRule } from "./peeringIngressRule";

/** The directions of {@link DatomicPeeringIngressRule}. */
export const PEERING_DIRECTIONS = ["datomic-to-peer", "peer-to-datomic"] as const;

const PROTOCOLS = ["tcp", "udp"];

/**
 * The address spaces after {@link peeringAddressSpaceProblem}: plain values are checked now; values known
 * only at deploy time come back as outputs that fail with the same message, so whatever uses them
 * (the peering connection, the routes) is never created with overlapping blocks.
 */
export function checkedAddressSpace(
    owner: pulumi.Resource,
    datomicVpcCidrBlock: pulumi.Input<string>,
    peerVpcCidrBlocks: pulumi.Input<string[]>,
): { datomicVpcCidrBlock: pulumi.Input<string>; peerVpcCidrBlocks: pulumi.Input<string[]> } {
    const check = (datomic: string, peers: string[]) => {
        const problem = peeringAddressSpaceProblem(datomic, peers);
        if (problem) {
            throw new pulumi.ResourceError(`${problem.argument}: ${problem.message}`, owner);
        }
        return { datomic, peers };
    };
    if (isPlain(datomicVpcCidrBlock) && isPlain(peerVpcCidrBlocks)) {
        check(datomicVpcCidrBlock as string, peerVpcCidrBlocks as string[]);
        return { datomicVpcCidrBlock, peerVpcCidrBlocks };
    }
    const checked = pulumi
        .all([datomicVpcCidrBlock, peerVpcCidrBlocks])
        .apply(([datomic, peers]) => check(datomic, peers));
    return { datomicVpcCidrBlock: checked.datomic, peerVpcCidrBlocks: checked.peers };
}

/** A CIDR block that must be one, checked now when plain and at deploy time otherwise. */
export function checkedCidr(
    owner: pulumi.Resource,
    argument: string,
    block: pulumi.Input<string>,
): pulumi.Input<string> {
    return mapInput(block, (text) => {
        const problem = cidrProblem(text);
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, owner);
        }
        return text;
    });
}

/** Settings of {@link createPeeringRoutes}. */
export interface PeeringRoutesSettings {
    /** Child names are `<namePrefix>-<route table>-<destination>`. */
    namePrefix: string;
    routeTableIds: pulumi.Input<string[]>;
    /** Destination CIDR blocks, already checked. */
    destinations: pulumi.Input<string[]>;
    peeringConnectionId: pulumi.Input<string>;
}

/** One route per route table and destination block; returns the route ids. */
export function createPeeringRoutes(owner: pulumi.Resource, settings: PeeringRoutesSettings): pulumi.Output<string[]> {
    return whenKnown([settings.routeTableIds, settings.destinations], (tables: string[], destinations: string[]) =>
        pulumi.all(
            peeringRoutes(tables, destinations).map(
                (route) =>
                    new aws.ec2.Route(
                        `${settings.namePrefix}-${route.key}`,
                        {
                            routeTableId: route.routeTableId,
                            ...(route.family === "ipv4"
                                ? { destinationCidrBlock: route.destination }
                                : { destinationIpv6CidrBlock: route.destination }),
                            vpcPeeringConnectionId: settings.peeringConnectionId,
                        },
                        { parent: owner },
                    ).id,
            ),
        ),
    );
}

/** What the ingress rules of one side need to know. */
export interface PeeringIngressSettings {
    /** Child names are `<namePrefix>-ingress-...`. */
    namePrefix: string;
    /** The Datomic nodes' security group: the target of peer-to-datomic rules, the default source of datomic-to-peer ones. */
    datomicNodeSecurityGroupId?: pulumi.Input<string>;
    /** Prefixes a peer group referenced as a source with the peer account (`<account>/<group>`), as AWS requires across accounts. */
    peerOwnerId?: pulumi.Input<string>;
    /** Admit `0.0.0.0/0` and `::/0`. */
    allowPublic: boolean;
    /** Why a direction cannot be used on this side, or `undefined` when it can. */
    directionProblem(direction: string): string | undefined;
    /** Why rules cannot reference a group across the peering on this side, or `undefined` when they can. */
    groupReferenceProblem?: string;
    tags?: Record<string, pulumi.Input<string>>;
}

interface ResolvedRule {
    readonly index: number;
    readonly key: string;
    readonly protocol: string;
    readonly port: number;
    readonly target: pulumi.Input<string>;
    readonly sourceGroup?: pulumi.Input<string>;
    readonly cidrBlocks?: pulumi.Input<string[]>;
    readonly description: string;
}

/** Ingress rules validated and named, ready to be created. */
export interface PlannedPeeringIngress {
    /**
     * Creates one `aws.vpc.SecurityGroupIngressRule` per source (a referenced group or one CIDR block) and
     * returns their ids. A group in the other VPC can only be referenced over an active connection, so
     * rules referencing one wait for `activePeeringConnectionId`.
     */
    create(activePeeringConnectionId: pulumi.Input<string>): pulumi.Output<string[]>;
}

/**
 * Validates the rules (plain CIDR lists included) and claims their resource names, so every argument
 * problem fails before the component creates anything.
 */
export function planPeeringIngressRules(
    owner: pulumi.Resource,
    rules: DatomicPeeringIngressRule[],
    settings: PeeringIngressSettings,
): PlannedPeeringIngress {
    const resolved = rules.map((rule, index) => resolveRule(owner, rule, index, settings));
    const groupRuleName = (rule: ResolvedRule) => `${settings.namePrefix}-ingress-${rule.key}-group`;
    const cidrRuleName = (rule: ResolvedRule, block: string) =>
        `${settings.namePrefix}-ingress-${rule.key}-${nameFragment(block)}`;
    const checkedBlocks = (rule: ResolvedRule, blocks: string[]) => {
        checkCallerCidrs(owner, `ingress[${rule.index}].cidrBlocks`, blocks, {
            allowPublic: settings.allowPublic,
            allowFlag: "allowPublicIngress",
        });
        return [...new Set(blocks)];
    };

    const claimed = new Map<string, number>();
    const claim = (resourceName: string, index: number) => {
        const earlier = claimed.get(resourceName);
        if (earlier !== undefined) {
            throw new pulumi.ResourceError(
                `ingress[${index}]: opens the same rule as ingress[${earlier}] ("${resourceName}"); ` +
                    "remove one, or give them distinct names",
                owner,
            );
        }
        claimed.set(resourceName, index);
    };
    for (const rule of resolved) {
        if (rule.sourceGroup !== undefined) {
            if (settings.groupReferenceProblem) {
                throw new pulumi.ResourceError(`ingress[${rule.index}]: ${settings.groupReferenceProblem}`, owner);
            }
            claim(groupRuleName(rule), rule.index);
        }
        if (rule.cidrBlocks !== undefined && isPlain(rule.cidrBlocks)) {
            for (const block of checkedBlocks(rule, rule.cidrBlocks as string[])) {
                claim(cidrRuleName(rule, block), rule.index);
            }
        }
    }

    const ruleArgs = (rule: ResolvedRule) => ({
        securityGroupId: rule.target,
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        description: rule.description,
        tags: settings.tags,
    });
    const create = (activePeeringConnectionId: pulumi.Input<string>) => {
        const ids: pulumi.Output<string[]>[] = [];
        for (const rule of resolved) {
            if (rule.sourceGroup !== undefined) {
                const created = new aws.vpc.SecurityGroupIngressRule(
                    groupRuleName(rule),
                    {
                        ...ruleArgs(rule),
                        referencedSecurityGroupId: pulumi
                            .all([rule.sourceGroup, activePeeringConnectionId])
                            .apply(([group]) => group),
                    },
                    { parent: owner },
                );
                ids.push(created.id.apply((id) => [id]));
            }
            if (rule.cidrBlocks !== undefined) {
                ids.push(
                    whenKnown([rule.cidrBlocks], (blocks: string[]) =>
                        pulumi.all(
                            checkedBlocks(rule, blocks).map(
                                (block) =>
                                    new aws.vpc.SecurityGroupIngressRule(
                                        cidrRuleName(rule, block),
                                        {
                                            ...ruleArgs(rule),
                                            ...(parseCidr(block).kind === "ipv4"
                                                ? { cidrIpv4: block }
                                                : { cidrIpv6: block }),
                                        },
                                        { parent: owner },
                                    ).id,
                            ),
                        ),
                    ),
                );
            }
        }
        return pulumi.all(ids).apply((lists) => lists.flat());
    };
    return { create };
}

function resolveRule(
    owner: pulumi.Resource,
    rule: DatomicPeeringIngressRule,
    index: number,
    settings: PeeringIngressSettings,
): ResolvedRule {
    const fail = (field: string, message: string): never => {
        throw new pulumi.ResourceError(`ingress[${index}]${field ? `.${field}` : ""}: ${message}`, owner);
    };
    const { direction } = rule;
    if (!(PEERING_DIRECTIONS as readonly string[]).includes(direction)) {
        fail("direction", `"${direction}" is not a direction; use "datomic-to-peer" or "peer-to-datomic"`);
    }
    const directionProblem = settings.directionProblem(direction);
    if (directionProblem) {
        fail("direction", directionProblem);
    }
    const toDatomic = direction === "peer-to-datomic";
    const protocol = rule.protocol ?? "tcp";
    if (!PROTOCOLS.includes(protocol)) {
        fail("protocol", `"${protocol}" is not supported; use "tcp" or "udp"`);
    }
    const port = rule.port ?? (toDatomic ? CLIENT_API_PORT : fail("port", "is required for datomic-to-peer rules"));
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        fail("port", `${port} is not a port (a whole number from 1 to 65535)`);
    }
    if (rule.name !== undefined && nameFragment(rule.name) === "") {
        fail("name", `"${rule.name}" has no letters or digits to name the rule's resources with`);
    }

    let target: pulumi.Input<string>;
    let sourceGroup: pulumi.Input<string> | undefined;
    if (toDatomic) {
        if (settings.datomicNodeSecurityGroupId === undefined) {
            throw new pulumi.ResourceError(
                `datomicNodeSecurityGroupId: is required by ingress[${index}], which opens the Datomic nodes' security group`,
                owner,
            );
        }
        target = settings.datomicNodeSecurityGroupId;
        if (rule.peerSecurityGroupId === undefined && rule.cidrBlocks === undefined) {
            fail("", "a peer-to-datomic rule needs the callers: peerSecurityGroupId, cidrBlocks or both");
        }
        sourceGroup =
            rule.peerSecurityGroupId === undefined
                ? undefined
                : qualifiedGroup(rule.peerSecurityGroupId, settings.peerOwnerId);
    } else {
        if (rule.peerSecurityGroupId === undefined) {
            fail("peerSecurityGroupId", "is required for datomic-to-peer rules: it is the group that admits Datomic");
        }
        target = rule.peerSecurityGroupId!;
        if (rule.cidrBlocks === undefined) {
            if (settings.datomicNodeSecurityGroupId === undefined) {
                fail("", "a datomic-to-peer rule needs cidrBlocks, or datomicNodeSecurityGroupId to admit the nodes");
            }
            sourceGroup = settings.datomicNodeSecurityGroupId;
        }
    }

    const peerGroup = typeof rule.peerSecurityGroupId === "string" ? `-${nameFragment(rule.peerSecurityGroupId)}` : "";
    const key = rule.name
        ? nameFragment(rule.name)
        : `${toDatomic ? "to-datomic" : "to-peer"}-${protocol}-${port}${peerGroup}`;
    const description =
        rule.description ??
        (toDatomic
            ? `${protocol.toUpperCase()} ${port} to the Datomic nodes from the peer VPC`
            : `${protocol.toUpperCase()} ${port} from the Datomic nodes over VPC peering`);
    const cidrBlocks = rule.cidrBlocks === undefined ? undefined : stringList(rule.cidrBlocks);
    return { index, key, protocol, port, target, sourceGroup, cidrBlocks, description };
}

/** `<account>/<group>` for a group in another account; a group already qualified is kept. */
function qualifiedGroup(group: pulumi.Input<string>, account: pulumi.Input<string> | undefined): pulumi.Input<string> {
    if (account === undefined) {
        return group;
    }
    return pulumi.all([group, account]).apply(([id, owner]) => (id.includes("/") ? id : `${owner}/${id}`));
}
