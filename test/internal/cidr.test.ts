import {
    cidrContains,
    cidrProblem,
    cidrsOverlap,
    ingressCidrProblem,
    isAnyAddress,
    parseCidr,
} from "../../components/internal/cidr";

describe("CIDR checks", () => {
    test("accepts canonical IPv4 and IPv6 blocks", () => {
        expect(cidrProblem("10.0.0.0/16")).toBeUndefined();
        expect(cidrProblem("2001:db8::/32")).toBeUndefined();
        expect(parseCidr("10.0.0.0/16")).toMatchObject({ kind: "ipv4", prefixLength: 16 });
    });

    test.each([
        ["10.0.0.0", '"10.0.0.0" is not a CIDR block (expected an address and prefix length such as 10.0.0.0/16)'],
        [
            "10.0.0.0/33",
            '"10.0.0.0/33" is not a CIDR block (expected an address and prefix length such as 10.0.0.0/16)',
        ],
        [
            "10.0.0.256/24",
            '"10.0.0.256/24" is not a CIDR block (expected an address and prefix length such as 10.0.0.0/16)',
        ],
        ["10.0.1.0/16", '"10.0.1.0/16" has host bits set; did you mean 10.0.0.0/16?'],
        ["2001:db8::1/32", '"2001:db8::1/32" has host bits set; did you mean 2001:db8::/32?'],
    ])("refuses %s", (text, message) => {
        expect(cidrProblem(text)).toBe(message);
        expect(() => parseCidr(text)).toThrow(message);
    });

    test("recognises blocks open to every address", () => {
        expect(isAnyAddress("0.0.0.0/0")).toBe(true);
        expect(isAnyAddress("::/0")).toBe(true);
        expect(isAnyAddress("0.0.0.0/1")).toBe(false);
        expect(isAnyAddress("not a cidr")).toBe(false);
    });

    test("containment and overlap", () => {
        const vpc = parseCidr("10.0.0.0/16");
        expect(cidrContains(vpc, parseCidr("10.0.16.0/20"))).toBe(true);
        expect(cidrContains(vpc, parseCidr("10.1.0.0/20"))).toBe(false);
        expect(cidrContains(parseCidr("10.0.16.0/20"), vpc)).toBe(false);
        expect(cidrsOverlap(parseCidr("10.0.16.0/20"), vpc)).toBe(true);
        expect(cidrsOverlap(parseCidr("10.0.0.0/17"), parseCidr("10.0.128.0/17"))).toBe(false);
        expect(cidrsOverlap(parseCidr("10.0.0.0/8"), parseCidr("2001:db8::/32"))).toBe(false);
    });
});

describe("ingressCidrProblem", () => {
    const policy = { allowPublic: false, allowFlag: "allowPublicCidrs" };

    test("passes private blocks and reports malformed ones as cidrProblem does", () => {
        expect(ingressCidrProblem("10.0.0.0/8", policy)).toBeUndefined();
        expect(ingressCidrProblem("10.0.0.1/8", policy)).toBe(cidrProblem("10.0.0.1/8"));
    });

    test("refuses every address unless allowed, naming the flag", () => {
        expect(ingressCidrProblem("::/0", policy)).toBe(
            `"::/0" admits every address; list the callers' networks, or set allowPublicCidrs: true to accept the risk`,
        );
        expect(
            ingressCidrProblem("0.0.0.0/0", {
                ...policy,
                exposure: "opens SSH to the whole internet",
                sources: "your own",
            }),
        ).toBe(
            `"0.0.0.0/0" opens SSH to the whole internet; list your own networks, or set allowPublicCidrs: true to accept the risk`,
        );
        expect(ingressCidrProblem("0.0.0.0/0", { ...policy, allowPublic: true })).toBeUndefined();
    });
});
