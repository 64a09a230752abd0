/**
 * Lookups follow providers: a lookup under a provider for another region or
 * account answers with that provider's region and account, and fixtures can be
 * keyed by them. Run in preview mode, as datomic-plan runs programs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicCloudSystem } from "../../components/cloud/system/system";
import { LookupFixture } from "../../plan/fixtures";
import { adoptedSystemLookups, DATOMIC_SUBNETS, nlbCompute, nlbStorage } from "../fixtures/cloudStacks";
import { installMocks, resetWorld, TEST_ACCOUNT, TEST_REGION, valueOf } from "../support/harness";

const recorder = installMocks(true);
const OTHER_ACCOUNT = "222222222222";

test("getRegion and getCallerIdentity answer with the provider's region and allowed account", async () => {
    resetWorld(recorder);
    const west = new aws.Provider("west", { region: "us-west-2", allowedAccountIds: [OTHER_ACCOUNT] });
    const [defaultRegion, westRegion, defaultAccount, westAccount] = await Promise.all([
        valueOf(aws.getRegionOutput({}).region),
        valueOf(aws.getRegionOutput({}, { provider: west }).region),
        valueOf(aws.getCallerIdentityOutput({}).accountId),
        valueOf(aws.getCallerIdentityOutput({}, { provider: west }).accountId),
    ]);
    expect([defaultRegion, westRegion, defaultAccount, westAccount]).toEqual([
        TEST_REGION,
        "us-west-2",
        TEST_ACCOUNT,
        OTHER_ACCOUNT,
    ]);
});

test("a provider that assumes a role is in the role's account", async () => {
    resetWorld(recorder);
    const provider = new aws.Provider("datomic-account", {
        region: "eu-west-1",
        assumeRoles: [{ roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/deployer`, sessionName: "plan" }],
    });
    expect(await valueOf(aws.getCallerIdentityOutput({}, { provider }).accountId)).toBe(OTHER_ACCOUNT);
});

test("a system adopted under a provider for another region and account plans there, with fixtures keyed by them", async () => {
    const system = "acme-eu";
    const keyed = (lookups: LookupFixture[]) =>
        lookups.map((lookup) => ({ ...lookup, region: "eu-west-1", accountId: OTHER_ACCOUNT }));
    resetWorld(recorder, {
        fixtures: {
            lookups: keyed(adoptedSystemLookups({ system, storage: nlbStorage(system), compute: nlbCompute(system) })),
        },
    });
    const provider = new aws.Provider("eu", { region: "eu-west-1", allowedAccountIds: [OTHER_ACCOUNT] });
    const component = new DatomicCloudSystem("datomic", { systemName: system, topology: "nlb" }, { provider });
    // Every contract output, so that no lookup is still running when the next test resets the fixtures.
    const outputs = await valueOf(pulumi.output(component.contractOutputs()));
    expect(outputs).toMatchObject({
        region: "eu-west-1",
        accountId: OTHER_ACCOUNT,
        subnetIds: DATOMIC_SUBNETS.map((subnet) => subnet.id),
    });
    expect(recorder.failures).toEqual([]);
});

test("fixtures keyed by another region do not answer the default provider's lookups", async () => {
    resetWorld(recorder, {
        fixtures: {
            lookups: [
                {
                    function: "aws:ec2/getVpc:getVpc",
                    match: { id: "vpc-0abc" },
                    region: "eu-west-1",
                    result: { id: "vpc-0abc", cidrBlock: "10.1.0.0/16" },
                },
            ],
        },
    });
    await expect(aws.ec2.getVpc({ id: "vpc-0abc" })).rejects.toThrow(
        /No fixture answers aws:ec2\/getVpc:getVpc called with/,
    );
    const eu = new aws.Provider("eu-lookups", { region: "eu-west-1" });
    expect((await aws.ec2.getVpc({ id: "vpc-0abc" }, { provider: eu })).cidrBlock).toBe("10.1.0.0/16");
});
