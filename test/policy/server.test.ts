/**
 * The pack as Pulumi runs it: policy/index.ts started in policy/ (as the CLI's policy analyzer does),
 * serving Pulumi's analyzer protocol over gRPC; the test asks it what `pulumi preview --policy-pack policy`
 * would ask.
 */
import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/* eslint-disable @typescript-eslint/no-require-imports -- the generated gRPC code and its runtime, as @pulumi/pulumi loads them */
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [PULUMI_DIR] })) as typeof import("@grpc/grpc-js");
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [PULUMI_DIR] }));
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Empty } = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [PULUMI_DIR] }));
/* eslint-enable @typescript-eslint/no-require-imports */

interface Diagnostic {
    getPolicyname(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
    getUrn(): string;
}

let pack: ChildProcessWithoutNullStreams;
let client: {
    getAnalyzerInfo(request: unknown, callback: (error: Error | null, info: unknown) => void): void;
    analyze(request: unknown, callback: (error: Error | null, response: unknown) => void): void;
    analyzeStack(request: unknown, callback: (error: Error | null, response: unknown) => void): void;
    close(): void;
};

function call<T>(method: "getAnalyzerInfo" | "analyze" | "analyzeStack", request: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
        client[method](request, (error, response) => (error ? reject(error) : resolve(response as T))),
    );
}

function urn(type: string, name: string): string {
    return `urn:pulumi:dev::datomic::${type}::${name}`;
}

function options(protect = false) {
    return new analyzer.AnalyzerResourceOptions().setProtect(protect);
}

beforeAll(async () => {
    pack = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
        cwd: path.join(ROOT, "policy"),
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "policy", "tsconfig.json") },
    });
    // The pack prints the port it listens on, as the Pulumi CLI expects.
    const port = await new Promise<string>((resolve, reject) => {
        let output = "";
        pack.stdout.on("data", (chunk: Buffer) => {
            output += chunk.toString();
            const match = /^(\d+)\s/m.exec(output);
            if (match) {
                resolve(match[1]);
            }
        });
        pack.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        pack.on("exit", (code) => reject(new Error(`the policy pack exited with ${code}: ${output}`)));
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
    client?.close();
    pack?.kill();
});

test("announces the pack and its mandatory policies", async () => {
    const info = await call<{
        getName(): string;
        getPoliciesList(): { getName(): string; getEnforcementlevel(): number }[];
    }>("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("pulumi-datomic-guardrails");
    const policies = info.getPoliciesList();
    expect(policies.map((policy) => policy.getName())).toEqual([
        "no-public-datomic-ingress",
        "datomic-table-recovery",
        "s3-public-access-block-complete",
        "s3-bucket-public-access-blocked",
        "s3-bucket-encrypted",
        "launch-template-imdsv2",
        "datomic-storage-protected",
    ]);
    expect(new Set(policies.map((policy) => policy.getEnforcementlevel()))).toEqual(
        new Set([analyzer.EnforcementLevel.MANDATORY]),
    );
});

test("reports a public SSH rule as a mandatory violation with its fix", async () => {
    const type = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    const request = new analyzer.AnalyzeRequest()
        .setType(type)
        .setName("bastion-ssh")
        .setUrn(urn(type, "bastion-ssh"))
        .setOptions(options())
        .setProperties(Struct.fromJavaScript({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }));
    const response = await call<{ getDiagnosticsList(): Diagnostic[] }>("analyze", request);
    expect(
        response
            .getDiagnosticsList()
            .map((diagnostic) => [diagnostic.getPolicyname(), diagnostic.getEnforcementlevel()]),
    ).toEqual([["no-public-datomic-ingress", analyzer.EnforcementLevel.MANDATORY]]);
    expect(response.getDiagnosticsList()[0].getMessage()).toContain(
        "bastion-ssh admits the whole internet (0.0.0.0/0 on TCP 22). Fix: list your own networks",
    );
});

test("reports nothing for a compliant resource", async () => {
    const type = "aws:ec2/launchTemplate:LaunchTemplate";
    const request = new analyzer.AnalyzeRequest()
        .setType(type)
        .setName("transactor")
        .setUrn(urn(type, "transactor"))
        .setOptions(options())
        .setProperties(Struct.fromJavaScript({ metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" } }));
    const response = await call<{ getDiagnosticsList(): Diagnostic[] }>("analyze", request);
    expect(response.getDiagnosticsList()).toEqual([]);
});

test("reports, across the stack, the bucket without a public access block", async () => {
    const bucketType = "aws:s3/bucket:Bucket";
    const blockType = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    const resource = (type: string, name: string, props: Record<string, unknown>, dependencies: string[] = []) =>
        new analyzer.AnalyzerResource()
            .setType(type)
            .setName(name)
            .setUrn(urn(type, name))
            .setOptions(options())
            .setProperties(Struct.fromJavaScript(props))
            .setDependenciesList(dependencies);
    const request = new analyzer.AnalyzeStackRequest().setResourcesList([
        resource(bucketType, "logs", { bucket: "acme-logs", serverSideEncryptionConfiguration: { rule: {} } }),
        resource(bucketType, "site", { bucket: "acme-site", serverSideEncryptionConfiguration: { rule: {} } }),
        resource(blockType, "site-pab", { bucket: "acme-site" }, [urn(bucketType, "site")]),
    ]);
    const response = await call<{ getDiagnosticsList(): Diagnostic[] }>("analyzeStack", request);
    expect(
        response.getDiagnosticsList().map((diagnostic) => [diagnostic.getPolicyname(), diagnostic.getUrn()]),
    ).toEqual([["s3-bucket-public-access-blocked", urn(bucketType, "logs")]]);
});
