/**
 * QueryGroup under a preview, as the engine runs one for a service stack: the system's release and topology
 * come from the environment stack (known at preview), and the group's stack is new or already deployed.
 */
import * as pulumi from "@pulumi/pulumi";
import { QueryGroup } from "../../../components/cloud/ions/queryGroup";
import { DatomicSystemReference } from "../../../components/reference";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks(true);

const STACK = "aws:cloudformation/stack:Stack";
const GET_STACK = "aws:cloudformation/getStack:getStack";
const ENVIRONMENT = "acme/datomic/prod";
const groupId = "arn:aws:cloudformation:us-east-1:111111111111:stack/orders-test/7";
const deployedGroup = {
    function: GET_STACK,
    match: { name: groupId },
    result: {
        id: groupId,
        name: "orders-test",
        outputs: { LoadBalancer: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/orders/1" },
        parameters: { SystemName: "acme-prod", ApplicationName: "orders", KeyName: "acme-prod-nodes" },
    },
};

function world(options: { release: string; topology: string; existing?: boolean; deleted?: boolean }) {
    resetWorld(recorder, {
        fixtures: {
            stackReferences: {
                [ENVIRONMENT]: {
                    systemName: "acme-prod",
                    keyName: "acme-prod-nodes",
                    release: options.release,
                    topology: options.topology,
                },
            },
            lookups: [
                deployedGroup,
                { function: "aws:autoscaling/getAmiIds:getAmiIds", result: { id: "us-east-1", names: ["orders-asg"] } },
            ],
        },
        existing: options.existing ? { [STACK]: { "orders-stack": groupId } } : {},
        unknownAtPreview: { [STACK]: ["outputs"] },
        failingLookups: options.deleted
            ? [
                  {
                      function: GET_STACK,
                      match: { name: groupId },
                      message:
                          "invocation of aws:cloudformation/getStack:getStack returned an error: no matching CloudFormation Stack found",
                  },
              ]
            : [],
    });
}

function group(extra: { templateVersion?: string; applicationName?: string } = {}) {
    const datomic = new DatomicSystemReference("datomic", { stack: ENVIRONMENT });
    return new QueryGroup("orders", {
        systemName: datomic.systemName,
        systemRelease: datomic.release,
        systemTopology: datomic.topology,
        keyName: datomic.keyName,
        applicationName: extra.applicationName ?? "orders",
        templateVersion: extra.templateVersion,
    });
}

describe("QueryGroup previews", () => {
    test("a new group takes the release the environment publishes", async () => {
        world({ release: "1172-9392", topology: "alb" });
        const component = group();
        expect(await valueOf(component.release)).toBe("1172-9392");
        await recorder.settle();
        const stack = recorder.get(STACK, "orders-stack");
        expect(stack.inputs.templateUrl).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1172/query-group-template-9392-1172.json",
        );
        expect(stack.inputs.name).toBe("orders-test");
        expect(recorder.callsTo(GET_STACK)).toEqual([]);
    });

    test("a release newer than the environment's fails the preview before the stack is registered", async () => {
        world({ release: "1172-9392", topology: "alb" });
        const errors = await captureRejections(async () => {
            group({ templateVersion: "1217-9399" });
            await recorder.settle();
        });
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining("templateVersion: 1217-9399 is newer than the system's release 1172-9392"),
        );
        expect(recorder.ofType(STACK)).toEqual([]);
    });

    test("an update of a deployed group reads its outputs, and ion deploys target its stack name", async () => {
        world({ release: "1217-9399", topology: "alb", existing: true });
        const component = group();
        const [loadBalancerArn, deploymentGroup] = await Promise.all([
            valueOf(component.loadBalancerArn),
            valueOf(component.deploymentGroup),
        ]);
        await recorder.settle();
        expect(loadBalancerArn).toBe(deployedGroup.result.outputs.LoadBalancer);
        expect(deploymentGroup).toBe("orders-test");
    });

    test("an update that changes applicationName is refused, naming the argument and what to do", async () => {
        world({ release: "1217-9399", topology: "alb", existing: true });
        const errors = await captureRejections(async () => {
            const component = group({ applicationName: "orders-v2" });
            await valueOf(pulumi.output(component.loadBalancerArn)).catch(() => undefined);
            await recorder.settle();
        });
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining(
                'applicationName: "orders-v2", but the deployed query group stack "orders-test" has ApplicationName "orders", and Datomic does not allow changing it after the stack is created. Set applicationName back to "orders"; to deploy another application, create a new query group',
            ),
        );
    });

    test("an update after a create that ended in DELETE_COMPLETE says exactly what to run", async () => {
        world({ release: "1217-9399", topology: "alb", existing: true, deleted: true });
        const errors = await captureRejections(async () => {
            const component = group();
            await valueOf(pulumi.output(component.loadBalancerArn)).catch(() => undefined);
            await recorder.settle();
        });
        const urn = "urn:pulumi:test::datomic::datomic:cloud:QueryGroup$aws:cloudformation/stack:Stack::orders-stack";
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining(
                `The Datomic query group stack "orders-test" recorded in this Pulumi stack's state (${groupId}) no longer exists`,
            ),
        );
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining(`run \`pulumi refresh --target '${urn}' --yes\`, then \`pulumi up\``),
        );
    });

    test("an nlb environment on 535-8812: that release's URL and NodePolicyArn spelling, no gateways", async () => {
        world({ release: "535-8812", topology: "nlb" });
        const datomic = new DatomicSystemReference("datomic", { stack: ENVIRONMENT });
        new QueryGroup("old", {
            systemName: datomic.systemName,
            systemRelease: datomic.release,
            systemTopology: datomic.topology,
            keyName: datomic.keyName,
            nodePolicyArn: "arn:aws:iam::111111111111:policy/orders-nodes",
        });
        await recorder.settle();
        const stack = recorder.get(STACK, "old-stack");
        expect(stack.inputs.templateUrl).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/535-8812/datomic-query-group-535-8812.json",
        );
        expect(stack.inputs.parameters).toEqual({
            SystemName: "acme-prod",
            KeyName: "acme-prod-nodes",
            NodePolicyArn: "arn:aws:iam::111111111111:policy/orders-nodes",
        });
    });

    test("MinInstancesInService at MaxSize and a solo environment fail the preview", async () => {
        world({ release: "1217-9399", topology: "alb" });
        expect(
            () =>
                new QueryGroup("mis", {
                    systemName: "acme-prod",
                    keyName: "k",
                    systemRelease: "1217-9399",
                    minInstancesInService: 2,
                    maxSize: 2,
                }),
        ).toThrow(/^minInstancesInService: 2 is not less than maxSize 2/);
        world({ release: "535-8812", topology: "solo" });
        const errors = await captureRejections(async () => {
            group();
            await recorder.settle();
        });
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining("systemTopology: the system runs the solo topology, which has no query groups"),
        );
        expect(recorder.ofType(STACK)).toEqual([]);
    });

    test("a secret applicationName is compared, never printed", async () => {
        world({ release: "1217-9399", topology: "alb", existing: true });
        const errors = await captureRejections(async () => {
            const datomic = new DatomicSystemReference("datomic", { stack: ENVIRONMENT });
            const component = new QueryGroup("orders", {
                systemName: datomic.systemName,
                systemRelease: datomic.release,
                keyName: datomic.keyName,
                applicationName: pulumi.secret("orders-hidden"),
            });
            await valueOf(pulumi.output(component.loadBalancerArn)).catch(() => undefined);
            await recorder.settle();
        });
        const messages = errors.map((error) => error.message).join("\n");
        expect(messages).toContain(
            'applicationName: (secret), but the deployed query group stack "orders-test" has ApplicationName (secret)',
        );
        expect(messages).not.toContain("orders-hidden");
    });
});
