/**
 * index.ts reads its settings through pulumi.Config: a secret stays secret into the CloudFormation
 * parameters (and so the state), and a setting that should be a map but is not is refused.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildEnvironment } from "../../environment/build";
import { EnvironmentConfigError, parseEnvironmentConfig } from "../../environment/config";
import { redactSecretValues } from "../../environment/redaction";
import { readStackConfig } from "../../environment/stackConfig";
import { Secret } from "../../plan/recorded";
import { albCompute, albStorage, createdSystemLookups, vpcLookups } from "../fixtures/cloudStacks";
import { installMocks, resetWorld, valueOf } from "../support/harness";

const recorder = installMocks();

const cloud = {
    mode: "create",
    systemName: "acme-dev",
    create: {
        keyName: "acme-dev-datomic",
        // A secure: value anywhere in the map makes the whole key secret.
        computeParameters: { OverrideSettings: '{:token "s3cr3t"}' },
    },
};

function setConfig(config: Record<string, unknown>, secretKeys: string[] = []) {
    pulumi.runtime.setAllConfig(
        Object.fromEntries(
            Object.entries(config).map(([key, value]) => [
                key,
                typeof value === "string" ? value : JSON.stringify(value),
            ]),
        ),
        secretKeys,
    );
}

const target = {
    "aws:region": "us-east-1",
    "aws:assumeRoles": [{ roleArn: "arn:aws:iam::111111111111:role/pulumi-datomic-deployer" }],
    "aws:defaultTags": { tags: { environment: "dev" } },
};

afterEach(() => pulumi.runtime.setAllConfig({}));

test("reads the program's settings through pulumi.Config and notes which are secret", () => {
    setConfig({ ...target, "datomic:cloud": cloud, "datomic:clod": "typo" }, ["datomic:cloud"]);
    const read = readStackConfig();
    expect(read.values).toEqual({
        "aws:region": "us-east-1",
        "aws:assumeRoles": target["aws:assumeRoles"],
        "datomic:cloud": cloud,
        // Not the program's: listed so a misspelt key is reported, its value never read.
        "aws:defaultTags": null,
        "datomic:clod": null,
    });
    expect(read.secretKeys).toEqual(["datomic:cloud"]);
    expect(() => parseEnvironmentConfig(read.values, read.secretKeys, read.problems)).toThrow(
        "datomic:clod: not a setting of this program",
    );
});

test("a secret config key keeps its raw stack parameters secret in the CloudFormation stack", async () => {
    setConfig({ ...target, "datomic:cloud": cloud }, ["datomic:cloud"]);
    resetWorld(recorder, {
        fixtures: {
            lookups: [
                ...createdSystemLookups({ system: "acme-dev", exists: false }),
                ...vpcLookups({
                    system: "acme-dev",
                    vpcId: albStorage("acme-dev").outputs.VpcId,
                    vpcCidrBlock: "10.0.0.0/16",
                    routeTableIds: ["rtb-1"],
                }),
            ],
        },
        outputs: {
            "aws:cloudformation/stack:Stack": {
                "datomic-storage": { outputs: albStorage("acme-dev").outputs },
                "datomic-compute": { outputs: albCompute("acme-dev").outputs },
            },
        },
    });
    const read = readStackConfig();
    const outputs = buildEnvironment(parseEnvironmentConfig(read.values, read.secretKeys, read.problems));
    await valueOf(pulumi.output(outputs));
    await recorder.settle();
    const parameters = recorder.get("aws:cloudformation/stack:Stack", "datomic-compute").inputs.parameters;
    expect(parameters).toBeInstanceOf(Secret);
    expect((parameters as Secret).value).toMatchObject({ OverrideSettings: '{:token "s3cr3t"}' });
    // Without the secret mark, the same settings are plain.
    expect(parseEnvironmentConfig(read.values).flavor).toBe("cloud");
});

test.each([
    ["text", "adopt acme-prod", 'datomic:cloud: expected a map or list of settings (got the text "adopt acme-prod")'],
    ["a list", ["adopt", "acme-prod"], 'datomic:cloud: expected object, received array (got ["adopt","acme-prod"])'],
])("a datomic:cloud that is %s, not a map, is refused", (_label, value, problem) => {
    setConfig({ ...target, "datomic:cloud": value });
    const read = readStackConfig();
    let problems: string[] = [];
    try {
        parseEnvironmentConfig(read.values, read.secretKeys, read.problems);
    } catch (e) {
        expect(e).toBeInstanceOf(EnvironmentConfigError);
        problems = (e as EnvironmentConfigError).problems;
    }
    expect(problems).toContain(problem);
});

describe("a secret value never appears in a message", () => {
    const SECRET = "hunter2-Zq9-do-not-print";

    function problemsOf(config: Record<string, unknown>, secretKeys: string[]): string {
        setConfig({ ...target, ...config }, secretKeys);
        const read = readStackConfig();
        try {
            parseEnvironmentConfig(read.values, read.secretKeys, read.problems);
        } catch (e) {
            expect(e).toBeInstanceOf(EnvironmentConfigError);
            return (e as Error).message;
        }
        throw new Error("the configuration was accepted");
    }

    test("a secret structured key that is not JSON names the key, not its text", () => {
        const message = problemsOf({ "datomic:cloud": `token=${SECRET}` }, ["datomic:cloud"]);
        expect(message).toContain(
            "datomic:cloud: expected a map or list of settings (got text that is secret, not shown)",
        );
        expect(message).not.toContain(SECRET);
    });

    test("a bad setting inside a secret key says what is allowed, not what was given", () => {
        const secretCloud = { ...cloud, mode: SECRET, bastionIngressCidrs: SECRET };
        const message = problemsOf({ "datomic:cloud": secretCloud }, ["datomic:cloud"]);
        expect(message).toContain(
            'datomic:cloud.mode: Invalid option: expected one of "adopt"|"create" (got a secret value, not shown)',
        );
        expect(message).toContain(
            "datomic:cloud.bastionIngressCidrs: expected array, received string (got a secret value, not shown)",
        );
        expect(message).not.toContain(SECRET);
        // The same mistakes in a plain key show the value, which is what helps.
        expect(problemsOf({ "datomic:cloud": secretCloud }, [])).toContain(`(got "${SECRET}")`);
    });

    test("a message that quotes a secret setting keeps its sense, with the value masked", () => {
        expect(
            redactSecretValues(
                [`datomic:pro.region: "${SECRET}" differs from aws:region "us-east-1"`, "aws:region: fine"],
                { "datomic:pro": { region: SECRET, nested: [{ token: SECRET.slice(0, 8) }] } },
                ["datomic:pro"],
            ),
        ).toEqual(['datomic:pro.region: "[secret]" differs from aws:region "us-east-1"', "aws:region: fine"]);
    });
});
