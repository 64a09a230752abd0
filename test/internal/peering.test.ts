import * as fc from "fast-check";
import { cidrsOverlap, parseCidr } from "../../components/internal/cidr";
import { peeringAddressSpaceProblem, peeringRoutes } from "../../components/internal/peering";

/** A brute-force reference: the addresses of a block, as numbers, by enumeration from its first address. */
function addresses(first: bigint, prefixLength: number, width: number): Set<bigint> {
    const size = 2n ** BigInt(width - prefixLength);
    const all = new Set<bigint>();
    for (let offset = 0n; offset < size; offset++) {
        all.add(first + offset);
    }
    return all;
}

function shareAnAddress(a: Set<bigint>, b: Set<bigint>): boolean {
    for (const address of a) {
        if (b.has(address)) {
            return true;
        }
    }
    return false;
}

interface Block {
    text: string;
    addresses: Set<bigint>;
}

/** The aligned IPv4 block of `prefix` (20 to 32) inside 10.0.0.0/16 that holds the address at `offset`. */
function ipv4BlockAt(prefix: number, offset: number): Block {
    const size = 2 ** (32 - prefix);
    const start = Math.floor(offset / size) * size;
    const text = `10.0.${Math.floor(start / 256)}.${start % 256}/${prefix}`;
    return { text, addresses: addresses(10n * 2n ** 24n + BigInt(start), prefix, 32) };
}

/** The aligned IPv6 block of `prefix` (116 to 128) inside 2001:db8::/112 that holds the address at `offset`. */
function ipv6BlockAt(prefix: number, offset: number): Block {
    const size = 2 ** (128 - prefix);
    const start = Math.floor(offset / size) * size;
    const text = `2001:db8::${start.toString(16)}/${prefix}`;
    return { text, addresses: addresses(0x20010db8n * 2n ** 96n + BigInt(start), prefix, 128) };
}

const offsetIn16Bits = fc.integer({ min: 0, max: 65535 });

/**
 * Pairs of blocks: half drawn independently (mostly disjoint), half around one shared address (mostly
 * overlapping, in every containment order), so both answers are well exercised.
 */
function blockPairs(blockAt: (prefix: number, offset: number) => Block, minPrefix: number, maxPrefix: number) {
    const prefix = fc.integer({ min: minPrefix, max: maxPrefix });
    const independent = fc
        .tuple(prefix, offsetIn16Bits, prefix, offsetIn16Bits)
        .map(([pa, oa, pb, ob]) => [blockAt(pa, oa), blockAt(pb, ob)] as const);
    const nearby = fc
        .tuple(
            offsetIn16Bits,
            prefix,
            fc.integer({ min: -4096, max: 4096 }),
            prefix,
            fc.integer({ min: -4096, max: 4096 }),
        )
        .map(([anchor, pa, da, pb, db]) => {
            const clamp = (offset: number) => Math.min(65535, Math.max(0, offset));
            return [blockAt(pa, clamp(anchor + da)), blockAt(pb, clamp(anchor + db))] as const;
        });
    return fc.oneof(independent, nearby);
}

const ipv4Pairs = blockPairs(ipv4BlockAt, 20, 32);
const ipv6Pairs = blockPairs(ipv6BlockAt, 116, 128);
const ipv4Block = fc.tuple(fc.integer({ min: 20, max: 32 }), offsetIn16Bits).map(([p, o]) => ipv4BlockAt(p, o));
const ipv6Block = fc.tuple(fc.integer({ min: 116, max: 128 }), offsetIn16Bits).map(([p, o]) => ipv6BlockAt(p, o));

describe("the overlap check against enumerated addresses", () => {
    test("IPv4 blocks overlap exactly when they share an address", () => {
        fc.assert(
            fc.property(ipv4Pairs, ([a, b]) => {
                const expected = shareAnAddress(a.addresses, b.addresses);
                expect(cidrsOverlap(parseCidr(a.text), parseCidr(b.text))).toBe(expected);
                const problem = peeringAddressSpaceProblem(a.text, [b.text]);
                expect(problem !== undefined).toBe(expected);
                if (expected) {
                    expect(problem!.message).toContain(`"${b.text}" overlaps datomicVpcCidrBlock "${a.text}"`);
                }
            }),
            { numRuns: 300 },
        );
    });

    test("IPv6 blocks overlap exactly when they share an address", () => {
        fc.assert(
            fc.property(ipv6Pairs, ([a, b]) => {
                const expected = shareAnAddress(a.addresses, b.addresses);
                expect(cidrsOverlap(parseCidr(a.text), parseCidr(b.text))).toBe(expected);
            }),
            { numRuns: 200 },
        );
    });

    test("blocks of different families never overlap", () => {
        fc.assert(
            fc.property(ipv4Block, ipv6Block, (a, b) => {
                expect(cidrsOverlap(parseCidr(a.text), parseCidr(b.text))).toBe(false);
                expect(peeringAddressSpaceProblem(a.text, [b.text])).toBeUndefined();
            }),
            { numRuns: 100 },
        );
    });

    test("peer blocks that overlap each other are reported, naming both", () => {
        fc.assert(
            fc.property(ipv4Pairs, ([a, b]) => {
                fc.pre(a.text !== b.text);
                const problem = peeringAddressSpaceProblem("172.16.0.0/16", [a.text, b.text]);
                if (shareAnAddress(a.addresses, b.addresses)) {
                    expect(problem?.message).toBe(
                        `"${b.text}" overlaps "${a.text}"; the blocks of one VPC never overlap`,
                    );
                } else {
                    expect(problem).toBeUndefined();
                }
            }),
            { numRuns: 200 },
        );
    });
});

describe("peeringAddressSpaceProblem", () => {
    test.each([
        ["10.0.0.0/16", ["10.1.0.0/16", "2600:1f18::/56"], undefined],
        [
            "10.0.0.0/16",
            ["10.0.128.0/17"],
            {
                argument: "peerVpcCidrBlocks",
                message:
                    '"10.0.128.0/17" overlaps datomicVpcCidrBlock "10.0.0.0/16"; AWS cannot peer VPCs whose address spaces overlap',
            },
        ],
        [
            "10.0.0.0/16",
            ["10.0.0.0/8"],
            {
                argument: "peerVpcCidrBlocks",
                message:
                    '"10.0.0.0/8" overlaps datomicVpcCidrBlock "10.0.0.0/16"; AWS cannot peer VPCs whose address spaces overlap',
            },
        ],
        [
            "10.0.0.1/16",
            ["10.1.0.0/16"],
            { argument: "datomicVpcCidrBlock", message: '"10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?' },
        ],
        [
            "10.0.0.0/16",
            ["10.1.0.0/33"],
            {
                argument: "peerVpcCidrBlocks",
                message:
                    '"10.1.0.0/33" is not a CIDR block (expected an address and prefix length such as 10.0.0.0/16)',
            },
        ],
        ["10.0.0.0/16", [], { argument: "peerVpcCidrBlocks", message: "is empty; list the peer VPC's CIDR blocks" }],
    ])("%s with %j", (datomic, peers, expected) => {
        expect(peeringAddressSpaceProblem(datomic, peers)).toEqual(expected);
    });
});

describe("peeringRoutes", () => {
    const tables = ["rtb-0a1", "rtb-0b2", "rtb-0c3", "rtb-0d4", "rtb-0e5", "rtb-0f6"];
    const destinations = ["10.20.0.0/16", "10.30.0.0/20", "2600:1f18:abc::/56"];

    test.each([1, 3, 6])("%i route tables: one route per table and destination", (count) => {
        const routes = peeringRoutes(tables.slice(0, count), destinations);
        const pairs = routes.map((route) => `${route.routeTableId} ${route.destination}`).sort();
        const expected = tables
            .slice(0, count)
            .flatMap((table) => destinations.map((destination) => `${table} ${destination}`))
            .sort();
        expect(pairs).toEqual(expected);
        expect(new Set(routes.map((route) => route.key)).size).toBe(routes.length);
        expect(routes.filter((route) => route.family === "ipv6")).toHaveLength(count);
    });

    test("keys name the pair, so reordering or adding entries keeps every other key", () => {
        const keys = (routeTables: string[], blocks: string[]) =>
            new Set(peeringRoutes(routeTables, blocks).map((route) => route.key));
        const before = keys(["rtb-0a1", "rtb-0b2"], ["10.20.0.0/16"]);
        const after = keys(["rtb-0c3", "rtb-0b2", "rtb-0a1"], ["10.30.0.0/20", "10.20.0.0/16"]);
        for (const key of before) {
            expect(after.has(key)).toBe(true);
        }
        expect([...before]).toEqual(["rtb-0a1-10-20-0-0-16", "rtb-0b2-10-20-0-0-16"]);
    });

    test("repeated tables and blocks make one route", () => {
        expect(peeringRoutes(["rtb-0a1", "rtb-0a1"], ["10.20.0.0/16", "10.20.0.0/16"])).toHaveLength(1);
    });
});
