/**
 * DatomicPeering: VPC peering between the Datomic VPC and a peer VPC (a
 * service's VPC), with routes on both sides, DNS resolution across the
 * connection, security group rules for the peered traffic and, on the alb
 * topology, the peer VPC's association with Datomic's private hosted zone.
 *
 * Sources: docs.datomic.com/operation/vpc-access.html (ALB inter-VPC access:
 * peering, routes both ways, nodes security group ingress, hosted zone
 * association); AWS VPC peering guide (routes, overlapping blocks, cross-account
 * and inter-region acceptance; a route to a pending connection is a blackhole
 * until it is accepted); EC2 API ModifyVpcPeeringConnectionOptions (across
 * accounts or regions each side sets its own options, on an active connection).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isPlain, mapInput, stringList } from "../inputValues";
import type { DatomicPeeringIngressRule } from "./peeringIngressRule";
import { checkedAddressSpace, createPeeringRoutes, planPeeringIngressRules } from "./peeringParts";

export type { DatomicPeeringIngressRule } from "./peeringIngressRule";

/** Arguments of {@link DatomicPeering}. */
export interface DatomicPeeringArgs {
    /** The Datomic VPC, the requester of the peering (`DatomicSystemReference.vpcId`). */
    datomicVpcId: pulumi.Input<string>;
    /** The Datomic VPC's CIDR block (`DatomicSystemReference.vpcCidrBlock`): the peer side's route destination. */
    datomicVpcCidrBlock: pulumi.Input<string>;
    /** Route tables of the Datomic subnets (`DatomicSystemReference.routeTableIds`); each gets a route per peer block. */
    datomicRouteTableIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The Datomic nodes' security group (`DatomicSystemReference.nodeSecurityGroupId`), needed by `ingress` rules. */
    datomicNodeSecurityGroupId?: pulumi.Input<string>;
    /** The peer VPC, the accepter. */
    peerVpcId: pulumi.Input<string>;
    /** The peer VPC's CIDR blocks: the Datomic side's route destinations. None may overlap the Datomic VPC. */
    peerVpcCidrBlocks: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Route tables of the peer subnets that talk to Datomic; each gets a route to `datomicVpcCidrBlock`.
     * Required when the peer is in this account and region; across accounts or regions they belong to
     * {@link DatomicPeeringAccepter} instead.
     */
    peerRouteTableIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** The peer VPC's account, when it is not this provider's: the peer accepts with {@link DatomicPeeringAccepter}. */
    peerOwnerId?: pulumi.Input<string>;
    /** The peer VPC's region, when it is not this provider's: the peer accepts with {@link DatomicPeeringAccepter}. */
    peerRegion?: pulumi.Input<string>;
    /**
     * Across accounts or regions: the `peeringConnectionId` output of the peer's {@link DatomicPeeringAccepter}.
     * The Datomic side's DNS option and rules referencing a peer security group need an accepted connection,
     * so they are created once this is given. In one program, `pulumi.deferredOutput` closes the loop.
     */
    acceptedPeeringConnectionId?: pulumi.Input<string>;
    /** Security group rules for the peered traffic. Across accounts or regions, only `"peer-to-datomic"` rules. */
    ingress?: DatomicPeeringIngressRule[];
    /** Allow `0.0.0.0/0` or `::/0` in `ingress[].cidrBlocks`. Default false. */
    allowPublicIngress?: boolean;
    /**
     * Let each VPC resolve the other's public DNS host names to private addresses (`allowRemoteVpcDnsResolution`
     * on both sides). Default true.
     */
    remoteDnsResolution?: boolean;
    /**
     * alb topology: the id of the private hosted zone `<system>.<region>.datomic.net`, so the peer VPC resolves
     * `entry-http.<system>.<region>.datomic.net`. In this account it is associated with the peer VPC here;
     * for a peer in another account (`peerOwnerId`) it is authorized here and associated by the accepter.
     */
    privateHostedZoneId?: pulumi.Input<string>;
    /** Tags for every resource created that takes tags. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * VPC peering between the Datomic VPC and a peer VPC: the "external resources" case (Datomic nodes
 * reaching Redis in a service VPC, say) and the alb topology's client access from another VPC.
 *
 * Routes: one per route table and destination block, on both sides, named after the route table and
 * the block, so adding a route table or a block never replaces another route. Lists given as plain
 * arrays create their routes directly; lists that are outputs (stack references, other resources)
 * create them once known, which for stack references is already at preview.
 *
 * Same account and region: the connection is accepted here (`autoAccept`) and everything is set on
 * both sides. With `peerOwnerId` or `peerRegion` this is the requester side only: the peer runs
 * {@link DatomicPeeringAccepter} with its own provider.
 *
 * @example Datomic nodes reach Redis in the service VPC
 * ```ts
 * const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/prod" });
 * new DatomicPeering("redis", {
 *     datomicVpcId: datomic.vpcId,
 *     datomicVpcCidrBlock: datomic.vpcCidrBlock,
 *     datomicRouteTableIds: datomic.routeTableIds,
 *     datomicNodeSecurityGroupId: datomic.nodeSecurityGroupId,
 *     peerVpcId: vpc.id,
 *     peerVpcCidrBlocks: ["10.20.0.0/16"],
 *     peerRouteTableIds: privateRouteTableIds,
 *     ingress: [{ direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: redis.securityGroupId }],
 * });
 * ```
 */
export class DatomicPeering extends pulumi.ComponentResource {
    /** The VPC peering connection. */
    public readonly peeringConnectionId: pulumi.Output<string>;
    /** Routes in the Datomic route tables to the peer blocks. */
    public readonly datomicRouteIds: pulumi.Output<string[]>;
    /** Routes in the peer route tables to the Datomic block (none across accounts or regions). */
    public readonly peerRouteIds: pulumi.Output<string[]>;
    /** The security group rules created from `ingress`. */
    public readonly ingressRuleIds: pulumi.Output<string[]>;
    /**
     * The private hosted zone, once associated (same account) or authorized (another account). Pass it to
     * {@link DatomicPeeringAccepter} so the association waits for the authorization.
     */
    public readonly privateHostedZoneId: pulumi.Output<string | undefined>;

    constructor(name: string, args: DatomicPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:Peering", name, {}, opts);

        const crossAccount = args.peerOwnerId !== undefined;
        const crossRegion = args.peerRegion !== undefined;
        const acceptedHere = !crossAccount && !crossRegion;
        const ingress = args.ingress ?? [];
        this.validateSides(args, acceptedHere, crossRegion, ingress);

        const addressSpace = checkedAddressSpace(this, args.datomicVpcCidrBlock, stringList(args.peerVpcCidrBlocks));
        const plannedIngress = planPeeringIngressRules(this, ingress, {
            namePrefix: name,
            datomicNodeSecurityGroupId: args.datomicNodeSecurityGroupId,
            peerOwnerId: args.peerOwnerId,
            allowPublic: args.allowPublicIngress ?? false,
            directionProblem: (direction) =>
                direction === "datomic-to-peer" && !acceptedHere
                    ? "datomic-to-peer rules open a security group in the peer's account or region; " +
                      "give them to DatomicPeeringAccepter"
                    : undefined,
            groupReferenceProblem:
                acceptedHere || args.acceptedPeeringConnectionId !== undefined
                    ? undefined
                    : "a security group across the peering can only be referenced once the peer has accepted; " +
                      "pass the accepter's peeringConnectionId as acceptedPeeringConnectionId, or use cidrBlocks",
            tags: args.tags,
        });

        const connection = new aws.ec2.VpcPeeringConnection(
            `${name}-connection`,
            {
                // Taking the VPC id through the checked blocks means no connection is requested for
                // address spaces found to overlap at deploy time.
                vpcId: isPlain(addressSpace.peerVpcCidrBlocks)
                    ? args.datomicVpcId
                    : pulumi.all([args.datomicVpcId, addressSpace.peerVpcCidrBlocks]).apply(([id]) => id),
                peerVpcId: args.peerVpcId,
                peerOwnerId: args.peerOwnerId,
                peerRegion: args.peerRegion,
                autoAccept: acceptedHere ? true : undefined,
                tags: { Name: name, ...args.tags },
            },
            { parent: this },
        );
        this.peeringConnectionId = connection.id;

        const remoteDns = args.remoteDnsResolution ?? true;
        if (remoteDns && acceptedHere) {
            new aws.ec2.PeeringConnectionOptions(
                `${name}-dns`,
                {
                    vpcPeeringConnectionId: connection.id,
                    requester: { allowRemoteVpcDnsResolution: true },
                    accepter: { allowRemoteVpcDnsResolution: true },
                },
                { parent: this },
            );
        } else if (remoteDns && args.acceptedPeeringConnectionId !== undefined) {
            new aws.ec2.PeeringConnectionOptions(
                `${name}-requester-dns`,
                {
                    vpcPeeringConnectionId: args.acceptedPeeringConnectionId,
                    requester: { allowRemoteVpcDnsResolution: true },
                },
                { parent: this },
            );
        }

        this.datomicRouteIds = createPeeringRoutes(this, {
            namePrefix: `${name}-datomic-route`,
            routeTableIds: stringList(args.datomicRouteTableIds),
            destinations: addressSpace.peerVpcCidrBlocks,
            peeringConnectionId: connection.id,
        });
        this.peerRouteIds = acceptedHere
            ? createPeeringRoutes(this, {
                  namePrefix: `${name}-peer-route`,
                  routeTableIds: stringList(args.peerRouteTableIds!),
                  destinations: mapInput(addressSpace.datomicVpcCidrBlock, (block) => [block]),
                  peeringConnectionId: connection.id,
              })
            : pulumi.output([]);

        // Without an accepted id, rules referencing a group were refused above; CIDR rules need no wait.
        this.ingressRuleIds = plannedIngress.create(args.acceptedPeeringConnectionId ?? connection.id);

        this.privateHostedZoneId = this.privateZone(name, args, crossAccount);

        this.registerOutputs({
            peeringConnectionId: this.peeringConnectionId,
            datomicRouteIds: this.datomicRouteIds,
            peerRouteIds: this.peerRouteIds,
            ingressRuleIds: this.ingressRuleIds,
            privateHostedZoneId: this.privateHostedZoneId,
        });
    }

    private validateSides(
        args: DatomicPeeringArgs,
        acceptedHere: boolean,
        crossRegion: boolean,
        ingress: DatomicPeeringIngressRule[],
    ): void {
        if (acceptedHere && args.peerRouteTableIds === undefined) {
            throw new pulumi.ResourceError(
                "peerRouteTableIds: is required when the peer VPC is in this account and region " +
                    "(an empty list adds no peer routes)",
                this,
            );
        }
        if (!acceptedHere && args.peerRouteTableIds !== undefined) {
            throw new pulumi.ResourceError(
                "peerRouteTableIds: the peer's route tables are in another account or region; " +
                    "give them to DatomicPeeringAccepter, which runs with the peer's provider",
                this,
            );
        }
        if (acceptedHere && args.acceptedPeeringConnectionId !== undefined) {
            throw new pulumi.ResourceError(
                "acceptedPeeringConnectionId: is only for peers in another account or region " +
                    "(peerOwnerId or peerRegion); this connection is accepted here",
                this,
            );
        }
        if (crossRegion) {
            ingress.forEach((rule, index) => {
                if (rule.direction === "peer-to-datomic" && rule.peerSecurityGroupId !== undefined) {
                    throw new pulumi.ResourceError(
                        `ingress[${index}].peerSecurityGroupId: security groups cannot be referenced across ` +
                            "regions; use cidrBlocks",
                        this,
                    );
                }
            });
        }
    }

    private privateZone(
        name: string,
        args: DatomicPeeringArgs,
        crossAccount: boolean,
    ): pulumi.Output<string | undefined> {
        if (args.privateHostedZoneId === undefined) {
            return pulumi.output(undefined);
        }
        if (crossAccount) {
            // The zone's owner authorizes; the VPC's owner associates (DatomicPeeringAccepter).
            return new aws.route53.VpcAssociationAuthorization(
                `${name}-zone-authorization`,
                { zoneId: args.privateHostedZoneId, vpcId: args.peerVpcId, vpcRegion: args.peerRegion },
                { parent: this },
            ).zoneId;
        }
        return new aws.route53.ZoneAssociation(
            `${name}-zone`,
            { zoneId: args.privateHostedZoneId, vpcId: args.peerVpcId, vpcRegion: args.peerRegion },
            { parent: this },
        ).zoneId;
    }
}
