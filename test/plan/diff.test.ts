/** Plan diffs: what `datomic-plan --diff` reports between a base plan and the current one. */
import { diffPlans, hasChanges, parsePlan, renderPlanDiffText, valueChanges } from "../../plan/diff";
import type { Plan, PlannedResource } from "../../plan/render";

const STACK = "aws:cloudformation/stack:Stack";
const SYSTEM = "datomic:cloud:System";

function resource(name: string, overrides: Partial<PlannedResource> = {}): PlannedResource {
    return {
        type: STACK,
        name,
        parent: `${SYSTEM}::datomic`,
        kind: "managed",
        options: [],
        inputs: {},
        ...overrides,
    };
}

function plan(resources: PlannedResource[], outputs: Record<string, unknown> = {}): Plan {
    return { project: "datomic", stack: "dev", resources, lookups: {}, outputs };
}

const base = plan(
    [
        resource("datomic", { type: SYSTEM, parent: undefined, kind: "component" }),
        resource("datomic-compute", {
            options: ["timeouts 45m/45m/45m"],
            inputs: { name: "acme-dev-compute", parameters: { InstanceType: "t3.large", DesiredCapacity: "1" } },
        }),
        resource("datomic-storage", { options: ["protect", "retainOnDelete"], inputs: { name: "acme-dev" } }),
        resource("datomic-sqs-endpoint", { type: "aws:ec2/vpcEndpoint:VpcEndpoint", inputs: { serviceName: "sqs" } }),
    ],
    { systemName: "acme-dev", topology: "alb", vpcId: "<unknown before deployment>" },
);

describe("diffPlans", () => {
    test("finds nothing between a plan and itself", () => {
        const diff = diffPlans(base, structuredClone(base));
        expect(hasChanges(diff)).toBe(false);
        expect(renderPlanDiffText(diff, "base.json")).toBe(
            'Changes to stack "dev" (project datomic) since base.json:\n\nno changes\n',
        );
    });

    test("reports added, removed and changed resources by type and name, with each changed input and option", () => {
        const current = plan(
            [
                base.resources[0],
                resource("datomic-compute", {
                    options: ["timeouts 60m/60m/60m"],
                    inputs: {
                        name: "acme-dev-compute",
                        parameters: { InstanceType: "t3.xlarge", DesiredCapacity: "1", KeyName: "acme-dev" },
                    },
                }),
                resource("datomic-storage", { options: ["retainOnDelete"], inputs: { name: "acme-dev" } }),
                resource("datomic-secretsmanager-endpoint", {
                    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                    inputs: { serviceName: "secretsmanager" },
                }),
            ],
            { systemName: "acme-dev", topology: "nlb", endpointServiceName: "<unknown before deployment>" },
        );
        const diff = diffPlans(base, current);
        expect(diff.added.map((r) => r.name)).toEqual(["datomic-secretsmanager-endpoint"]);
        expect(diff.removed.map((r) => r.name)).toEqual(["datomic-sqs-endpoint"]);
        expect(diff.changed).toEqual([
            {
                type: STACK,
                name: "datomic-compute",
                options: { added: ["timeouts 60m/60m/60m"], removed: ["timeouts 45m/45m/45m"] },
                inputs: [
                    { path: "parameters.InstanceType", before: "t3.large", after: "t3.xlarge" },
                    { path: "parameters.KeyName", after: "acme-dev" },
                ],
            },
            {
                type: STACK,
                name: "datomic-storage",
                options: { added: [], removed: ["protect"] },
                inputs: [],
            },
        ]);
        expect(diff.outputs).toEqual([
            { path: "endpointServiceName", after: "<unknown before deployment>" },
            { path: "topology", before: "alb", after: "nlb" },
            { path: "vpcId", before: "<unknown before deployment>" },
        ]);

        const text = renderPlanDiffText(diff, "base.json");
        expect(text).toContain(
            "+ aws:ec2/vpcEndpoint:VpcEndpoint::datomic-secretsmanager-endpoint  [parent datomic:cloud:System::datomic]\n" +
                '      serviceName: "secretsmanager"\n',
        );
        expect(text).toContain("- aws:ec2/vpcEndpoint:VpcEndpoint::datomic-sqs-endpoint");
        expect(text).toContain(
            "~ aws:cloudformation/stack:Stack::datomic-compute\n" +
                "      + option timeouts 60m/60m/60m\n" +
                "      - option timeouts 45m/45m/45m\n" +
                '      parameters.InstanceType: "t3.large" -> "t3.xlarge"\n' +
                '      parameters.KeyName: (added) "acme-dev"\n',
        );
        expect(text).toContain("~ aws:cloudformation/stack:Stack::datomic-storage\n      - option protect\n");
        expect(text).toContain(
            "Outputs:\n" +
                '  + endpointServiceName: (added) "<unknown before deployment>"\n' +
                '  ~ topology: "alb" -> "nlb"\n' +
                '  - vpcId: "<unknown before deployment>" (removed)\n',
        );
        expect(text).toContain("1 added, 1 removed, 2 changed (0 of them replaced); 3 outputs changed.\n");
        expect(text).toMatch(/~ updated in place\. \+- replaced: a property that forces replacement changed\./);
    });

    test("reports a new parent and a resource becoming read instead of managed", () => {
        const current = plan([
            base.resources[0],
            { ...base.resources[1], parent: undefined },
            { ...base.resources[2], kind: "read" },
            base.resources[3],
        ]);
        const diff = diffPlans(base, { ...current, outputs: base.outputs });
        expect(diff.changed.map((change) => [change.name, change.parent, change.kind])).toEqual([
            ["datomic-compute", { before: `${SYSTEM}::datomic`, after: undefined }, undefined],
            ["datomic-storage", undefined, { before: "managed", after: "read" }],
        ]);
        const text = renderPlanDiffText(diff);
        expect(text).toContain(
            "+- aws:cloudformation/stack:Stack::datomic-compute\n" +
                "      replaced: the parent changed, so the URN does: created anew, the old one deleted, unless aliased\n",
        );
        expect(text).toContain("      parent: datomic:cloud:System::datomic -> (none)\n");
        expect(text).toContain("      kind: managed -> read\n");
    });

    test("shows a replacement where a changed input is known to force one, and ~ where the engine decides", () => {
        const renamed = plan([
            resource("datomic-storage", { inputs: { name: "acme-dev2", parameters: { Restart: "true" } } }),
            resource("datomic-compute", { inputs: { parameters: { InstanceType: "t3.xlarge" } } }),
            resource("orders-report", {
                type: "aws:lambda/function:Function",
                options: ["replaceOnChanges handler"],
                inputs: { handler: "b" },
            }),
        ]);
        const before = plan([
            resource("datomic-storage", { inputs: { name: "acme-dev", parameters: { Restart: "true" } } }),
            resource("datomic-compute", { inputs: { parameters: { InstanceType: "t3.large" } } }),
            resource("orders-report", {
                type: "aws:lambda/function:Function",
                options: ["replaceOnChanges handler"],
                inputs: { handler: "a" },
            }),
        ]);
        const diff = diffPlans(before, renamed);
        expect(diff.changed.map((change) => [change.name, change.replacedBecause])).toEqual([
            [
                "datomic-storage",
                ["name forces replacement (hashicorp/terraform-provider-aws internal/service/cloudformation/stack.go)"],
            ],
            ["datomic-compute", undefined],
            ["orders-report", ["handler forces replacement (replaceOnChanges handler)"]],
        ]);
        const text = renderPlanDiffText(diff);
        expect(text).toContain(
            "+- aws:cloudformation/stack:Stack::datomic-storage\n" +
                "      replaced: name forces replacement (hashicorp/terraform-provider-aws internal/service/cloudformation/stack.go)\n" +
                "      replaces the Datomic storage stack: its VPC goes with it, and every compute group runs in that VPC\n" +
                '      name: "acme-dev" -> "acme-dev2"\n',
        );
        expect(text).toContain("~ aws:cloudformation/stack:Stack::datomic-compute\n");
        expect(text).toContain("0 added, 0 removed, 3 changed (2 of them replaced, 1 hazardous); 0 outputs changed.\n");
    });

    test("a mapping pointed at a new query group's API is replaced, the old one deleted first", () => {
        const mapping = (apiId: string) =>
            plan([
                resource("orders-api-mapping", {
                    type: "aws:apigatewayv2/apiMapping:ApiMapping",
                    parent: "datomic:cloud:IonApiDomain::orders-api",
                    options: ["deleteBeforeReplace"],
                    inputs: { apiId, domainName: "orders.acme.com", stage: "$default" },
                }),
            ]);
        const diff = diffPlans(mapping("a1b2c3d4e5"), mapping("f6g7h8i9j0"));
        expect(renderPlanDiffText(diff)).toContain(
            "+- aws:apigatewayv2/apiMapping:ApiMapping::orders-api-mapping\n" +
                "      replaced: apiId forces replacement (hashicorp/terraform-provider-aws internal/service/apigatewayv2/api_mapping.go)\n" +
                "      deleteBeforeReplace: the old one is deleted before the new one is created\n",
        );
    });

    test("names the two stacks when comparing different ones", () => {
        const prod = { ...base, stack: "prod" };
        expect(renderPlanDiffText(diffPlans(base, prod), "dev.json")).toMatch(
            /^Changes from stack "dev" \(project datomic, dev\.json\) to stack "prod" \(project datomic\):\n\nno changes\n$/,
        );
    });
});

describe("valueChanges", () => {
    test("descends into maps and lists, quoting keys that are not plain names, as the engine's detailed diff", () => {
        expect(
            valueChanges(
                { tags: { "aws:team": "a", Name: "x" }, subnets: ["s-1", "s-2"], port: 8182 },
                { tags: { "aws:team": "b", Name: "x" }, subnets: ["s-2", "s-1"], port: 8182 },
                "",
            ),
        ).toEqual([
            { path: "subnets[0]", before: "s-1", after: "s-2" },
            { path: "subnets[1]", before: "s-2", after: "s-1" },
            { path: 'tags["aws:team"]', before: "a", after: "b" },
        ]);
    });

    test("treats maps with the same entries in another order as equal", () => {
        expect(
            valueChanges({ a: { x: 1, y: [1, { b: 2, c: 3 }] } }, { a: { y: [1, { c: 3, b: 2 }], x: 1 } }, ""),
        ).toEqual([]);
    });

    test("keeps the difference between two long values visible", () => {
        const template = (size: string) => `${"x".repeat(400)}"InstanceType":"${size}"${"y".repeat(400)}`;
        const diff = diffPlans(
            plan([resource("a", { inputs: { templateBody: template("t3.large") } })]),
            plan([resource("a", { inputs: { templateBody: template("i3.xlarge") } })]),
        );
        const line = renderPlanDiffText(diff)
            .split("\n")
            .find((l) => l.includes("templateBody"))!;
        expect(line).toContain('"InstanceType\\":\\"t3.large');
        expect(line).toContain('"InstanceType\\":\\"i3.xlarge');
        expect(line.length).toBeLessThan(500);
    });
});

describe("parsePlan", () => {
    test("reads what datomic-plan --json writes", () => {
        expect(parsePlan(JSON.stringify(base), "base.json")).toEqual(base);
    });

    test.each([
        ["not JSON", "{", /base\.json is not JSON/],
        ["JSON that is not a plan", '{"resources": 3}', /base\.json is not a plan .*datomic-plan --json <file>/],
        [
            "a plan whose resources lack inputs",
            JSON.stringify({ ...base, resources: [{ type: STACK, name: "x", options: [] }] }),
            /base\.json is not a plan/,
        ],
    ])("refuses %s, naming the file and how to write one", (_, text, message) => {
        expect(() => parsePlan(text, "base.json")).toThrow(message);
    });
});
