/**
 * CIDR parsing and address-space checks, built on ipaddr.js so that no bit
 * arithmetic is written by hand.
 */
import * as ipaddr from "ipaddr.js";

/** A CIDR block that parsed and has no host bits set. */
export interface Cidr {
    /** The block as written, e.g. `10.0.0.0/16`. */
    readonly text: string;
    readonly kind: "ipv4" | "ipv6";
    readonly network: ipaddr.IPv4 | ipaddr.IPv6;
    readonly prefixLength: number;
}

/** Why `text` is not a usable CIDR block, or `undefined` when it is. */
export function cidrProblem(text: string): string | undefined {
    if (!ipaddr.isValidCIDR(text)) {
        return `"${text}" is not a CIDR block (expected an address and prefix length such as 10.0.0.0/16)`;
    }
    const network = networkAddress(text);
    const [address] = ipaddr.parseCIDR(text);
    if (network.toString() !== address.toString()) {
        const canonical = `${network.toString()}/${ipaddr.parseCIDR(text)[1]}`;
        return `"${text}" has host bits set; did you mean ${canonical}?`;
    }
    return undefined;
}

/** Parses a CIDR block; throws an `Error` carrying {@link cidrProblem}'s message when it is not usable. */
export function parseCidr(text: string): Cidr {
    const problem = cidrProblem(text);
    if (problem) {
        throw new Error(problem);
    }
    const [network, prefixLength] = ipaddr.parseCIDR(text);
    return { text, kind: network.kind(), network, prefixLength };
}

/** True for blocks that admit every address: `0.0.0.0/0` and `::/0` (and any other `/0`). */
export function isAnyAddress(text: string): boolean {
    return ipaddr.isValidCIDR(text) && ipaddr.parseCIDR(text)[1] === 0;
}

/** True when `inner` lies wholly inside `outer`. Blocks of different families never contain each other. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    if (outer.kind !== inner.kind || inner.prefixLength < outer.prefixLength) {
        return false;
    }
    return matches(inner.network, outer);
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    // Two aligned blocks overlap exactly when one contains the other.
    return cidrContains(a, b) || cidrContains(b, a);
}

function matches(address: ipaddr.IPv4 | ipaddr.IPv6, block: Cidr): boolean {
    return address.kind() === "ipv4"
        ? (address as ipaddr.IPv4).match(block.network as ipaddr.IPv4, block.prefixLength)
        : (address as ipaddr.IPv6).match(block.network as ipaddr.IPv6, block.prefixLength);
}

function networkAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 {
    const [address] = ipaddr.parseCIDR(text);
    return address.kind() === "ipv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(text)
        : ipaddr.IPv6.networkAddressFromCIDR(text);
}

/** How an ingress rule's source block is described in {@link ingressCidrProblem}'s message. */
export interface IngressCidrPolicy {
    /** Whether `0.0.0.0/0` and `::/0` are accepted. */
    allowPublic: boolean;
    /** The argument that accepts them, named in the message. */
    allowFlag: string;
    /** What an open block does, e.g. "opens SSH to the whole internet". Default "admits every address". */
    exposure?: string;
    /** Whose networks to list instead, e.g. "your own". Default "the callers'". */
    sources?: string;
}

/** Why `text` cannot be the source of an ingress rule: not a CIDR, or every address while that is not allowed. */
export function ingressCidrProblem(text: string, policy: IngressCidrPolicy): string | undefined {
    const problem = cidrProblem(text);
    if (problem || !isAnyAddress(text) || policy.allowPublic) {
        return problem;
    }
    const exposure = policy.exposure ?? "admits every address";
    const sources = policy.sources ?? "the callers'";
    return `"${text}" ${exposure}; list ${sources} networks, or set ${policy.allowFlag}: true to accept the risk`;
}
