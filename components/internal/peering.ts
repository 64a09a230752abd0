/**
 * Address-space checks and route plans for VPC peering between the Datomic VPC
 * and a peer VPC.
 *
 * Sources: AWS, "VPC peering limitations" (peered VPCs cannot have matching or
 * overlapping CIDR blocks) and "Update your route tables for a VPC peering
 * connection" (each side routes the other side's blocks to the connection).
 */
import { Cidr, cidrProblem, cidrsOverlap, parseCidr } from "./cidr";
import { nameFragment } from "./naming";
import type { ArgumentProblem } from "./systemNetwork";

/**
 * The first problem with the two address spaces of a peering, or `undefined` when they can be peered:
 * a block that is not a CIDR, a peer block overlapping the Datomic VPC's block, or peer blocks that
 * overlap each other (a VPC's own blocks never do, so that is a typo). Messages name both blocks.
 */
export function peeringAddressSpaceProblem(
    datomicVpcCidrBlock: string,
    peerVpcCidrBlocks: readonly string[],
): ArgumentProblem | undefined {
    const datomicProblem = cidrProblem(datomicVpcCidrBlock);
    if (datomicProblem) {
        return { argument: "datomicVpcCidrBlock", message: datomicProblem };
    }
    if (peerVpcCidrBlocks.length === 0) {
        return { argument: "peerVpcCidrBlocks", message: "is empty; list the peer VPC's CIDR blocks" };
    }
    const datomic = parseCidr(datomicVpcCidrBlock);
    const peers: Cidr[] = [];
    for (const block of peerVpcCidrBlocks) {
        const problem = cidrProblem(block);
        if (problem) {
            return { argument: "peerVpcCidrBlocks", message: problem };
        }
        const peer = parseCidr(block);
        if (cidrsOverlap(peer, datomic)) {
            return {
                argument: "peerVpcCidrBlocks",
                message:
                    `"${block}" overlaps datomicVpcCidrBlock "${datomicVpcCidrBlock}"; ` +
                    "AWS cannot peer VPCs whose address spaces overlap",
            };
        }
        const clash = peers.find((other) => cidrsOverlap(other, peer));
        if (clash) {
            return {
                argument: "peerVpcCidrBlocks",
                message: `"${block}" overlaps "${clash.text}"; the blocks of one VPC never overlap`,
            };
        }
        peers.push(peer);
    }
    return undefined;
}

/** One route to create: traffic for `destination` in `routeTableId` goes over the peering connection. */
export interface PlannedRoute {
    readonly routeTableId: string;
    readonly destination: string;
    readonly family: "ipv4" | "ipv6";
    /** A name fragment derived from the route table and the destination, never from list positions. */
    readonly key: string;
}

/**
 * Every route table times every destination block, each pair once. Keys derive from the pair, so
 * adding or reordering route tables or blocks never renames (and so never replaces) another route.
 */
export function peeringRoutes(routeTableIds: readonly string[], destinations: readonly string[]): PlannedRoute[] {
    const routes: PlannedRoute[] = [];
    for (const routeTableId of new Set(routeTableIds)) {
        for (const destination of new Set(destinations)) {
            routes.push({
                routeTableId,
                destination,
                family: parseCidr(destination).kind,
                key: `${nameFragment(routeTableId)}-${nameFragment(destination)}`,
            });
        }
    }
    return routes;
}
