import { EnvironmentConfig, EnvironmentConfigError, parseEnvironmentConfig } from "../../environment/config";

const base = {
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": ["111111111111"],
    "aws:assumeRoles": [{ roleArn: "arn:aws:iam::111111111111:role/pulumi-datomic-deployer" }],
    "datomic:flavor": "cloud",
    "datomic:cloud": { mode: "adopt", systemName: "acme-prod", topology: "nlb" },
};

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parseEnvironmentConfig(values);
    } catch (e) {
        expect(e).toBeInstanceOf(EnvironmentConfigError);
        return (e as EnvironmentConfigError).problems;
    }
    throw new Error("expected the config to be refused");
}

describe("parseEnvironmentConfig", () => {
    test("turns an adopt config into typed system arguments", () => {
        expect(parseEnvironmentConfig(base)).toEqual({
            flavor: "cloud",
            region: "us-east-1",
            accountId: "111111111111",
            deployRoleArn: "arn:aws:iam::111111111111:role/pulumi-datomic-deployer",
            cloud: { systemName: "acme-prod", topology: "nlb" },
        });
    });

    test('maps a create config, with "Default" capacities left to the template', () => {
        const config = parseEnvironmentConfig({
            ...base,
            "datomic:cloud": {
                mode: "create",
                systemName: "acme-dev",
                create: { instanceType: "t3.large", desiredCapacity: 2, minSize: "Default", maxSize: 3 },
            },
        });
        expect(cloudArgs(config).create).toEqual({
            instanceType: "t3.large",
            desiredCapacity: 2,
            minSize: undefined,
            maxSize: 3,
            minInstancesInService: undefined,
        });
    });

    test("a create mode without a create block uses the defaults", () => {
        const config = parseEnvironmentConfig({ ...base, "datomic:cloud": { mode: "create", systemName: "acme-dev" } });
        expect(cloudArgs(config).create).toBeDefined();
    });

    test("names the config key and the bad value in every problem, all at once", () => {
        expect(
            problemsOf({
                "aws:region": "US East",
                "aws:allowedAccountIds": ["111111111111"],
                "aws:assumeRoles": [{ roleArn: "arn:aws:iam::999999999999:role/deployer" }],
                "datomic:flavor": "cloud",
                "datomic:systemName": "typo",
                "datomic:cloud": {
                    mode: "clone",
                    systemName: "acme",
                    bastionIngressCidrs: "10.0.0.0/8",
                    create: { desiredCapacity: -1, instanceTyp: "t3.large" },
                },
            }),
        ).toEqual([
            'aws:region: expected an AWS region such as us-east-1 (got "US East")',
            "aws:assumeRoles: the role arn:aws:iam::999999999999:role/deployer is in account 999999999999, which aws:allowedAccountIds (111111111111) does not allow",
            "datomic:systemName: not a setting of this program (it reads datomic:flavor, datomic:cloud, datomic:pro, datomic:monitoring)",
            'datomic:cloud.mode: Invalid option: expected one of "adopt"|"create" (got "clone")',
            "datomic:cloud.create.desiredCapacity: Too small: expected number to be >=0 (got -1)",
            'datomic:cloud.create: Unrecognized key: "instanceTyp"',
            'datomic:cloud.bastionIngressCidrs: expected array, received string (got "10.0.0.0/8")',
        ]);
    });

    test("requires the region and a deploy role", () => {
        expect(problemsOf({ "datomic:cloud": base["datomic:cloud"] })).toEqual([
            "aws:region: required: the region the stack deploys to",
            "aws:assumeRoles: expected array, received undefined",
        ]);
        expect(problemsOf({ ...base, "aws:assumeRoles": [] })).toEqual([
            "aws:assumeRoles: expected at least one role: each stack deploys into its own account through a role (got [])",
        ]);
    });

    test("refuses a flavor it does not know and a create block in adopt mode", () => {
        expect(problemsOf({ ...base, "datomic:flavor": "onprem" })[0]).toMatch(
            /^datomic:flavor: .*"cloud".* \(got "onprem"\)$/,
        );
        expect(problemsOf({ ...base, "datomic:cloud": { ...base["datomic:cloud"], create: {} } })).toEqual([
            'datomic:cloud.create: only applies when mode is "create" (mode is "adopt")',
        ]);
        expect(problemsOf({ ...base, "datomic:cloud": undefined })).toEqual([
            'datomic:cloud: required when datomic:flavor is "cloud"',
        ]);
    });
});

function cloudArgs(config: EnvironmentConfig) {
    if (config.flavor !== "cloud") {
        throw new Error(`expected a cloud environment, got ${config.flavor}`);
    }
    return config.cloud;
}
