/**
 * DatomicTransactor in the mock runtime's preview mode, where resources not yet created have no
 * outputs, and across two runs, where the second sees what changed since the first.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    AL2023_AMI_PARAMETERS,
    DatomicTransactor,
    DatomicTransactorArgs,
} from "../../../components/pro/transactor/transactor";
import { Secret, UNKNOWN } from "../../../plan/recorder";
import { installMocks, resetWorld, TestWorld, valueOf } from "../../support/harness";
import {
    AMI_PINNED,
    amiParameterLookup,
    ensureTransactorTable,
    SUBNETS,
    tableLookup,
    transactorLookups,
    VPC_ID,
} from "../../fixtures/proTransactor";

const recorder = installMocks(true);

const NAME = "acme-orders";
const TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const AMI_MAY = "ami-0aaaaaaaaaaaaaaa1";
const AMI_JUNE = "ami-0bbbbbbbbbbbbbbb2";

/** A preview with the public AL2023 x86 parameter naming `ami`. */
async function preview(
    ami: string,
    extra: Partial<DatomicTransactorArgs>,
    tables = transactorLookups(),
    world: Partial<TestWorld> = {},
): Promise<void> {
    resetWorld(recorder, {
        ...world,
        fixtures: { lookups: [amiParameterLookup(AL2023_AMI_PARAMETERS.x86_64, ami), ...tables] },
    });
    const transactor = new DatomicTransactor(NAME, {
        version: "1.0.7075",
        vpcId: VPC_ID,
        subnetIds: SUBNETS.map((subnet) => subnet.id),
        ...extra,
    });
    await valueOf(pulumi.output(transactor.contractOutputs()));
    await recorder.settle();
    expect(recorder.failures).toEqual([]);
}

function imageId(): unknown {
    return recorder.get(TEMPLATE, `${NAME}-launch-template`).inputs.imageId;
}

describe("DatomicTransactor in a preview", () => {
    test("a followed AMI parameter shows the AMI id, and a new image shows as a launch template change", async () => {
        const follow = { amiParameterName: AL2023_AMI_PARAMETERS.x86_64 };
        await preview(AMI_MAY, follow);
        const first = imageId();
        // The provider returns the parameter's `value` as a secret; the preview must not show "[secret]".
        expect(first).not.toBeInstanceOf(Secret);
        expect(first).toBe(AMI_MAY);

        // The next run, after Amazon published a new image: the preview names the new AMI.
        await preview(AMI_JUNE, follow);
        expect(imageId()).toBe(AMI_JUNE);
    });

    test("a pinned AMI ignores the parameter: a new Amazon image changes nothing", async () => {
        await preview(AMI_MAY, { amiId: AMI_PINNED });
        expect(imageId()).toBe(AMI_PINNED);
        await preview(AMI_JUNE, { amiId: AMI_PINNED });
        expect(imageId()).toBe(AMI_PINNED);
        expect(recorder.callsTo("aws:ssm/getParameter:getParameter")).toEqual([]);
    });

    test("a launch template about to change leaves the roll's trigger unknown, so the preview shows a roll; an unchanged one does not", async () => {
        const roll = () => recorder.get("command:local:Command", `${NAME}-roll`);
        // Nothing exists yet: the template's version, and so the roll, are unknown until it is created.
        await preview(AMI_MAY, { amiId: AMI_PINNED });
        expect(roll().inputs.triggers).toEqual([UNKNOWN]);

        // An update whose template is unchanged: the engine knows its version, the trigger matches the state.
        const existing = { [TEMPLATE]: { [`${NAME}-launch-template`]: "lt-0123" } };
        const outputs = { [TEMPLATE]: { "*": { latestVersion: 3 } } };
        await preview(AMI_MAY, { amiId: AMI_PINNED }, transactorLookups(), { existing, outputs });
        expect(roll().inputs.triggers).toEqual([3]);
        expect(roll().inputs.create).toContain("--launch-template-id lt-0123 --launch-template-version 3 ");

        // An update that changes the template: the provider reports the new version unknown in the preview.
        await preview(AMI_MAY, { amiId: AMI_PINNED }, transactorLookups(), {
            existing,
            outputs,
            unknownAtPreview: { [TEMPLATE]: ["latestVersion"] },
        });
        expect(roll().inputs.triggers).toEqual([UNKNOWN]);
    });

    test("a group about to be created under a fresh name leaves the launch template's group unknown until it exists", async () => {
        await preview(AMI_MAY, { amiId: AMI_PINNED });
        const group = recorder.get("aws:ec2/securityGroup:SecurityGroup", `${NAME}-sg`);
        expect(group).toMatchObject({ deleteBeforeReplace: false, inputs: { namePrefix: `${NAME}-transactor-` } });
        expect(recorder.get(TEMPLATE, `${NAME}-launch-template`).inputs.vpcSecurityGroupIds).toEqual([UNKNOWN]);
    });

    test("adopting a table previews its import with the table's own settings, run after run", async () => {
        const adopt = { amiId: AMI_PINNED, tableName: "datomic-prod", adoptTable: true };
        const table = () => recorder.get("aws:dynamodb/table:Table", `${NAME}-table`);
        await preview(AMI_MAY, adopt);
        const first = table().inputs;
        expect(table().importId).toBe("datomic-prod");
        expect(first).toMatchObject({
            billingMode: "PROVISIONED",
            readCapacity: 100,
            writeCapacity: 50,
            pointInTimeRecovery: { enabled: false },
            deletionProtectionEnabled: false,
        });
        // The next run, after someone raised the capacity in the console: the program follows, no update.
        const raised = { ...ensureTransactorTable("datomic-prod"), readCapacity: 400 };
        await preview(AMI_MAY, adopt, [tableLookup(raised), ...transactorLookups()]);
        expect(table().inputs).toEqual({ ...first, readCapacity: 400 });
    });
});
