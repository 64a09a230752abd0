/**
 * DatomicTransactor in the mock runtime's preview mode, where resources not yet created have no
 * outputs, and across two runs, where the second sees what changed since the first.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    AL2023_AMI_PARAMETERS,
    DatomicTransactor,
    DatomicTransactorArgs,
} from "../../../components/pro/transactor/transactor";
import { Secret, UNKNOWN } from "../../../plan/recorded";
import { installMocks, resetWorld, TestWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";
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
const GROUP = "aws:autoscaling/group:Group";
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

const ROLE = "aws:iam/role:Role";
const PROFILE = "aws:iam/instanceProfile:InstanceProfile";
const POLICY = "aws:iam/policy:Policy";

/** The transactor properties embedded in the launch template's user data (undefined while unknown). */
function embeddedProperties(): string | undefined {
    const userData = recorder.get(TEMPLATE, `${NAME}-launch-template`).inputs.userData;
    if (typeof userData !== "string") {
        return undefined;
    }
    const script = Buffer.from(userData, "base64").toString();
    return /cat <<'DATOMIC_PROPERTIES'\n([\s\S]*?)\nDATOMIC_PROPERTIES\n/.exec(script)?.[1];
}

describe("vpcId and subnetIds known only at deployment", () => {
    test("Outputs still unknown at preview (a VPC and subnets created in the same program) pass, unknown", async () => {
        resetWorld(recorder, { fixtures: { lookups: transactorLookups() } });
        const vpc = new aws.ec2.Vpc("new-vpc", { cidrBlock: "10.40.0.0/16" });
        const subnets = ["a", "b"].map(
            (zone, index) =>
                new aws.ec2.Subnet(`new-subnet-${zone}`, { vpcId: vpc.id, cidrBlock: `10.40.${index}.0/24` }),
        );
        new DatomicTransactor(NAME, {
            version: "1.0.7075",
            amiId: AMI_PINNED,
            vpcId: vpc.id,
            vpcCidrBlock: "10.40.0.0/16",
            subnetIds: subnets.map((subnet) => subnet.id),
        });
        await recorder.settle();
        expect(recorder.failures).toEqual([]);
        expect(recorder.get("aws:ec2/securityGroup:SecurityGroup", `${NAME}-sg`).inputs.vpcId).toBe(UNKNOWN);
    });

    test.each<[string, Partial<DatomicTransactorArgs>, string, string]>([
        [
            "an empty vpcId",
            { vpcId: pulumi.output("") },
            'vpcId: "" is empty; give the id of the VPC',
            "aws:ec2/securityGroup:SecurityGroup",
        ],
        ["no subnets", { subnetIds: pulumi.output([]) }, "subnetIds: is empty; give at least one subnet", GROUP],
        [
            "a blank subnet among Outputs",
            { subnetIds: [pulumi.output(SUBNETS[0].id), pulumi.output("")] },
            'subnetIds: contains the empty id ""',
            GROUP,
        ],
    ])(
        "%s given as an Output known at preview fails the preview, naming the argument, before a resource takes it",
        async (_label, extra, message, consumer) => {
            resetWorld(recorder, { fixtures: { lookups: transactorLookups() } });
            const errors = await captureRejections(async () => {
                new DatomicTransactor(NAME, {
                    version: "1.0.7075",
                    amiId: AMI_PINNED,
                    vpcId: VPC_ID,
                    subnetIds: SUBNETS.map((subnet) => subnet.id),
                    ...extra,
                });
                await recorder.settle();
            });
            const messages = [...errors, ...recorder.failures].map((error) => error.message).join("\n");
            expect(messages).toContain(message);
            expect(recorder.ofType(consumer)).toEqual([]);
        },
    );
});

describe("bad plain arguments", () => {
    test("fail the preview in one error that names each of them, before anything is registered", async () => {
        resetWorld(recorder, { fixtures: { lookups: transactorLookups() } });
        expect(
            () =>
                new DatomicTransactor(NAME, {
                    version: "1.0.7075",
                    amiId: AMI_PINNED,
                    vpcId: "",
                    subnetIds: [],
                    instanceType: "xlarge",
                }),
        ).toThrow(
            [
                'vpcId: "" is empty; give the id of the VPC the transactors run in (vpc-...)',
                "subnetIds: is empty; give at least one subnet (two in different availability zones for an active transactor and a standby)",
                'instanceType: "xlarge" is not an EC2 instance type (family.size, such as t3.large or i3.xlarge)',
            ].join("\n"),
        );
        await recorder.settle();
        expect(recorder.resources.filter((resource) => resource.custom)).toEqual([]);
    });
});

describe("IAM names that let the same system run in a second region", () => {
    test("a new system's roles, profiles and peer policy carry the region, and the properties name those roles", async () => {
        await preview(AMI_MAY, { amiId: AMI_PINNED });
        expect(recorder.get(ROLE, `${NAME}-transactor-role`).inputs.name).toBe(`${NAME}-transactor-us-east-1`);
        expect(recorder.get(ROLE, `${NAME}-peer-role`).inputs.name).toBe(`${NAME}-peer-us-east-1`);
        expect(recorder.get(PROFILE, `${NAME}-transactor-profile`).inputs.name).toBe(`${NAME}-transactor-us-east-1`);
        expect(recorder.get(POLICY, `${NAME}-peer-policy`).inputs.name).toBe(`${NAME}-datomic-peer-us-east-1`);
        const properties = embeddedProperties()!;
        expect(properties).toContain(`\naws-transactor-role=${NAME}-transactor-us-east-1\n`);
        expect(properties).toContain(`\naws-peer-role=${NAME}-peer-us-east-1\n`);
    });

    test("defaulted names are kept by existing resources (ignoreChanges); given names are applied as written", async () => {
        await preview(AMI_MAY, { amiId: AMI_PINNED, peerRoleName: "acme-apps-peer" });
        expect(recorder.get(ROLE, `${NAME}-transactor-role`).ignoreChanges).toEqual(["name"]);
        expect(recorder.get(POLICY, `${NAME}-peer-policy`).ignoreChanges).toEqual(["name"]);
        expect(recorder.get(ROLE, `${NAME}-peer-role`).ignoreChanges).toEqual([]);
        expect(recorder.get(ROLE, `${NAME}-peer-role`).inputs.name).toBe("acme-apps-peer");
    });

    test("an update of a stack made under the region-less names keeps them, and the properties stay in step", async () => {
        // The engine answers an update of a role whose name it ignores with the name in the state.
        resetWorld(recorder, {
            fixtures: { lookups: transactorLookups() },
            existing: {
                [ROLE]: { [`${NAME}-transactor-role`]: `${NAME}-transactor`, [`${NAME}-peer-role`]: `${NAME}-peer` },
            },
            outputs: {
                [ROLE]: {
                    [`${NAME}-transactor-role`]: { name: `${NAME}-transactor` },
                    [`${NAME}-peer-role`]: { name: `${NAME}-peer` },
                },
            },
        });
        const transactor = new DatomicTransactor(NAME, {
            version: "1.0.7075",
            amiId: AMI_PINNED,
            vpcId: VPC_ID,
            subnetIds: SUBNETS.map((subnet) => subnet.id),
        });
        await valueOf(pulumi.output(transactor.contractOutputs()));
        await recorder.settle();
        expect(recorder.failures).toEqual([]);
        expect(recorder.get(PROFILE, `${NAME}-peer-profile`).inputs.name).toBe(`${NAME}-peer`);
        const properties = embeddedProperties()!;
        expect(properties).toContain(`\naws-transactor-role=${NAME}-transactor\n`);
        expect(properties).toContain(`\naws-peer-role=${NAME}-peer\n`);
    });

    test("the same systemName in two regions of one account: no IAM name is shared", async () => {
        resetWorld(recorder, { fixtures: { lookups: transactorLookups() } });
        const base = {
            version: "1.0.7075",
            amiId: AMI_PINNED,
            vpcId: VPC_ID,
            vpcCidrBlock: "10.20.0.0/16",
            subnetIds: SUBNETS.map((subnet) => subnet.id),
            systemName: NAME,
        };
        const ireland = new aws.Provider("eu-west-1", { region: "eu-west-1" });
        new DatomicTransactor("virginia", base);
        new DatomicTransactor("ireland", base, { providers: { aws: ireland } });
        await recorder.settle();
        expect(recorder.failures).toEqual([]);
        const names = [...recorder.ofType(ROLE), ...recorder.ofType(POLICY)].map((resource) => resource.inputs.name);
        expect(names.sort()).toEqual([
            `${NAME}-datomic-peer-eu-west-1`,
            `${NAME}-datomic-peer-us-east-1`,
            `${NAME}-peer-eu-west-1`,
            `${NAME}-peer-us-east-1`,
            `${NAME}-transactor-eu-west-1`,
            `${NAME}-transactor-us-east-1`,
        ]);
    });
});

describe("settings in the user data", () => {
    test("javaOpts keep Datomic's GC flags, and detailed monitoring is off unless asked", async () => {
        await preview(AMI_MAY, { amiId: AMI_PINNED, javaOpts: "-Dacme.env=prod" });
        const template = recorder.get(TEMPLATE, `${NAME}-launch-template`).inputs;
        const script = Buffer.from(template.userData as string, "base64").toString();
        expect(script).toContain("    JAVA_OPTS_VALUE='-XX:+UseG1GC -XX:MaxGCPauseMillis=50 -Dacme.env=prod' \\\n");
        expect(template.monitoring).toBeUndefined();
        const properties = embeddedProperties()!;
        expect(properties).toContain("\nmemory-index-max=512m\n");
        expect(properties).not.toContain("object-cache-max");
    });

    test("detailedMonitoring turns on the launch template's monitoring", async () => {
        await preview(AMI_MAY, { amiId: AMI_PINNED, detailedMonitoring: true });
        expect(recorder.get(TEMPLATE, `${NAME}-launch-template`).inputs.monitoring).toEqual({ enabled: true });
    });
});
