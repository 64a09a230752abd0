import * as fc from "fast-check";
import {
    formatJavaProperty,
    parseJavaProperties,
    parseJavaPropertyEntries,
} from "../../components/internal/javaProperties";

describe("parseJavaProperties reads what java.util.Properties.load reads", () => {
    test("comments, blank lines and the three separators", () => {
        const text = [
            "# a comment",
            "! another comment",
            "   # an indented comment",
            "",
            "   ",
            "equals=one",
            "colon: two",
            "space three",
            "  indented   =   four  ",
            "tab\tfive",
        ].join("\n");
        expect(Object.fromEntries(parseJavaProperties(text))).toEqual({
            equals: "one",
            colon: "two",
            space: "three",
            // Blanks after the value are part of it, as in Java.
            indented: "four  ",
            tab: "five",
        });
    });

    test("blank values, keys alone, and a value that starts with a separator", () => {
        expect(Object.fromEntries(parseJavaProperties("empty=\nalone\ncolon:\ndouble==x\nspaced = :y\n"))).toEqual({
            empty: "",
            alone: "",
            colon: "",
            double: "=x",
            spaced: ":y",
        });
    });

    test("CRLF and CR line endings", () => {
        expect(Object.fromEntries(parseJavaProperties("a=1\r\nb=2\rc=3\r\n"))).toEqual({ a: "1", b: "2", c: "3" });
    });

    test("continuation lines drop their leading blanks; an even number of backslashes does not continue", () => {
        const text = "list=one,\\\r\n    two,\\\n\tthree\nliteral=ends with \\\\\nnext=x\n";
        expect(Object.fromEntries(parseJavaProperties(text))).toEqual({
            list: "one,two,three",
            literal: "ends with \\",
            next: "x",
        });
    });

    test("a comment line ending in a backslash does not continue, and a continued line is not a comment", () => {
        const text = "# comment \\\nkey=value\\\n# not a comment\n";
        expect(Object.fromEntries(parseJavaProperties(text))).toEqual({ key: "value# not a comment" });
    });

    test("escapes in keys and values", () => {
        const text = "a\\=b\\:c\\ d=tab\\there\\nnew\\u0041\\q\\\\\n";
        expect(Object.fromEntries(parseJavaProperties(text))).toEqual({ "a=b:c d": "tab\there\nnewAq\\" });
    });

    test("a repeated key keeps its last value; entries keep their order and line numbers", () => {
        expect(parseJavaProperties("k=1\nk=2\n").get("k")).toBe("2");
        expect(parseJavaPropertyEntries("# c\r\n\r\nfirst=1\r\nsecond=a\\\r\n  b\r\nthird=3")).toEqual([
            { key: "first", value: "1", line: 3 },
            { key: "second", value: "ab", line: 4 },
            { key: "third", value: "3", line: 6 },
        ]);
    });

    test("a malformed \\u escape names its line", () => {
        expect(() => parseJavaProperties("ok=1\nbad=\\u12G4\n")).toThrow('line 2: malformed \\uXXXX escape "\\u12G4"');
    });

    test("formatJavaProperty writes text that reads back as the same key and value", () => {
        expect(formatJavaProperty("memcached", "host-a:11211,host-b:11211")).toBe(
            "memcached=host-a:11211,host-b:11211",
        );
        expect(formatJavaProperty("k=1", " lead\\tail\n")).toBe("k\\=1=\\ lead\\\\tail\\n");
        fc.assert(
            fc.property(fc.string({ minLength: 1 }), fc.string(), (key, value) => {
                const parsed = parseJavaPropertyEntries(formatJavaProperty(key, value));
                expect(parsed).toEqual([{ key, value, line: 1 }]);
            }),
            { numRuns: 500 },
        );
    });
});
