import { sha256Hex, stableJsonHash } from "../../components/internal/hashing";

test("sha256Hex matches the SHA-256 test vector", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

test("stableJsonHash ignores key order and sees every value", () => {
    const a = { b: 1, a: { y: [1, 2], x: "s" } };
    const reordered = { a: { x: "s", y: [1, 2] }, b: 1 };
    expect(stableJsonHash(a)).toBe(stableJsonHash(reordered));
    expect(stableJsonHash(a)).not.toBe(stableJsonHash({ ...a, b: 2 }));
    expect(stableJsonHash(a)).not.toBe(stableJsonHash({ b: 1, a: { y: [2, 1], x: "s" } }));
    expect(() => stableJsonHash(undefined)).toThrow("no JSON form");
});
