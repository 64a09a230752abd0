/**
 * Checks on the address space of a new Datomic Cloud system: the storage
 * template's `VpcCidrBlock` and its three subnet blocks.
 */
import { Cidr, cidrContains, cidrProblem, cidrsOverlap, parseCidr } from "./cidr";

/** A problem with one argument, for the component to report. */
export interface ArgumentProblem {
    readonly argument: string;
    readonly message: string;
}

/** The first problem with a new system's VPC and subnet blocks, or `undefined` when they are usable. */
export function validateNewSystemNetwork(
    vpcCidrBlock: string | undefined,
    subnetCidrBlocks: string[] | undefined,
): ArgumentProblem | undefined {
    if (vpcCidrBlock !== undefined) {
        const problem = cidrProblem(vpcCidrBlock);
        if (problem) {
            return { argument: "create.vpcCidrBlock", message: problem };
        }
        if (parseCidr(vpcCidrBlock).kind !== "ipv4") {
            return {
                argument: "create.vpcCidrBlock",
                message: `"${vpcCidrBlock}" is not an IPv4 block; a VPC's primary block is IPv4`,
            };
        }
    }
    if (subnetCidrBlocks === undefined) {
        return undefined;
    }
    if (vpcCidrBlock === undefined) {
        return {
            argument: "create.subnetCidrBlocks",
            message: "needs create.vpcCidrBlock, the block the subnets are carved from",
        };
    }
    if (subnetCidrBlocks.length !== 3) {
        return {
            argument: "create.subnetCidrBlocks",
            message: `has ${subnetCidrBlocks.length} blocks; the storage template takes exactly 3 (Subnet0CidrBlock..Subnet2CidrBlock)`,
        };
    }
    const vpc = parseCidr(vpcCidrBlock);
    const subnets: Cidr[] = [];
    for (const block of subnetCidrBlocks) {
        const problem = cidrProblem(block);
        if (problem) {
            return { argument: "create.subnetCidrBlocks", message: problem };
        }
        const subnet = parseCidr(block);
        if (!cidrContains(vpc, subnet)) {
            return {
                argument: "create.subnetCidrBlocks",
                message: `"${block}" is not inside create.vpcCidrBlock "${vpcCidrBlock}"`,
            };
        }
        const clash = subnets.find((other) => cidrsOverlap(other, subnet));
        if (clash) {
            return { argument: "create.subnetCidrBlocks", message: `"${block}" overlaps "${clash.text}"` };
        }
        subnets.push(subnet);
    }
    return undefined;
}
