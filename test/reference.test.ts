import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_LIST_OUTPUTS, CONTRACT_OUTPUT_NAMES } from "../components/contract";
import { DatomicSystemReference, DatomicSystemReferenceArgs } from "../components/reference";
import { installMocks, resetWorld, valueOf } from "./support/harness";
import { captureRejections } from "./support/rejections";

const recorder = installMocks();

const devOutputs = {
    flavor: "cloud",
    region: "us-east-1",
    accountId: "111111111111",
    systemName: "acme-dev",
    topology: "alb",
    vpcId: "vpc-0f1e2d3c4b5a69788",
    vpcCidrBlock: "10.40.0.0/16",
    subnetCidrBlocks: ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"],
    routeTableIds: ["rtb-01", "rtb-02"],
    nodeSecurityGroupId: "sg-0nodes",
    privateHostedZoneName: "acme-dev.us-east-1.datomic.net",
    clientEndpoint: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
};

beforeEach(() => resetWorld(recorder, { fixtures: { stackReferences: { "acme/datomic/dev": devOutputs } } }));

describe("DatomicSystemReference", () => {
    test("reads the named stack and types each contract output", async () => {
        const ref = new DatomicSystemReference("datomic", { stack: "acme/datomic/dev" });
        const vpcId: pulumi.Output<string> = ref.vpcId;
        const routeTables: pulumi.Output<string[]> = ref.routeTableIds;
        expect(await valueOf(vpcId)).toBe("vpc-0f1e2d3c4b5a69788");
        expect(await valueOf(routeTables)).toEqual(["rtb-01", "rtb-02"]);
        expect(await valueOf(ref.subnetCidrBlocks)).toEqual(devOutputs.subnetCidrBlocks);
        expect(await valueOf(ref.clientEndpoint)).toBe(devOutputs.clientEndpoint);
        expect(await valueOf(ref.topology)).toBe("alb");

        await recorder.settle();
        const [stackReference] = recorder.ofType("pulumi:pulumi:StackReference");
        expect(stackReference.name).toBe("datomic");
        expect(stackReference.read).toBe(true);
        expect(stackReference.inputs.name).toBe("acme/datomic/dev");
    });

    test("has a field for every contract output, read from the output of that name", async () => {
        const contractValue = (name: string) =>
            CONTRACT_LIST_OUTPUTS.has(name as never) ? [`value of ${name}`] : `value of ${name}`;
        const everything = Object.fromEntries(CONTRACT_OUTPUT_NAMES.map((name) => [name, contractValue(name)]));
        resetWorld(recorder, { fixtures: { stackReferences: { "acme/datomic/full": everything } } });
        const ref = new DatomicSystemReference("fields", { stack: "acme/datomic/full" }) as unknown as Record<
            string,
            pulumi.Output<unknown>
        >;
        for (const name of CONTRACT_OUTPUT_NAMES) {
            expect(await valueOf(ref[name])).toEqual(contractValue(name));
        }
    });

    test("an output nothing uses is never read, so its absence does no harm", async () => {
        const ref = new DatomicSystemReference("unused", { stack: "acme/datomic/dev" });
        expect(await valueOf(ref.vpcId)).toBe(devOutputs.vpcId);
        await recorder.settle();
    });

    test("topologyValue gives the topology as a plain value for an async entry point, at preview", async () => {
        const ref = new DatomicSystemReference("plain", { stack: "acme/datomic/dev" });
        await expect(ref.topologyValue()).resolves.toBe("alb");
    });

    test("topologyValue of an environment without a Datomic Cloud topology names the stack and the value", async () => {
        resetWorld(recorder, {
            fixtures: { stackReferences: { "acme/datomic/pro": { ...devOutputs, topology: "transactor" } } },
        });
        const ref = new DatomicSystemReference("pro", { stack: "acme/datomic/pro" });
        await expect(ref.topologyValue()).rejects.toThrow(
            `Output 'topology' of stack 'acme/datomic/pro' is "transactor", not "nlb" or "alb": a Datomic Cloud environment exports its topology`,
        );
    });

    test("a missing output fails naming the output and the stack", async () => {
        // The failure also fails the program (as an unhandled rejection), as it would under `pulumi up`.
        const programErrors = await captureRejections(async () => {
            const ref = new DatomicSystemReference("missing", { stack: "acme/datomic/dev" });
            await expect(valueOf(ref.endpointServiceName)).rejects.toThrow(
                "Required output 'endpointServiceName' does not exist on stack 'acme/datomic/dev'.",
            );
            await expect(valueOf(ref.peerRoleArn)).rejects.toThrow(
                "Required output 'peerRoleArn' does not exist on stack 'acme/datomic/dev'.",
            );
        });
        expect(new Set(programErrors.map((e) => e.message))).toEqual(
            new Set([
                "Required output 'endpointServiceName' does not exist on stack 'acme/datomic/dev'.",
                "Required output 'peerRoleArn' does not exist on stack 'acme/datomic/dev'.",
            ]),
        );
    });

    test.each<[string, string, unknown, string]>([
        ["a string where a list belongs", "routeTableIds", "rtb-0abc", 'is "rtb-0abc", not a list of strings'],
        ["an empty entry in a list", "subnetCidrBlocks", ["10.0.0.0/20", ""], 'has "" at [1], not a non-empty string'],
        ["a list where a string belongs", "vpcId", ["vpc-1"], 'is ["vpc-1"], not a non-empty string'],
        ["an empty string", "systemName", "", 'is "", not a non-empty string'],
        ["a number", "accountId", 111111111111, "is 111111111111, not a non-empty string"],
    ])("%s fails when read, naming the output and the stack", async (_label, name, value, problem) => {
        resetWorld(recorder, {
            fixtures: { stackReferences: { "acme/datomic/bad": { ...devOutputs, [name]: value } } },
        });
        const message = `Output '${name}' of stack 'acme/datomic/bad' ${problem}.`;
        const programErrors = await captureRejections(async () => {
            const ref = new DatomicSystemReference("bad", { stack: "acme/datomic/bad" }) as unknown as Record<
                string,
                pulumi.Output<unknown>
            >;
            await expect(valueOf(ref[name])).rejects.toThrow(message);
        });
        expect(programErrors.map((e) => e.message)).toContain(message);
    });

    test("an empty stack name is refused at once", () => {
        expect(() => new DatomicSystemReference("empty", { stack: "" })).toThrow("stack: is empty");
    });

    test("a missing stack is refused at once, not read as the stack named after the resource", () => {
        const args = {} as unknown as DatomicSystemReferenceArgs;
        expect(() => new DatomicSystemReference("datomic", args)).toThrow(
            'stack: is required; give the environment stack as "<organization>/<project>/<stack>", such as "acme/datomic/dev"',
        );
        expect(
            () => new DatomicSystemReference("datomic", { stack: null } as unknown as DatomicSystemReferenceArgs),
        ).toThrow("stack: is required");
    });

    test("clientEnvironment gives a Lambda the in-VPC endpoint and the system's coordinates", async () => {
        const ref = new DatomicSystemReference("env", { stack: "acme/datomic/dev" });
        const environment = ref.clientEnvironment("orders");
        expect(await valueOf(pulumi.output(environment))).toEqual({
            DATOMIC_SYSTEM_NAME: "acme-dev",
            DATOMIC_REGION: "us-east-1",
            DATOMIC_DATABASE_NAME: "orders",
            DATOMIC_ENDPOINT: "http://entry-http.acme-dev.us-east-1.datomic.net:8182",
        });
    });
});
