import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { QueryGroup, QueryGroupArgs } from "../../../components/cloud/ions/queryGroup";
import { Secret } from "../../../plan/recorded";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";
import { temporaryDirectory } from "../../ions/sourceTree";

const recorder = installMocks();

const STACK = "aws:cloudformation/stack:Stack";
const POLICY = "aws:iam/policy:Policy";

/** Query group stack outputs as a 1217-9399 group reports them (key set partly *unconfirmed*). */
const groupOutputs = {
    CodeDeployDeploymentGroup: "orders",
    LoadBalancer: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/orders/0123456789abcdef",
    LoadBalancerHttpDirectEndpoint: "http://internal-orders-0123456789.us-east-1.elb.amazonaws.com:8184",
    ClientApiGatewayEndpoint: "https://q1w2e3r4t5.execute-api.us-east-1.amazonaws.com",
    IonApiGatewayEndpoint: "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
};

/** No output names the group's Auto Scaling group; CloudFormation tags it with the stack's name. */
const GROUPS_BY_TAG = "aws:autoscaling/getAmiIds:getAmiIds";

function world(outputs: Record<string, string> = groupOutputs, autoScalingGroups = ["orders-AutoScalingGroup-1A2B3C"]) {
    resetWorld(recorder, {
        fixtures: { lookups: [{ function: GROUPS_BY_TAG, result: { id: "us-east-1", names: autoScalingGroups } }] },
        outputs: { [STACK]: { "*": { outputs } } },
    });
}

const baseArgs: QueryGroupArgs = {
    systemName: "acme-prod",
    systemRelease: "1217-9399",
    systemTopology: "alb",
    applicationName: "orders",
    keyName: "acme-prod-nodes",
};

async function settled(group: QueryGroup) {
    const values = await valueOf(
        pulumi.output({
            stackName: group.stackName,
            stackId: group.stackId,
            deploymentGroup: group.deploymentGroup,
            loadBalancerArn: group.loadBalancerArn,
            httpDirectEndpoint: group.httpDirectEndpoint,
            clientApiGatewayEndpoint: group.clientApiGatewayEndpoint,
            ionApiGatewayEndpoint: group.ionApiGatewayEndpoint,
            autoScalingGroupName: group.autoScalingGroupName,
            nodePolicyArn: group.nodePolicyArn,
            release: group.release,
        }),
    );
    await recorder.settle();
    return values;
}

describe("QueryGroup", () => {
    test("creates the query-group stack of the default release with typed parameters", async () => {
        world();
        const group = new QueryGroup("orders", {
            ...baseArgs,
            instanceType: "t3.large",
            keyName: "orders-nodes",
            desiredCapacity: 2,
            minSize: 1,
            maxSize: 4,
            environmentMap: { env: ":prod", "orders-db": "orders", retries: 3, features: ["a", "b"] },
            tags: { team: "orders" },
        });
        const out = await settled(group);
        const stack = recorder.get(STACK, "orders-stack");
        expect(stack.inputs).toEqual({
            name: "orders-test",
            templateUrl: "https://s3.amazonaws.com/datomic-cloud-1/cft/1217/query-group-template-9399-1217.json",
            capabilities: ["CAPABILITY_NAMED_IAM"],
            onFailure: "DELETE",
            parameters: {
                SystemName: "acme-prod",
                ApplicationName: "orders",
                EnvironmentMap: '{:env :prod :features ["a" "b"] :orders-db "orders" :retries 3}',
                InstanceType: "t3.large",
                KeyName: "orders-nodes",
                DesiredCapacity: "2",
                MinSize: "1",
                MaxSize: "4",
                // The group's own gateways, which IonApiDomain and DatomicAccess need (884-9095 notes).
                ClientAPI: "true",
                Ions: "true",
            },
            tags: { team: "orders" },
        });
        // MinInstancesInService was omitted: the template's "Default" applies.
        expect(stack.parent).toMatch(/datomic:cloud:QueryGroup::orders$/);
        expect(stack.customTimeouts).toEqual({ create: "45m", update: "45m", delete: "45m" });
        // A failed create deletes the new stack; onFailure forces replacement, so existing stacks ignore it.
        expect(stack.ignoreChanges).toEqual(["onFailure"]);
        expect(recorder.callsTo(GROUPS_BY_TAG)[0].inputs).toEqual({
            filters: [{ name: "tag:aws:cloudformation:stack-name", values: ["orders-test"] }],
        });
        expect(out).toEqual({
            stackName: "orders-test",
            stackId: "orders-stack-id",
            deploymentGroup: "orders",
            loadBalancerArn: groupOutputs.LoadBalancer,
            httpDirectEndpoint: groupOutputs.LoadBalancerHttpDirectEndpoint,
            // The group's own Datomic-managed API gateways (alb releases).
            clientApiGatewayEndpoint: groupOutputs.ClientApiGatewayEndpoint,
            ionApiGatewayEndpoint: groupOutputs.IonApiGatewayEndpoint,
            autoScalingGroupName: "orders-AutoScalingGroup-1A2B3C",
            nodePolicyArn: undefined,
            release: "1217-9399",
        });
        expect(recorder.ofType(POLICY)).toEqual([]);
    });

    test("a 535-8812 group: its confirmed URL, its NodePolicyArn spelling, outputs it lacks undefined", async () => {
        world({ CodeDeployDeploymentGroup: "orders-old-deploy" }, ["orders-asg"]);
        const group = new QueryGroup("old", {
            ...baseArgs,
            systemRelease: "616-8879",
            systemTopology: "nlb",
            templateVersion: "535-8812",
            groupName: "orders-old",
            nodePolicyArn: "arn:aws:iam::111111111111:policy/orders-nodes",
            timeoutMinutes: 60,
        });
        const out = await settled(group);
        expect(out).toMatchObject({
            release: "535-8812",
            // 535-8812 has the CodeDeployDeploymentGroup output; it wins over the stack name.
            deploymentGroup: "orders-old-deploy",
            loadBalancerArn: undefined,
            httpDirectEndpoint: undefined,
            clientApiGatewayEndpoint: undefined,
            ionApiGatewayEndpoint: undefined,
            autoScalingGroupName: "orders-asg",
        });
        const stack = recorder.get(STACK, "old-stack");
        expect(stack.inputs.templateUrl).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/535-8812/datomic-query-group-535-8812.json",
        );
        expect(stack.customTimeouts?.create).toBe("60m");
        // That release spells it NodePolicyArn (jdhollis/datomic-terraform-example); CloudFormation rejects unknown parameters.
        expect(stack.inputs.parameters).toMatchObject({
            NodePolicyArn: "arn:aws:iam::111111111111:policy/orders-nodes",
        });
        expect(stack.inputs.parameters).not.toHaveProperty("NodePolicyARN");
        // An nlb release has no API gateways to enable.
        expect(stack.inputs.parameters).not.toHaveProperty("ClientAPI");
        await settled(new QueryGroup("v", { ...baseArgs, templateVersion: "1172-9392" }));
        expect(recorder.get(STACK, "v-stack").inputs.templateUrl).toBe(
            "https://s3.amazonaws.com/datomic-cloud-1/cft/1172/query-group-template-9392-1172.json",
        );
        expect(() => new QueryGroup("w", { ...baseArgs, templateVersion: "884-9095" })).toThrow(
            /^templateUrl: is required: the template URLs of release 884-9095 are not confirmed/,
        );
    });

    test("environment map values may be Outputs, secret ones included", async () => {
        world();
        const queueUrl = pulumi.output("https://sqs.us-east-1.amazonaws.com/111111111111/orders");
        await settled(
            new QueryGroup("env", {
                ...baseArgs,
                environmentMap: { "queue-url": queueUrl, token: pulumi.secret("s3cr3t"), nested: { "a/b": null } },
            }),
        );
        // A secret value makes the parameters secret in the state.
        expect(recorder.get(STACK, "env-stack").inputs.parameters).toEqual(
            new Secret({
                SystemName: "acme-prod",
                ApplicationName: "orders",
                KeyName: "acme-prod-nodes",
                EnvironmentMap:
                    '{:nested {:a/b nil} :queue-url "https://sqs.us-east-1.amazonaws.com/111111111111/orders" :token "s3cr3t"}',
                ClientAPI: "true",
                Ions: "true",
            }),
        );
    });

    test("node policy statements become a managed policy whose ARN is NodePolicyARN", async () => {
        world();
        const group = new QueryGroup("policy", {
            ...baseArgs,
            nodePolicyStatements: [
                {
                    Effect: "Allow",
                    Action: ["sqs:SendMessage"],
                    Resource: ["arn:aws:sqs:us-east-1:111111111111:orders"],
                },
            ],
            tags: { team: "orders" },
        });
        const out = await settled(group);
        const policy = recorder.get(POLICY, "policy-node-policy");
        expect(policy.parent).toMatch(/datomic:cloud:QueryGroup::policy$/);
        expect(policy.inputs.policy).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["sqs:SendMessage"],
                    Resource: ["arn:aws:sqs:us-east-1:111111111111:orders"],
                },
            ],
        });
        expect(policy.inputs.tags).toEqual({ team: "orders" });
        const parameters = recorder.get(STACK, "policy-stack").inputs.parameters as Record<string, string>;
        expect(parameters.NodePolicyARN).toBe("arn:aws:iam:us-east-1:111111111111:policy-node-policy");
        expect(out.nodePolicyArn).toBe(parameters.NodePolicyARN);
    });

    test("an existing policy ARN passes through; raw parameters win over typed ones (older NodePolicyArn spelling)", async () => {
        world();
        await settled(
            new QueryGroup("raw", {
                ...baseArgs,
                instanceType: "t3.large",
                nodePolicyArn: "arn:aws:iam::111111111111:policy/orders-nodes",
                parameters: { InstanceType: "i3.large", NodePolicyArn: "arn:aws:iam::111111111111:policy/legacy" },
            }),
        );
        const parameters = recorder.get(STACK, "raw-stack").inputs.parameters as Record<string, string>;
        expect(parameters).toMatchObject({
            InstanceType: "i3.large",
            NodePolicyARN: "arn:aws:iam::111111111111:policy/orders-nodes",
            NodePolicyArn: "arn:aws:iam::111111111111:policy/legacy",
        });
    });

    describe("stack names", () => {
        test("groupName plus suffix, shortened deterministically when asked", async () => {
            world();
            await settled(new QueryGroup("fb", { ...baseArgs, groupName: "orders", suffix: "5f2c0e9" }));
            expect(recorder.get(STACK, "fb-stack").inputs.name).toBe("orders-5f2c0e9");
            await settled(
                new QueryGroup("long", {
                    ...baseArgs,
                    groupName: "orders",
                    suffix: "feature/login-page-with-oauth",
                    shortenSuffix: true,
                }),
            );
            expect(recorder.get(STACK, "long-stack").inputs.name).toMatch(/^orders-feature-[0-9a-f]{7}$/);
        });

        test("a name beyond a limit fails before anything is created, stating the limit and a shorter name", async () => {
            world();
            expect(() => new QueryGroup("x", { ...baseArgs, stackName: "orders-query-group-production" })).toThrow(
                'stackName: "orders-query-group-production" is 29 characters long; Datomic advises short compute group names (maxStackNameLength: 23), so at most 23; use a shorter name such as "orders-query-group-prod"',
            );
            expect(
                () =>
                    new QueryGroup("y", { ...baseArgs, groupName: "orders", suffix: "feature-login-page-with-oauth" }),
            ).toThrow(
                /^suffix: .* use the suffix "feature-896bdc6" \(stack name "orders-feature-896bdc6"\), or set shortenSuffix: true/,
            );
            expect(
                () =>
                    new QueryGroup("z", {
                        ...baseArgs,
                        stackName: "orders-query-group-production",
                        maxStackNameLength: 40,
                    }),
            ).not.toThrow();
            // A default name is shortened, with a hash of the component and the Pulumi stack.
            await settled(new QueryGroup("orders-query-group-production", baseArgs));
            expect(recorder.get(STACK, "orders-query-group-production-stack").inputs.name).toMatch(
                /^orders-query-gr-[0-9a-f]{7}$/,
            );
            expect(recorder.ofType(STACK).map((s) => s.name)).not.toContain("x-stack");
        });

        test("ion Lambda names from the argument and from ion-config.edn limit the group name", () => {
            world();
            expect(
                () =>
                    new QueryGroup("l", {
                        ...baseArgs,
                        stackName: "orders-query-group",
                        maxStackNameLength: 64,
                        lambdaNames: ["get-items-by-type-for-the-whole-catalog-now-ok"],
                    }),
            ).toThrow(
                'stackName: "orders-query-group" is 18 characters long; the ion Lambda "<group>-get-items-by-type-for-the-whole-catalog-now-ok" must fit AWS Lambda\'s 64-character limit, leaving 17 for the group, so at most 17; use a shorter name such as "orders-query-grou"',
            );
            const dir = temporaryDirectory("ion-config");
            const file = path.join(dir, "ion-config.edn");
            fs.writeFileSync(
                file,
                '{:app-name "orders" :lambdas {:echo {:fn acme/echo} :get-tutorial-schema-and-every-item-by-type-and-tag-now {:fn acme/s}}}',
            );
            expect(() => new QueryGroup("c", { ...baseArgs, groupName: "orders-prod", ionConfigFile: file })).toThrow(
                /^groupName: "orders-prod" is 11 characters long; the ion Lambda "<group>-get-tutorial-schema-and-every-item-by-type-and-tag-now" must fit .* leaving 9 for the group, so at most 9; use a shorter name such as "orders-pr"/,
            );
            fs.writeFileSync(file, "{:lambdas [");
            expect(() => new QueryGroup("d", { ...baseArgs, ionConfigFile: file })).toThrow(
                /^ionConfigFile: ".*" is not readable EDN/,
            );
            expect(() => new QueryGroup("e", { ...baseArgs, lambdaNames: ["get items"] })).toThrow(
                'lambdaNames: "get items" is not a Lambda name part',
            );
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });

    test("bad arguments fail naming the argument and what is allowed", () => {
        world();
        const cases: [Partial<QueryGroupArgs>, string | RegExp][] = [
            [{ desiredCapacity: 1.5 }, "desiredCapacity: 1.5 is not a whole number of instances (0 or more)"],
            [{ minSize: 3, maxSize: 2 }, "minSize: 3 is greater than maxSize 2"],
            [{ desiredCapacity: 5, maxSize: 4 }, "desiredCapacity: 5 is above maxSize 4"],
            [{ templateVersion: "latest" }, /^templateVersion: "latest" is not a Datomic Cloud release/],
            [
                {
                    nodePolicyArn: "arn:aws:iam::1:policy/p",
                    nodePolicyStatements: [{ Effect: "Allow", Action: ["s3:*"] }],
                },
                /^nodePolicyStatements: cannot be combined with nodePolicyArn/,
            ],
            [{ nodePolicyStatements: [] }, "nodePolicyStatements: is empty"],
            [
                { environmentMap: { "my key": 1 } },
                /^environmentMap has the key "my key", which is not an EDN keyword name/,
            ],
            [{ environmentMap: { when: new Date(0) } }, "environmentMap.when is an object of type Date"],
            [{ timeoutMinutes: 0 }, "timeoutMinutes: 0 is not a positive whole number of minutes"],
            [{ stackName: "a", groupName: "b" }, "stackName: give either stackName or groupName"],
            [{ keyName: undefined }, /^keyName: is required: Datomic requires an EC2 key pair/],
            [{ keyName: "" }, /^keyName: is required/],
            [{ instanceType: "large" }, 'instanceType: "large" is not an EC2 instance type'],
            [{ systemName: "" }, "systemName: is empty"],
        ];
        for (const [args, message] of cases) {
            expect(() => new QueryGroup("bad", { ...baseArgs, ...args })).toThrow(message);
        }
        // A key pair given as a raw parameter is enough.
        expect(
            () => new QueryGroup("raw-key", { ...baseArgs, keyName: undefined, parameters: { KeyName: "k" } }),
        ).not.toThrow();
    });

    test("an environment map value known only at deploy time is checked then", async () => {
        world();
        const errors = await captureRejections(async () => {
            new QueryGroup("late", { ...baseArgs, environmentMap: { limits: pulumi.output({ "max items": 3 }) } });
            await recorder.settle();
        });
        expect(errors.map((e) => e.message).join("\n")).toContain(
            'environmentMap.limits has the key "max items", which is not an EDN keyword name',
        );
        expect(recorder.ofType(STACK).map((s) => s.name)).not.toContain("late-stack");
    });

    describe("the release follows the system (Datomic upgrades query groups last)", () => {
        test("the group runs the system's release by default, and follows its upgrade", async () => {
            world();
            const first = await settled(new QueryGroup("follow", { ...baseArgs, systemRelease: "1172-9392" }));
            expect(first.release).toBe("1172-9392");
            expect(recorder.get(STACK, "follow-stack").inputs.templateUrl).toBe(
                "https://s3.amazonaws.com/datomic-cloud-1/cft/1172/query-group-template-9392-1172.json",
            );
            world();
            const upgraded = await settled(new QueryGroup("follow", { ...baseArgs, systemRelease: "1217-9399" }));
            expect(upgraded.release).toBe("1217-9399");
        });

        test("an older pinned release is kept while the system moves on", async () => {
            world();
            const out = await settled(new QueryGroup("pinned", { ...baseArgs, templateVersion: "1172-9392" }));
            expect(out.release).toBe("1172-9392");
        });

        test.each<[string, Partial<QueryGroupArgs>, string | RegExp]>([
            [
                "a release newer than the system's",
                { systemRelease: "1172-9392", templateVersion: "1217-9399" },
                /^templateVersion: 1217-9399 is newer than the system's release 1172-9392; Datomic upgrades storage, then the primary compute group, then query groups: upgrade the system first/,
            ],
            [
                "a release of another topology",
                { systemRelease: "1217-9399", systemTopology: "alb", templateVersion: "535-8812" },
                /^templateVersion: 535-8812 builds the "nlb" topology, but the system runs "alb"/,
            ],
            [
                "a system release of another topology",
                { systemRelease: "781-9041", systemTopology: "alb" },
                /^systemRelease: 781-9041 builds the "nlb" topology, but the system runs "alb"/,
            ],
            [
                "a solo system",
                { systemRelease: "535-8812", systemTopology: "solo" },
                /^systemTopology: the system runs the solo topology, which has no query groups/,
            ],
            [
                "no release at all: the package has no default to move groups by itself",
                { systemRelease: undefined, systemTopology: undefined },
                /^systemRelease: is required: a query group runs its system's release \(pass DatomicSystemReference.release\)/,
            ],
            [
                "a release whose query-group URL is not confirmed",
                { systemRelease: "616-8879", systemTopology: "nlb" },
                /^templateUrl: is required: the query-group template's file name of release 616-8879 is not confirmed/,
            ],
        ])("refuses %s before anything is created", (_label, extra, message) => {
            world();
            expect(() => new QueryGroup("bad", { ...baseArgs, ...extra })).toThrow(message);
            expect(recorder.ofType(STACK)).toEqual([]);
        });
    });

    test("MinInstancesInService must stay below MaxSize", () => {
        world();
        expect(() => new QueryGroup("mis", { ...baseArgs, minInstancesInService: 3, maxSize: 3 })).toThrow(
            /^minInstancesInService: 3 is not less than maxSize 3: Datomic requires it at least 1 less than the maximum/,
        );
    });

    test("without a CodeDeployDeploymentGroup output, ion deploys target the stack name (the compute group's name)", async () => {
        const { CodeDeployDeploymentGroup: _omitted, ...current } = groupOutputs;
        world(current);
        const out = await settled(new QueryGroup("grp", baseArgs));
        expect(out.deploymentGroup).toBe("grp-test");
    });
});
