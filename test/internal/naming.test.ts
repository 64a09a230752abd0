import { nameFragment, newSystemNameProblem, stackNameProblem } from "../../components/internal/naming";

describe("naming rules", () => {
    test("CloudFormation stack names", () => {
        expect(stackNameProblem("acme-prod-compute")).toBeUndefined();
        expect(stackNameProblem("a".repeat(128))).toBeUndefined();
        expect(stackNameProblem("a".repeat(129))).toBe(
            `"${"a".repeat(129)}" is 129 characters long; CloudFormation allows at most 128`,
        );
        expect(stackNameProblem("9lives")).toMatch(/must start with a letter/);
        expect(stackNameProblem("acme_prod")).toMatch(/only letters, digits and hyphens/);
    });

    test("new system names follow Datomic's advice of fewer than 24 characters", () => {
        expect(newSystemNameProblem("a".repeat(23))).toBeUndefined();
        expect(newSystemNameProblem("acme-production-datomic-1")).toBe(
            '"acme-production-datomic-1" is 25 characters long; Datomic advises system names of at most 23 characters (shorter than 24), such as "acme-production-datomic"',
        );
    });

    test("name fragments are stable, lowercase and hyphenated", () => {
        expect(nameFragment("10.20.0.0/16")).toBe("10-20-0-0-16");
        expect(nameFragment("2001:db8::/32")).toBe("2001-db8-32");
        expect(nameFragment("com.amazonaws.us-east-1.SQS")).toBe("com-amazonaws-us-east-1-sqs");
    });
});
