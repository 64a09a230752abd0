import * as fs from "fs";
import * as path from "path";
import {
    datomicPolicies,
    datomicPolicyPackArgs,
    datomicStorageProtected,
    datomicTableRecovery,
    guardedPortsOpened,
    isDatomicStorageTemplate,
    launchTemplateImdsv2,
    noPublicDatomicIngress,
    s3BucketEncrypted,
    s3BucketPublicAccessBlocked,
    s3PublicAccessBlockComplete,
    TYPES,
} from "../../policy/policies";
import { dependsOn, resourceArgs, stackArgs, stackResource, validateResource, validateStack } from "./support";

describe("no-public-datomic-ingress", () => {
    const check = (type: string, props: Record<string, unknown>) =>
        validateResource(noPublicDatomicIngress, resourceArgs(type, "rule", props));

    test.each([
        [22, "0.0.0.0/0", "cidrIpv4"],
        [4334, "0.0.0.0/0", "cidrIpv4"],
        [8182, "::/0", "cidrIpv6"],
        [8184, "::/0", "cidrIpv6"],
    ])("refuses a SecurityGroupIngressRule opening TCP %i to %s", async (port, cidr, field) => {
        const messages = await check(TYPES.ingressRule, {
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            [field]: cidr,
        });
        expect(messages).toEqual([
            `rule admits the whole internet (${cidr} on TCP ${port}). Fix: list your own networks or security groups ` +
                "as the source instead (for the components: bastionIngressCidrs, peerCidrs, allowedCidrs or the " +
                "peering ingress cidrBlocks, without allowPublic*).",
        ]);
    });

    test("refuses every guarded port for a rule of all protocols, and a range that spans them", async () => {
        expect((await check(TYPES.ingressRule, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }))[0]).toContain(
            "0.0.0.0/0 on TCP 22, 4334, 8182, 8184",
        );
        expect(
            (
                await check(TYPES.ingressRule, {
                    ipProtocol: "tcp",
                    fromPort: 8000,
                    toPort: 8200,
                    cidrIpv4: "0.0.0.0/0",
                })
            )[0],
        ).toContain("0.0.0.0/0 on TCP 8182, 8184");
    });

    test("accepts private sources, other ports, UDP and referenced groups", async () => {
        for (const props of [
            { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.200.0.0/16" },
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
            { ipProtocol: "udp", fromPort: 8182, toPort: 8182, cidrIpv4: "0.0.0.0/0" },
            { ipProtocol: "tcp", fromPort: 4334, toPort: 4334, referencedSecurityGroupId: "sg-0apps" },
        ]) {
            expect(await check(TYPES.ingressRule, props)).toEqual([]);
        }
    });

    test("checks the inline ingress of a SecurityGroup", async () => {
        const messages = await check(TYPES.securityGroup, {
            ingress: [
                { protocol: "tcp", fromPort: 8182, toPort: 8182, securityGroups: ["sg-0callers"] },
                { protocol: "tcp", fromPort: 8182, toPort: 8182, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] },
                { protocol: "tcp", fromPort: 8182, toPort: 8182, ipv6CidrBlocks: ["::/0"] },
            ],
        });
        expect(messages).toHaveLength(1);
        expect(messages[0]).toContain("(0.0.0.0/0 on TCP 8182; ::/0 on TCP 8182)");
        expect(
            await check(TYPES.securityGroup, {
                ingress: [{ protocol: "tcp", fromPort: 8182, toPort: 8182, cidrBlocks: ["10.0.0.0/8"] }],
            }),
        ).toEqual([]);
    });

    test("checks SecurityGroupRule ingress and ignores its egress", async () => {
        const rule = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] };
        expect(await check(TYPES.securityGroupRule, { ...rule, type: "ingress" })).toHaveLength(1);
        expect(await check(TYPES.securityGroupRule, { ...rule, type: "egress" })).toEqual([]);
    });

    test("ports opened by a protocol and range", () => {
        expect(guardedPortsOpened("tcp", 22, 22)).toEqual([22]);
        expect(guardedPortsOpened("6", 4000, 5000)).toEqual([4334]);
        expect(guardedPortsOpened("all", 0, 0)).toEqual([22, 4334, 8182, 8184]);
        expect(guardedPortsOpened("icmp", -1, -1)).toEqual([]);
    });
});

describe("datomic-table-recovery", () => {
    const datomicTable = { hashKey: "id", deletionProtectionEnabled: true, pointInTimeRecovery: { enabled: true } };

    test("accepts a Datomic table with deletion protection and point-in-time recovery", async () => {
        const args = resourceArgs(TYPES.table, "orders-table", datomicTable, { ancestorTypes: [TYPES.transactor] });
        expect(await validateResource(datomicTableRecovery, args)).toEqual([]);
    });

    test("refuses a transactor's table without them", async () => {
        const args = resourceArgs(
            TYPES.table,
            "orders-table",
            { hashKey: "id", deletionProtectionEnabled: false },
            { ancestorTypes: [TYPES.transactor] },
        );
        expect(await validateResource(datomicTableRecovery, args)).toEqual([
            "orders-table holds Datomic storage without deletion protection. Fix: set deletionProtectionEnabled: true " +
                "(DatomicTransactor: leave protectStorage at its default, true).",
            "orders-table holds Datomic storage without point-in-time recovery. Fix: set pointInTimeRecovery: { enabled: true }.",
        ]);
    });

    test("recognises a table tagged datomic:storage, and leaves other tables alone", async () => {
        const tagged = resourceArgs(TYPES.table, "legacy", { tags: { "datomic:storage": "true" } });
        expect(await validateResource(datomicTableRecovery, tagged)).toHaveLength(2);
        const other = resourceArgs(TYPES.table, "sessions", { hashKey: "id", tags: { team: "web" } });
        expect(await validateResource(datomicTableRecovery, other)).toEqual([]);
    });
});

describe("s3-public-access-block-complete", () => {
    const complete = {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    };

    test("accepts a block with all four settings on", async () => {
        expect(
            await validateResource(s3PublicAccessBlockComplete, resourceArgs(TYPES.publicAccessBlock, "pab", complete)),
        ).toEqual([]);
    });

    test("names the settings left off", async () => {
        const args = resourceArgs(TYPES.publicAccessBlock, "pab", {
            ...complete,
            blockPublicPolicy: false,
            restrictPublicBuckets: undefined,
        });
        expect(await validateResource(s3PublicAccessBlockComplete, args)).toEqual([
            "pab leaves blockPublicPolicy, restrictPublicBuckets off. Fix: set blockPublicAcls: true, blockPublicPolicy: true, " +
                "ignorePublicAcls: true, restrictPublicBuckets: true.",
        ]);
    });

    test("refuses a public canned ACL on a bucket", async () => {
        expect(
            await validateResource(
                s3PublicAccessBlockComplete,
                resourceArgs(TYPES.bucket, "site", { acl: "public-read" }),
            ),
        ).toEqual([
            'site has the public canned ACL "public-read". Fix: remove acl (buckets are private by default) and grant ' +
                "access through a bucket policy to named principals.",
        ]);
        expect(
            await validateResource(s3PublicAccessBlockComplete, resourceArgs(TYPES.bucket, "logs", { acl: "private" })),
        ).toEqual([]);
    });
});

describe("S3 stack policies", () => {
    test("accept buckets with a public access block and encryption, linked by dependency or by name", async () => {
        const logs = stackResource(TYPES.bucket, "logs", { bucket: "acme-logs" });
        const pab = stackResource(TYPES.publicAccessBlock, "logs-pab", { bucket: "acme-logs" });
        dependsOn(pab, "bucket", logs);
        const sse = stackResource(TYPES.encryption, "logs-sse", { bucket: "acme-logs" });
        const named = stackResource(TYPES.bucketV2, "named", { bucket: "acme-named" });
        const namedPab = stackResource(TYPES.publicAccessBlock, "named-pab", { bucket: "acme-named" });
        const inlineSse = { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } };
        named.props.serverSideEncryptionConfiguration = inlineSse;
        const args = stackArgs([logs, pab, sse, named, namedPab]);
        expect(await validateStack(s3BucketPublicAccessBlocked, args)).toEqual([]);
        expect(await validateStack(s3BucketEncrypted, args)).toEqual([]);
    });

    test("name each bucket that lacks a public access block or encryption, and only those", async () => {
        const logs = stackResource(TYPES.bucket, "logs", { bucket: "acme-logs" });
        const site = stackResource(TYPES.bucket, "site", { bucket: "acme-site" });
        const sitePab = stackResource(TYPES.publicAccessBlock, "site-pab", {});
        dependsOn(sitePab, "bucket", site);
        const logsSse = stackResource(TYPES.encryption, "logs-sse", {});
        dependsOn(logsSse, "bucket", logs);
        const args = stackArgs([logs, site, sitePab, logsSse]);

        expect(await validateStack(s3BucketPublicAccessBlocked, args)).toEqual([
            {
                message:
                    "logs has no public access block. Fix: add an aws.s3.BucketPublicAccessBlock for it with " +
                    "blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true.",
                urn: logs.urn,
            },
        ]);
        expect(await validateStack(s3BucketEncrypted, args)).toEqual([
            {
                message:
                    "site declares no default encryption. Fix: add an aws.s3.BucketServerSideEncryptionConfiguration " +
                    'for it with a rule applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } (or "aws:kms" and a key).',
                urn: site.urn,
            },
        ]);
    });
});

describe("launch-template-imdsv2", () => {
    test("accepts httpTokens required, and a template with the metadata endpoint off", async () => {
        for (const metadataOptions of [
            { httpEndpoint: "enabled", httpTokens: "required" },
            { httpEndpoint: "disabled" },
        ]) {
            expect(
                await validateResource(
                    launchTemplateImdsv2,
                    resourceArgs(TYPES.launchTemplate, "lt", { metadataOptions }),
                ),
            ).toEqual([]);
        }
    });

    test("refuses optional tokens and templates without metadata options", async () => {
        expect(
            await validateResource(
                launchTemplateImdsv2,
                resourceArgs(TYPES.launchTemplate, "lt", { metadataOptions: { httpTokens: "optional" } }),
            ),
        ).toEqual([
            'lt allows IMDSv1 (metadataOptions.httpTokens is "optional"). Fix: set metadataOptions: { httpEndpoint: "enabled", ' +
                'httpTokens: "required", httpPutResponseHopLimit: 1 }.',
        ]);
        expect(
            (await validateResource(launchTemplateImdsv2, resourceArgs(TYPES.launchTemplate, "lt", {})))[0],
        ).toContain('metadataOptions.httpTokens is "unset"');
    });
});

describe("datomic-storage-protected", () => {
    const storageTemplate = "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/storage-template-9399-1217.json";

    test("recognises Datomic's storage templates, current and old, wherever they are hosted", () => {
        expect(isDatomicStorageTemplate(storageTemplate)).toBe(true);
        expect(
            isDatomicStorageTemplate(
                "https://s3.amazonaws.com/datomic-cloud-1/cft/535-8812/datomic-storage-535-8812.json",
            ),
        ).toBe(true);
        expect(
            isDatomicStorageTemplate(
                "https://acme-templates.s3.amazonaws.com/storage-template-9399-1217.json?versionId=3",
            ),
        ).toBe(true);
        expect(
            isDatomicStorageTemplate(
                "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/compute-template-9399-1217.json",
            ),
        ).toBe(false);
        expect(isDatomicStorageTemplate(undefined)).toBe(false);
    });

    test("accepts a protected storage stack and a protected Datomic table", async () => {
        const stack = resourceArgs(
            TYPES.cloudFormationStack,
            "dev-storage",
            { templateUrl: storageTemplate },
            { opts: { protect: true } },
        );
        const table = resourceArgs(
            TYPES.table,
            "orders-table",
            {},
            { opts: { protect: true }, ancestorTypes: [TYPES.transactor] },
        );
        expect(await validateResource(datomicStorageProtected, stack)).toEqual([]);
        expect(await validateResource(datomicStorageProtected, table)).toEqual([]);
    });

    test("refuses them unprotected, and leaves compute stacks and other tables alone", async () => {
        const stack = resourceArgs(TYPES.cloudFormationStack, "dev-storage", { templateUrl: storageTemplate });
        expect(await validateResource(datomicStorageProtected, stack)).toEqual([
            "dev-storage is a Datomic storage stack without protect. Fix: give it the resource option protect: true " +
                "(DatomicCloudSystem create.protectStorage and DatomicTransactor protectStorage default to true; a throwaway " +
                "stack relaxes this policy in its policy pack config instead).",
        ]);
        const table = resourceArgs(TYPES.table, "orders-table", {}, { ancestorTypes: [TYPES.transactor] });
        expect((await validateResource(datomicStorageProtected, table))[0]).toMatch(
            /^orders-table is a Datomic storage table without protect/,
        );
        const compute = resourceArgs(TYPES.cloudFormationStack, "dev-compute", {
            templateUrl: storageTemplate.replace("storage", "compute"),
        });
        expect(await validateResource(datomicStorageProtected, compute)).toEqual([]);
        expect(await validateResource(datomicStorageProtected, resourceArgs(TYPES.table, "sessions", {}))).toEqual([]);
    });
});

describe("the pack", () => {
    test("makes every policy mandatory, each with a unique name", () => {
        expect(datomicPolicyPackArgs.enforcementLevel).toBe("mandatory");
        expect(datomicPolicies.every((policy) => policy.enforcementLevel === "mandatory")).toBe(true);
        expect(new Set(datomicPolicies.map((policy) => policy.name)).size).toBe(datomicPolicies.length);
    });

    test("policy/package.json has the root's version and the root's ranges of its dependencies", () => {
        const read = (file: string) =>
            JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8")) as {
                version: string;
                dependencies: Record<string, string>;
                devDependencies: Record<string, string>;
            };
        const pack = read("policy/package.json");
        const root = read("package.json");
        expect(pack.version).toBe(root.version);
        expect(pack.dependencies).toEqual({
            "@pulumi/policy": root.devDependencies["@pulumi/policy"],
            "@pulumi/pulumi": root.dependencies["@pulumi/pulumi"],
        });
    });

    test("index.ts serves exactly these policies", () => {
        jest.isolateModules(() => {
            const constructed: unknown[][] = [];
            // The copy index.ts loads: policy/node_modules' after `npm ci --prefix policy`, else the root's.
            const policyModule = require.resolve("@pulumi/policy", {
                paths: [path.join(__dirname, "..", "..", "policy")],
            });
            jest.doMock(policyModule, () => ({
                PolicyPack: jest.fn((...args: unknown[]) => constructed.push(args)),
            }));
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            require("../../policy/index");
            expect(constructed).toHaveLength(1);
            const [name, args] = constructed[0] as [string, typeof datomicPolicyPackArgs];
            expect(name).toBe("pulumi-datomic-guardrails");
            expect(args.enforcementLevel).toBe("mandatory");
            expect(args.policies.map((policy) => policy.name)).toEqual(datomicPolicies.map((policy) => policy.name));
        });
    });
});
