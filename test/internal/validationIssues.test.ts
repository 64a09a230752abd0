import { issueMessage, locateIssue } from "../../components/internal/validationIssues";

describe("locateIssue", () => {
    const root = { lookups: [{ match: { name: "acme" } }] };

    test("names the key as written, with list indexes, and finds the value there", () => {
        expect(locateIssue({ path: ["lookups", 0, "match", "name"], message: "" }, root)).toEqual({
            key: "lookups[0].match.name",
            value: "acme",
        });
    });

    test("puts the key after a prefix, and finds no value where there is none", () => {
        expect(locateIssue({ path: ["lookups", 3], message: "" }, root, "datomic:cloud")).toEqual({
            key: "datomic:cloud.lookups[3]",
            value: undefined,
        });
        expect(locateIssue({ path: [], message: "" }, root)).toEqual({ key: "", value: root });
    });
});

test("issueMessage drops zod's generic opening only", () => {
    expect(issueMessage({ path: [], message: "Invalid input: expected string" })).toBe("expected string");
    expect(issueMessage({ path: [], message: "Too small" })).toBe("Too small");
});
