import { lambdaNameProblem, queryGroupNameLimits, queryGroupStackName } from "../../components/internal/naming";

const defaults = { maxStackNameLength: 23, lambdaNames: [] as string[] };

describe("query group stack names", () => {
    test("a whole name or a group name with a suffix that fits is used as is", () => {
        expect(queryGroupStackName({ ...defaults, stackName: "orders-prod" })).toEqual({ name: "orders-prod" });
        expect(queryGroupStackName({ ...defaults, groupName: "orders" })).toEqual({ name: "orders" });
        expect(queryGroupStackName({ ...defaults, groupName: "orders", suffix: "5f2c0e9" })).toEqual({
            name: "orders-5f2c0e9",
        });
    });

    test("the tightest limit wins and is named, with a shortened name", () => {
        expect(queryGroupNameLimits(23, ["get-items-by-type"]).map((l) => l.length)).toEqual([23, 46, 128]);
        expect(queryGroupNameLimits(100, ["a-rather-long-lambda-entry-point-name-for-items"])[0]).toEqual({
            length: 16,
            rule: `the ion Lambda "<group>-a-rather-long-lambda-entry-point-name-for-items" must fit AWS Lambda's 64-character limit, leaving 16 for the group`,
        });
        expect(queryGroupStackName({ ...defaults, stackName: "orders-query-group-production" })).toEqual({
            argument: "stackName",
            problem:
                '"orders-query-group-production" is 29 characters long; Datomic advises short compute group names (maxStackNameLength: 23), so at most 23; use a shorter name such as "orders-query-group-prod"',
        });
        expect(
            queryGroupStackName({ maxStackNameLength: 200, lambdaNames: [], stackName: `a${"-b".repeat(70)}` }),
        ).toMatchObject({
            argument: "stackName",
            problem: expect.stringContaining("CloudFormation allows at most 128"),
        });
        expect(
            queryGroupStackName({
                maxStackNameLength: 100,
                lambdaNames: ["echo", "get-items-by-type-and-a-long-descriptive-name"],
                groupName: "orders-query-group",
                suffix: "x",
            }),
        ).toMatchObject({ argument: "groupName", problem: expect.stringContaining("leaves no room for a suffix") });
    });

    test("a suffix that does not fit fails proposing a deterministic shortened suffix, or is shortened on request", () => {
        const input = { ...defaults, groupName: "orders", suffix: "feature-login-page-with-oauth" };
        const failed = queryGroupStackName(input);
        expect(failed).toEqual({
            argument: "suffix",
            problem:
                '"orders-feature-login-page-with-oauth" is 36 characters long; Datomic advises short compute group names (maxStackNameLength: 23), so at most 23; use the suffix "feature-896bdc6" (stack name "orders-feature-896bdc6"), or set shortenSuffix: true to shorten it this way automatically',
        });
        const shortened = queryGroupStackName({ ...input, shortenSuffix: true });
        expect(shortened).toEqual({ name: "orders-feature-896bdc6" });
        expect(queryGroupStackName({ ...input, shortenSuffix: true })).toEqual(shortened);
        // Different suffixes sharing a prefix stay different.
        expect(
            queryGroupStackName({ ...input, suffix: "feature-login-page-with-saml", shortenSuffix: true }),
        ).not.toEqual(shortened);
    });

    test("suffix characters a stack name cannot hold are replaced, keeping a hash", () => {
        expect(queryGroupStackName({ ...defaults, groupName: "orders", suffix: "feat/x_y" })).toMatchObject({
            argument: "suffix",
            problem: expect.stringMatching(
                /^"feat\/x_y" has characters a stack name cannot contain .* use the suffix "feat-x-y-[0-9a-f]{7}"/,
            ),
        });
        expect(
            queryGroupStackName({ ...defaults, groupName: "orders", suffix: "feat/x_y", shortenSuffix: true }),
        ).toEqual({ name: expect.stringMatching(/^orders-feat-x-y-[0-9a-f]{7}$/) });
    });

    test("argument combinations and Lambda names", () => {
        expect(queryGroupStackName({ ...defaults, stackName: "a", groupName: "b" })).toMatchObject({
            argument: "stackName",
        });
        expect(queryGroupStackName({ ...defaults })).toEqual({
            argument: "groupName",
            problem: "is required when stackName is not given",
        });
        expect(queryGroupStackName({ ...defaults, groupName: "9orders" })).toMatchObject({
            argument: "groupName",
            problem: expect.stringContaining("must start with a letter"),
        });
        expect(lambdaNameProblem("get-items_by-type")).toBeUndefined();
        expect(lambdaNameProblem("get items")).toMatch(/not a Lambda name part/);
    });
});
