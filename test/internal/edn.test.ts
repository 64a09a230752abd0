import fc from "fast-check";
import { parseEDNString } from "edn-data";
import {
    EdnSyntaxError,
    ednProblem,
    isKeywordName,
    isKeywordString,
    lastEdnMap,
    parseEdn,
    parseEdnForms,
    toEdn,
} from "../../components/internal/edn";

describe("EDN", () => {
    test("prints plain data as EDN with keyword keys in sorted order and keyword strings as keywords", () => {
        expect(toEdn({ env: ":staging", "orders-queue": "https://sqs/q", retries: 3, debug: false, zone: null })).toBe(
            '{:debug false :env :staging :orders-queue "https://sqs/q" :retries 3 :zone nil}',
        );
        expect(toEdn({ b: { "x/y": [1, "two", ":three"] }, a: 'quote " and \\ backslash\nnewline' })).toBe(
            '{:a "quote \\" and \\\\ backslash\\nnewline" :b {:x/y [1 "two" :three]}}',
        );
        // Not keywords: a colon alone, a leading digit, a space.
        expect(toEdn([":", ":8080", ": x"])).toBe('[":" ":8080" ": x"]');
        expect(toEdn({ a: undefined, b: 1 })).toBe("{:b 1}");
    });

    test("refuses what EDN cannot carry, naming where it is", () => {
        expect(ednProblem({ "bad key": 1 }, "environmentMap")).toMatch(
            /^environmentMap has the key "bad key", which is not an EDN keyword name/,
        );
        expect(ednProblem({ a: { b: [1, Infinity] } }, "environmentMap")).toBe(
            "environmentMap.a.b[1] is Infinity, which EDN cannot represent",
        );
        expect(ednProblem({ when: new Date(0) }, "m")).toBe(
            "m.when is an object of type Date; use strings, numbers, booleans, null, arrays or objects",
        );
        expect(() => toEdn({ "1st": true }, "environmentMap")).toThrow(/key "1st"/);
        expect(isKeywordName("local/root")).toBe(true);
        expect(isKeywordName("-1")).toBe(false);
        expect(isKeywordName("a/b/c")).toBe(false);
    });

    test("property: printed maps read back (with edn-data) as the same data", () => {
        const key = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
        const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
        const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(key, scalar, { maxKeys: 3 }));
        fc.assert(
            fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (map) => {
                const text = toEdn(map);
                const read = parseEDNString(text, { mapAs: "object", keywordAs: "string", listAs: "array" });
                const expected = JSON.parse(
                    JSON.stringify(map, (_k, v) => (typeof v === "string" && isKeywordString(v) ? v.slice(1) : v)),
                );
                expect(read).toEqual(expected);
                expect(parseEdn(text)).toEqual(map);
            }),
        );
    });

    test("reads deps.edn-like text into plain data", () => {
        expect(
            parseEdn(`{:paths ["src" :res] ;; comment
                       #_ :ignored
                       :deps {acme/lib {:local/root "../lib"} big/num {:n 10N}}
                       :set #{1} :inst #inst "2020-01-01T00:00:00Z"}`),
        ).toEqual({
            paths: ["src", ":res"],
            deps: { "acme/lib": { "local/root": "../lib" }, "big/num": { n: 10 } },
            set: [1],
            inst: "2020-01-01T00:00:00.000Z",
        });
        expect(parseEdnForms("{:a 1} sym [2]")).toEqual([{ a: 1 }, "sym", [2]]);
        expect(() => parseEdn("{:a 1")).toThrow(EdnSyntaxError);
        expect(() => parseEdn("1 2")).toThrow("expected one EDN form, found 2");
    });

    test("finds a tool's result map after log lines, and expands namespaced maps", () => {
        const output = [
            "Downloading: com/datomic/ion/1.0.62/ion-1.0.62.pom from datomic-cloud",
            "WARNING: an (unbalanced line",
            '{:rev "abc",',
            " :deploy-groups (orders-dev),",
            ' :dependency-conflicts {:deps {com.cognitect/s3-creds #:mvn{:version "0.1.23"}}}}',
        ].join("\n");
        expect(lastEdnMap(output)).toEqual({
            rev: "abc",
            "deploy-groups": ["orders-dev"],
            "dependency-conflicts": { deps: { "com.cognitect/s3-creds": { "mvn/version": "0.1.23" } } },
        });
        expect(lastEdnMap("{:a 1}\n{:b 2}\n")).toEqual({ b: 2 });
        expect(lastEdnMap("no map here")).toBeUndefined();
        expect(lastEdnMap('{:rev "abc", :deploy-groups (g')).toBeUndefined();
    });
});
