/**
 * Plans show assets and archives by where their content comes from, paths
 * relative to the program directory (never a path of this machine), and which
 * provider a resource uses.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as path from "path";
import { toPlan } from "../../plan/render";
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
