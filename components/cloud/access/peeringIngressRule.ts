/**
 * The ingress rule type of DatomicPeering and DatomicPeeringAccepter, in a file of its own so the
 * component files and peeringParts.ts all import it without importing each other.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * One security group rule for traffic over the peering. All fields are plain values except the
 * security group and the CIDR blocks, which may come from other resources or stack references.
 */
export interface DatomicPeeringIngressRule {
    /**
     * `"datomic-to-peer"`: the Datomic nodes call something in the peer VPC (Redis on 6379, say); the rule
     * opens `peerSecurityGroupId` to the nodes' security group, or to `cidrBlocks` when given.
     * `"peer-to-datomic"`: callers in the peer VPC use the Client API; the rule opens the Datomic nodes'
     * security group to `peerSecurityGroupId` and/or `cidrBlocks`.
     */
    direction: string;
    /** The port. Defaults to 8182 (the Client API) for `"peer-to-datomic"`; required for `"datomic-to-peer"`. */
    port?: number;
    /** `"tcp"` (default) or `"udp"`. */
    protocol?: string;
    /**
     * A security group in the peer VPC: the group that admits Datomic (`"datomic-to-peer"`) or the
     * callers' group (`"peer-to-datomic"`). Security groups cannot be referenced across regions.
     */
    peerSecurityGroupId?: pulumi.Input<string>;
    /**
     * The calling side's CIDR blocks, one rule each: the Datomic subnets (`"datomic-to-peer"`, instead of
     * the nodes' group) or the peer callers (`"peer-to-datomic"`). `0.0.0.0/0` and `::/0` need
     * `allowPublicIngress`.
     */
    cidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /** The rule's description in the security group. */
    description?: string;
    /**
     * Names the rule's resources. Needed only when two rules would otherwise get the same name (same
     * direction, protocol and port, and a peer security group that is not a plain string).
     */
    name?: string;
}
