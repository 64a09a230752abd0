/**
 * DatomicCloudSystem in create mode under a preview, as the engine runs one: a first create (ids unknown)
 * and an update of stacks the state records (ids known), where the component reads the deployed stacks.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicCloudSystem, DatomicCloudSystemArgs } from "../../../components/cloud/system/system";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { albCompute, albStorage, createdSystemLookups, vpcLookups } from "../../fixtures/cloudStacks";
import { captureRejections } from "../../support/rejections";
import { LookupFixture } from "../../../plan/fixtures";

const recorder = installMocks(true);

const STACK = "aws:cloudformation/stack:Stack";
const GET_STACK = "aws:cloudformation/getStack:getStack";
const system = "acme-dev";
const ids = {
    storage: "arn:aws:cloudformation:us-east-1:111111111111:stack/acme-dev/1",
    compute: "arn:aws:cloudformation:us-east-1:111111111111:stack/acme-dev-compute/2",
};
const storage = albStorage(system);
const compute = albCompute(system);

const args: DatomicCloudSystemArgs = {
    systemName: system,
    create: { keyName: "acme-dev-nodes", applicationName: "acme-dev", maxSize: 2, minInstancesInService: 1 },
};

/** The deployed stacks, read by id at preview. */
function deployed(computeParameters: Record<string, string> = { ...compute.parameters, ApplicationName: "acme-dev" }) {
    const byId = (id: string, name: string, stack: { outputs: Record<string, string> }, parameters: object) =>
        ({
            function: GET_STACK,
            match: { name: id },
            result: { id, name, outputs: stack.outputs, parameters },
        }) as LookupFixture;
    return [
        byId(ids.storage, system, storage, storage.parameters),
        byId(ids.compute, `${system}-compute`, compute, computeParameters),
    ];
}

function world(options: { exists: boolean; lookups?: LookupFixture[]; failing?: string[] }) {
    resetWorld(recorder, {
        fixtures: {
            lookups: [
                ...createdSystemLookups({ system, exists: options.exists }),
                ...(options.lookups ?? []),
                ...vpcLookups({
                    system,
                    vpcId: storage.outputs.VpcId,
                    vpcCidrBlock: "10.0.0.0/16",
                    routeTableIds: ["rtb-0dev"],
                }),
            ],
        },
        existing: options.exists ? { [STACK]: { "dev-storage": ids.storage, "dev-compute": ids.compute } } : {},
        // A stack with a pending change reports its outputs unknown at preview.
        unknownAtPreview: { [STACK]: ["outputs"] },
        failingLookups: (options.failing ?? []).map((id) => ({
            function: GET_STACK,
            match: { name: id },
            // The provider's answer for a stack in DELETE_COMPLETE (findStackByName, SingularDataSourceFindError).
            message:
                "invocation of aws:cloudformation/getStack:getStack returned an error: no matching CloudFormation Stack found",
        })),
    });
}

describe("DatomicCloudSystem previews", () => {
    test("a first create: Restart false from the absent table, outputs unknown, nothing read by id", async () => {
        world({ exists: false });
        const component = new DatomicCloudSystem("dev", args);
        const vpcId = await valueOf(component.vpcId);
        await recorder.settle();
        expect(vpcId).toBeUndefined();
        expect(recorder.get(STACK, "dev-storage").inputs.parameters).toEqual({ Restart: "false" });
        expect(recorder.callsTo(GET_STACK)).toEqual([]);
    });

    test("an update: Restart true from the table, outputs read from the deployed stacks", async () => {
        world({ exists: true, lookups: deployed() });
        const component = new DatomicCloudSystem("dev", args);
        const out = await valueOf(pulumi.output(component.contractOutputs()));
        await recorder.settle();
        expect(recorder.get(STACK, "dev-storage").inputs.parameters).toEqual({ Restart: "true" });
        expect(out.nodeSecurityGroupId).toBe(compute.outputs.NodeSecurityGroup);
        expect(out.release).toBe("1217-9399");
        expect(recorder.get(STACK, "dev-compute").inputs.parameters).toMatchObject({ ClientAPI: "true", Ions: "true" });
    });

    test("a changed applicationName is refused at preview, naming the argument and the deployed value", async () => {
        world({ exists: true, lookups: deployed() });
        const errors = await captureRejections(async () => {
            new DatomicCloudSystem("dev", { ...args, create: { ...args.create!, applicationName: "acme" } });
            await recorder.settle();
        });
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining(
                'create.applicationName: "acme", but the deployed primary compute stack "acme-dev-compute" has ApplicationName "acme-dev", and Datomic does not allow changing it after the stack is created. Set create.applicationName back to "acme-dev"',
            ),
        );
    });

    test("an applicationName left unset is not refused: the stack keeps the template's default it was created with", async () => {
        world({ exists: true, lookups: deployed() });
        const { applicationName: _unset, ...create } = args.create!;
        const errors = await captureRejections(async () => {
            new DatomicCloudSystem("dev", { ...args, create });
            await recorder.settle();
        });
        expect(errors).toEqual([]);
    });

    test("a compute stack whose create failed and was deleted: the preview says exactly what to run", async () => {
        world({ exists: true, lookups: deployed(), failing: [ids.compute] });
        const errors = await captureRejections(async () => {
            new DatomicCloudSystem("dev", args);
            await recorder.settle();
        });
        const urn = "urn:pulumi:test::datomic::datomic:cloud:System$aws:cloudformation/stack:Stack::dev-compute";
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining(
                `The Datomic primary compute stack "acme-dev-compute" recorded in this Pulumi stack's state (${ids.compute}) no longer exists: CloudFormation deleted it, as a failed create does with onFailure DELETE. Drop it from the state and create it again: run \`pulumi refresh --target '${urn}' --yes\`, then \`pulumi up\``,
            ),
        );
    });

    test("any other failure of the lookup is not mistaken for a deleted stack", async () => {
        resetWorld(recorder, {
            fixtures: { lookups: [...createdSystemLookups({ system, exists: true }), ...deployed()] },
            existing: { [STACK]: { "dev-storage": ids.storage, "dev-compute": ids.compute } },
            failingLookups: [
                { function: GET_STACK, match: { name: ids.compute }, message: "Throttling: Rate exceeded" },
            ],
        });
        const errors = await captureRejections(async () => {
            new DatomicCloudSystem("dev", args);
            await recorder.settle();
        });
        expect(errors.some((error) => error.message.includes("Rate exceeded"))).toBe(true);
        expect(errors.some((error) => error.message.includes("no longer exists"))).toBe(false);
    });

    test("an update adding service endpoints: their group admits HTTPS from the deployed nodes group", async () => {
        world({ exists: true, lookups: deployed() });
        new DatomicCloudSystem("dev", { ...args, awsServiceEndpoints: ["sqs"] });
        await recorder.settle();
        expect(
            recorder.get("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "dev-service-endpoints-https")
                .inputs,
        ).toMatchObject({
            referencedSecurityGroupId: compute.outputs.NodeSecurityGroup,
            fromPort: 443,
            toPort: 443,
        });
        expect(recorder.get("aws:ec2/vpcEndpoint:VpcEndpoint", "dev-sqs-endpoint").inputs).toMatchObject({
            vpcId: storage.outputs.VpcId,
            privateDnsEnabled: true,
        });
    });

    test("solo and MinInstancesInService at MaxSize fail the preview before any stack", () => {
        world({ exists: false });
        expect(() => new DatomicCloudSystem("solo", { ...args, topology: "solo" })).toThrow(
            /^topology: "solo" systems are not created/,
        );
        expect(
            () => new DatomicCloudSystem("mis", { ...args, create: { ...args.create!, minInstancesInService: 2 } }),
        ).toThrow(/^create.minInstancesInService: 2 is not less than create.maxSize 2/);
        expect(recorder.ofType(STACK)).toEqual([]);
    });
});
