/**
 * IAM names of the transactor's roles and managed peer policy: regional, within IAM's limits for every
 * system name the component accepts and every region shape, and never the same for two regions.
 */
import fc from "fast-check";
import {
    IAM_POLICY_NAME_MAX_LENGTH,
    IAM_ROLE_NAME_MAX_LENGTH,
    regionalName,
    transactorIamNames,
} from "../../../components/pro/transactor/iamNames";
import { roleNameProblem, systemNameProblem } from "../../../components/pro/validation";

/** Regions as AWS names them, the longest included (us-isof-south-1, 15 characters). */
const KNOWN_REGIONS = [
    "us-east-1",
    "eu-west-1",
    "ap-southeast-5",
    "ap-northeast-3",
    "us-gov-west-1",
    "cn-northwest-1",
    "us-isob-east-1",
    "us-isof-south-1",
    "eu-isoe-west-1",
    "il-central-1",
    "mx-central-1",
];

/** Any system name `DatomicTransactor` accepts: 1 to 40 letters, digits and hyphens, starting with a letter or digit. */
const systemNames = fc
    .stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/)
    .filter((name) => systemNameProblem(name) === undefined);
/** AWS-shaped regions, up to far longer than any today's. */
const regions = fc.oneof(
    fc.constantFrom(...KNOWN_REGIONS),
    fc.stringMatching(/^[a-z]{2}(-[a-z]{2,12}){1,3}-[1-9][0-9]?$/),
);
/** IAM's characters for role and policy names. */
const IAM_NAME = /^[\w+=,.@-]+$/;

describe("transactorIamNames", () => {
    test("a short system name reads <system>-<kind>-<region>", () => {
        expect(transactorIamNames("acme-orders", "eu-west-1", {})).toEqual({
            transactorRole: "acme-orders-transactor-eu-west-1",
            peerRole: "acme-orders-peer-eu-west-1",
            peerPolicy: "acme-orders-datomic-peer-eu-west-1",
        });
    });

    test("the longest system name in the longest region fits IAM's 64 and 128 characters, hashed", () => {
        const longest = "a".repeat(40);
        const names = transactorIamNames(longest, "us-isof-south-1", {});
        expect(names.transactorRole).toHaveLength(IAM_ROLE_NAME_MAX_LENGTH);
        expect(names.transactorRole).toMatch(/^a{30}-[0-9a-f]{6}-transactor-us-isof-south-1$/);
        // The peer role and the policy fit unshortened.
        expect(names.peerRole).toBe(`${longest}-peer-us-isof-south-1`);
        expect(names.peerPolicy).toBe(`${longest}-datomic-peer-us-isof-south-1`);
        expect(roleNameProblem(names.transactorRole)).toBeUndefined();
    });

    test("given role names are kept as they are; the policy stays regional", () => {
        expect(
            transactorIamNames("acme", "us-east-1", { transactor: "datomic-aws-transactor", peer: "datomic-aws-peer" }),
        ).toEqual({
            transactorRole: "datomic-aws-transactor",
            peerRole: "datomic-aws-peer",
            peerPolicy: "acme-datomic-peer-us-east-1",
        });
    });

    test("every accepted system name in every region shape: within IAM's limits and characters, naming the region", () => {
        fc.assert(
            fc.property(systemNames, regions, (systemName, region) => {
                const names = transactorIamNames(systemName, region, {});
                for (const role of [names.transactorRole, names.peerRole]) {
                    expect(role.length).toBeLessThanOrEqual(IAM_ROLE_NAME_MAX_LENGTH);
                    expect(roleNameProblem(role)).toBeUndefined();
                    expect(role.endsWith(`-${region}`)).toBe(true);
                }
                expect(names.peerPolicy.length).toBeLessThanOrEqual(IAM_POLICY_NAME_MAX_LENGTH);
                expect(names.peerPolicy).toMatch(IAM_NAME);
                expect(names.peerPolicy.endsWith(`-${region}`)).toBe(true);
                expect(transactorIamNames(systemName, region, {})).toEqual(names);
            }),
            { numRuns: 500 },
        );
    });

    test("the same system in two regions, or two systems in one region, never share a name", () => {
        fc.assert(
            fc.property(systemNames, systemNames, regions, regions, (systemA, systemB, regionA, regionB) => {
                fc.pre(systemA !== systemB || regionA !== regionB);
                const a = transactorIamNames(systemA, regionA, {});
                const b = transactorIamNames(systemB, regionB, {});
                expect(a.transactorRole).not.toBe(b.transactorRole);
                expect(a.peerRole).not.toBe(b.peerRole);
                expect(a.peerPolicy).not.toBe(b.peerPolicy);
                expect(a.transactorRole).not.toBe(b.peerRole);
            }),
            { numRuns: 500 },
        );
    });
});

describe("regionalName", () => {
    test("a region too long for any system name still fits, hashed", () => {
        const name = regionalName("acme", "transactor", `xx-${"y".repeat(60)}-1`, IAM_ROLE_NAME_MAX_LENGTH);
        expect(name).toHaveLength(IAM_ROLE_NAME_MAX_LENGTH);
        expect(name).toMatch(/-[0-9a-f]{6}$/);
    });
});
