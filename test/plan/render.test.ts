/**
 * Plans show assets and archives by where their content comes from, paths
 * relative to the program directory (never a path of this machine), and which
 * provider a resource uses.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as path from "path";
import { renderPlanText, toPlan } from "../../plan/render";
import { installMocks, resetWorld } from "../support/harness";

const recorder = installMocks(true);
const programDir = path.resolve(__dirname, "program");

function planned() {
    return toPlan({
        programDir,
        project: "datomic",
        stack: "test",
        resources: [...recorder.resources],
        calls: [],
        outputs: {},
        errors: [],
    });
}

beforeEach(() => resetWorld(recorder));

test("assets and archives are described by kind and source, with paths relative to the program directory", async () => {
    new aws.lambda.Function("handler", {
        role: "arn:aws:iam::111111111111:role/handler",
        runtime: "nodejs20.x",
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({
            "index.js": new pulumi.asset.FileAsset(path.join(programDir, "handler", "index.js")),
            "config.json": new pulumi.asset.StringAsset('{"level":"info"}'),
            lib: new pulumi.asset.FileArchive("./lib"),
            "vendor.zip": new pulumi.asset.RemoteArchive("https://example.com/vendor.zip"),
        }),
    });
    new aws.lambda.Function("jar", {
        role: "arn:aws:iam::111111111111:role/jar",
        runtime: "java21",
        handler: "acme.Handler::handleRequest",
        code: new pulumi.asset.FileArchive(path.join(programDir, "client", "target", "report.jar")),
    });
    await recorder.settle();

    const plan = planned();
    const code = (name: string) => plan.resources.find((r) => r.name === name)!.inputs.code;
    expect(code("jar")).toBe("[FileArchive client/target/report.jar]");
    expect(code("handler")).toBe(
        // The string asset by the start of its content's SHA-256, so a change to it shows in a diff.
        "[AssetArchive config.json: StringAsset sha256:" +
            `${createHash("sha256").update('{"level":"info"}').digest("hex").slice(0, 12)}, ` +
            "index.js: FileAsset handler/index.js, lib: FileArchive ./lib, " +
            "vendor.zip: RemoteArchive https://example.com/vendor.zip]",
    );
    expect(JSON.stringify(plan)).not.toContain(programDir);
});

test("absolute paths inside the program directory are made relative; others are left as they are", async () => {
    new aws.ssm.Parameter("paths", {
        type: "StringList",
        value: "x",
        description: path.join(programDir, "ion"),
        tags: { dir: programDir, other: "/etc/hosts", text: `not a path ${programDir}` },
    });
    await recorder.settle();
    expect(planned().resources[0].inputs).toMatchObject({
        description: "ion",
        tags: { dir: ".", other: "/etc/hosts" },
    });
});

test("resources of an explicit provider say which", async () => {
    const other = new aws.Provider("datomic-account", { region: "us-west-2" });
    new aws.s3.Bucket("here", {});
    new aws.s3.Bucket("there", {}, { provider: other });
    await recorder.settle();
    const options = Object.fromEntries(planned().resources.map((r) => [r.name, r.options]));
    expect(options).toMatchObject({ here: [], there: ["provider datomic-account"], "datomic-account": [] });
});

describe("the plan as text", () => {
    test("says what it cannot know: every managed resource is created, reads are >, counts are grammatical", async () => {
        new aws.s3.Bucket("only", {});
        await recorder.settle();
        const text = renderPlanText(planned());
        expect(text).toContain("no state was read,\nso every resource the program manages is shown as created (+)");
        expect(text).toContain("+ aws:s3/bucket:Bucket  only\n");
        expect(text).toContain("1 resource: 1 managed, 0 components, 0 read; 0 lookups.\n");
    });

    test("prints resources in the order the program constructed them, children under their parents", () => {
        const resource = (type: string, name: string, parent?: string) => ({
            urn: `urn:pulumi:test::datomic::${type}::${name}`,
            type,
            name,
            parent: parent && `urn:pulumi:test::datomic::${parent}`,
            custom: !type.startsWith("datomic:"),
            read: type === "pulumi:pulumi:StackReference",
            inputs: {},
            outputs: {},
            protect: false,
            retainOnDelete: false,
            dependencies: [],
            ignoreChanges: [],
            replaceOnChanges: [],
            deleteBeforeReplace: false,
        });
        const plan = toPlan({
            programDir,
            project: "orders",
            stack: "dev",
            // Registered in the order their inputs resolved; constructed in program order.
            resources: [
                resource("aws:s3/bucket:Bucket", "zebra"),
                resource("aws:iam/role:Role", "group-role", "datomic:cloud:QueryGroup::group"),
                resource("datomic:cloud:QueryGroup", "group"),
                resource("pulumi:pulumi:StackReference", "datomic"),
            ],
            constructionOrder: [
                "pulumi:pulumi:StackReference::datomic",
                "datomic:cloud:QueryGroup::group",
                "aws:iam/role:Role::group-role",
                "aws:s3/bucket:Bucket::zebra",
            ],
            calls: [],
            outputs: {},
            errors: [],
        });
        expect(plan.resources.map((r) => r.name)).toEqual(["datomic", "group", "group-role", "zebra"]);
        const text = renderPlanText(plan);
        expect(text).toContain(
            "> pulumi:pulumi:StackReference  datomic\n" +
                "+ datomic:cloud:QueryGroup  group\n" +
                "  + aws:iam/role:Role  group-role\n" +
                "+ aws:s3/bucket:Bucket  zebra\n",
        );
        expect(text).toContain("4 resources: 2 managed, 1 component, 1 read; 0 lookups.\n");
    });

    test("marks inputs and outputs whose values came from the fixtures, not those the stack's settings also have", async () => {
        new aws.ec2.SecurityGroup("clients", {
            vpcId: "vpc-0d5a7e9c1b3f40001",
            description: "clients",
            tags: { region: "us-east-1" },
        });
        await recorder.settle();
        const plan = toPlan({
            programDir,
            project: "orders",
            stack: "dev",
            resources: [...recorder.resources],
            calls: [],
            outputs: { endpoint: "http://entry-http.acme-dev.us-east-1.datomic.net:8182", name: "clients" },
            errors: [],
            fixtureValues: ["vpc-0d5a7e9c1b3f40001", "entry-http.acme-dev.us-east-1.datomic.net", "us-east-1"],
            config: { "aws:region": "us-east-1" },
        });
        expect(plan.resources[0].fromFixtures).toEqual(["vpcId"]);
        expect(plan.outputsFromFixtures).toEqual(["endpoint"]);
        const text = renderPlanText(plan);
        expect(text).toContain("      vpcId: vpc-0d5a7e9c1b3f40001  (from fixtures)\n");
        expect(text).toContain("      description: clients\n");
        expect(text).toContain("  endpoint: http://entry-http.acme-dev.us-east-1.datomic.net:8182  (from fixtures)\n");
    });
});
