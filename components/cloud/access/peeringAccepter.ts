/**
 * DatomicPeeringAccepter: the peer's side of a {@link DatomicPeering} with a VPC
 * in another account or region. Constructed with the peer's provider, it
 * accepts the connection, enables DNS resolution on its side, adds the routes
 * to the Datomic VPC and the peer-side security group rules, and associates the
 * peer VPC with Datomic's private hosted zone.
 *
 * Sources: AWS VPC peering guide (an inter-region request is accepted in the
 * accepter's region; the accepter adds its own routes); EC2 API
 * ModifyVpcPeeringConnectionOptions (each account sets its own side's options);
 * Route 53 AssociateVPCWithHostedZone (across accounts, after the zone owner's
 * CreateVPCAssociationAuthorization).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mapInput, stringList } from "../inputValues";
import type { DatomicPeeringIngressRule } from "./peeringIngressRule";
import { checkedAddressSpace, checkedCidr, createPeeringRoutes, planPeeringIngressRules } from "./peeringParts";

/** Arguments of {@link DatomicPeeringAccepter}. */
export interface DatomicPeeringAccepterArgs {
    /** The requester's connection: `DatomicPeering.peeringConnectionId`. */
    peeringConnectionId: pulumi.Input<string>;
    /** The Datomic VPC's CIDR block: the destination of the peer-side routes. */
    datomicVpcCidrBlock: pulumi.Input<string>;
    /** Route tables of the peer subnets that talk to Datomic; each gets a route to `datomicVpcCidrBlock`. */
    peerRouteTableIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The peer VPC's CIDR blocks; when given, the overlap check of {@link DatomicPeering} runs on this side too. */
    peerVpcCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The Datomic nodes' security group, the default source of `"datomic-to-peer"` rules. From another
     * account write it `<account>/<group id>`; across regions use the rules' `cidrBlocks` instead.
     */
    datomicNodeSecurityGroupId?: pulumi.Input<string>;
    /** `"datomic-to-peer"` rules: they open security groups of this (the peer's) side. */
    ingress?: DatomicPeeringIngressRule[];
    /** Allow `0.0.0.0/0` or `::/0` in `ingress[].cidrBlocks`. Default false. */
    allowPublicIngress?: boolean;
    /** Let the Datomic VPC resolve this VPC's public DNS host names to private addresses. Default true. */
    remoteDnsResolution?: boolean;
    /**
     * `DatomicPeering.privateHostedZoneId`, to associate `peerVpcId` with Datomic's private hosted zone
     * (`<system>.<region>.datomic.net`). The requester authorizes the association first.
     */
    privateHostedZoneId?: pulumi.Input<string | undefined>;
    /** The peer VPC; required with `privateHostedZoneId`. */
    peerVpcId?: pulumi.Input<string>;
    /** Tags for every resource created that takes tags. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * The peer's side of a cross-account or cross-region {@link DatomicPeering}. Construct it with the peer
 * account's or region's provider in `opts`; every child uses it.
 *
 * @example
 * ```ts
 * const peering = new DatomicPeering("orders", { ...datomicSide, peerVpcId, peerVpcCidrBlocks, peerOwnerId: "222222222222" },
 *     { provider: datomicAccount });
 * new DatomicPeeringAccepter("orders", {
 *     peeringConnectionId: peering.peeringConnectionId,
 *     datomicVpcCidrBlock: datomic.vpcCidrBlock,
 *     peerRouteTableIds: privateRouteTableIds,
 * }, { provider: serviceAccount });
 * ```
 */
export class DatomicPeeringAccepter extends pulumi.ComponentResource {
    /** The connection, once accepted. */
    public readonly peeringConnectionId: pulumi.Output<string>;
    /** Routes in the peer route tables to the Datomic block. */
    public readonly peerRouteIds: pulumi.Output<string[]>;
    /** The security group rules created from `ingress`. */
    public readonly ingressRuleIds: pulumi.Output<string[]>;
    /** The association of the peer VPC with Datomic's private hosted zone, when requested. */
    public readonly zoneAssociationId: pulumi.Output<string | undefined>;

    constructor(name: string, args: DatomicPeeringAccepterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:PeeringAccepter", name, {}, opts);

        if (args.privateHostedZoneId !== undefined && args.peerVpcId === undefined) {
            throw new pulumi.ResourceError(
                "peerVpcId: is required with privateHostedZoneId, to associate the peer VPC with the zone",
                this,
            );
        }
        const datomicBlock =
            args.peerVpcCidrBlocks === undefined
                ? checkedCidr(this, "datomicVpcCidrBlock", args.datomicVpcCidrBlock)
                : checkedAddressSpace(this, args.datomicVpcCidrBlock, stringList(args.peerVpcCidrBlocks))
                      .datomicVpcCidrBlock;

        const plannedIngress = planPeeringIngressRules(this, args.ingress ?? [], {
            namePrefix: name,
            datomicNodeSecurityGroupId: args.datomicNodeSecurityGroupId,
            allowPublic: args.allowPublicIngress ?? false,
            directionProblem: (direction) =>
                direction === "peer-to-datomic"
                    ? "peer-to-datomic rules open the Datomic nodes' security group; give them to DatomicPeering"
                    : undefined,
            tags: args.tags,
        });

        const accepter = new aws.ec2.VpcPeeringConnectionAccepter(
            `${name}-accepter`,
            { vpcPeeringConnectionId: args.peeringConnectionId, autoAccept: true, tags: { Name: name, ...args.tags } },
            { parent: this },
        );
        this.peeringConnectionId = accepter.id;

        if (args.remoteDnsResolution ?? true) {
            new aws.ec2.PeeringConnectionOptions(
                `${name}-accepter-dns`,
                { vpcPeeringConnectionId: accepter.id, accepter: { allowRemoteVpcDnsResolution: true } },
                { parent: this },
            );
        }

        this.peerRouteIds = createPeeringRoutes(this, {
            namePrefix: `${name}-peer-route`,
            routeTableIds: stringList(args.peerRouteTableIds),
            destinations: mapInput(datomicBlock, (block) => [block]),
            peeringConnectionId: accepter.id,
        });

        this.ingressRuleIds = plannedIngress.create(accepter.id);

        this.zoneAssociationId =
            args.privateHostedZoneId === undefined
                ? pulumi.output(undefined)
                : new aws.route53.ZoneAssociation(
                      `${name}-zone`,
                      {
                          zoneId: pulumi.output(args.privateHostedZoneId).apply((zone) => {
                              if (zone === undefined) {
                                  throw new pulumi.ResourceError(
                                      "privateHostedZoneId: the requester's DatomicPeering has no privateHostedZoneId",
                                      this,
                                  );
                              }
                              return zone;
                          }),
                          vpcId: args.peerVpcId!,
                      },
                      { parent: this },
                  ).id;

        this.registerOutputs({
            peeringConnectionId: this.peeringConnectionId,
            peerRouteIds: this.peerRouteIds,
            ingressRuleIds: this.ingressRuleIds,
            zoneAssociationId: this.zoneAssociationId,
        });
    }
}
