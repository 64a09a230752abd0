/**
 * The rules `--diff` and `--state` share to decide, as the engine does, between an update and a
 * replacement: ignoreChanges, replaceOnChanges patterns, the providers' ForceNew properties, and changes
 * AWS or Datomic refuse. Checked against the providers' own SDKs as installed.
 */
import * as fs from "fs";
import * as path from "path";
import * as command from "@pulumi/command";
import { diffPlans, renderPlanDiffText } from "../../plan/diff";
import { formatPropertyPath, parsePropertyPath, pathContains, withIgnoredChanges } from "../../plan/propertyPath";
import type { Plan, PlannedResource } from "../../plan/render";
import { FORCE_NEW, judgeChanges, ResourceRules } from "../../plan/replacements";
import { installMocks, resetWorld } from "../support/harness";

const STACK = "aws:cloudformation/stack:Stack";
// The options the environment program gives its CloudFormation stacks (components/cloud/stackOptions.ts).
const STACK_OPTIONS = ["ignoreChanges onFailure"];

function plan(resources: PlannedResource[]): Plan {
    return { project: "datomic", stack: "dev", resources, lookups: {}, outputs: {} };
}

function resource(name: string, inputs: Record<string, unknown>, options: string[] = STACK_OPTIONS): PlannedResource {
    return { type: STACK, name, kind: "managed", options, inputs };
}

function rules(overrides: Partial<ResourceRules> = {}): ResourceRules {
    return {
        type: STACK,
        replaceOnChanges: [],
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        ...overrides,
    };
}

describe("property paths, as the engine parses and matches them", () => {
    test("parse and print names, indexes, quoted keys and wildcards", () => {
        expect(parsePropertyPath('tags["aws:team"].x[0]')).toEqual(["tags", "aws:team", "x", 0]);
        expect(parsePropertyPath("triggers[*]")).toEqual(["triggers", "*"]);
        expect(formatPropertyPath(["parameters", "ApplicationName"])).toBe("parameters.ApplicationName");
        expect(formatPropertyPath(["tags", "aws:team", "triggers", 2])).toBe('tags["aws:team"].triggers[2]');
        expect(() => parsePropertyPath("a[b")).toThrow(/"a\[b" is not a property path/);
    });

    test("a pattern contains deeper paths and * matches any key or index (properties_path.go Contains)", () => {
        const contains = (pattern: string, changed: string) =>
            pathContains(parsePropertyPath(pattern), parsePropertyPath(changed));
        expect(contains("foo.*.baz", "foo.bar.baz.bam")).toBe(true);
        expect(contains("*", "anything[3]")).toBe(true);
        expect(contains("triggers[*]", "triggers[0]")).toBe(true);
        expect(contains("triggers[*]", "triggers")).toBe(false);
        expect(contains("parameters.ApplicationName", "parameters.InstanceType")).toBe(false);
    });

    test("ignoreChanges brings back the old value, and drops one the old inputs did not have", () => {
        expect(
            withIgnoredChanges(
                { onFailure: "ROLLBACK", tags: { a: "1" }, list: [1, 2] },
                { onFailure: "DELETE", tags: { a: "2", b: "3" }, list: [5, 6], extra: true },
                ["onFailure", "tags.b", "list[*]", "extra"],
            ),
        ).toEqual({ onFailure: "ROLLBACK", tags: { a: "2" }, list: [1, 2] });
    });
});

describe("--diff decides as the engine does", () => {
    test("a change to an ignored property is no change at all", () => {
        const before = plan([resource("datomic-compute", { onFailure: "ROLLBACK", name: "acme-dev-compute" })]);
        const after = plan([resource("datomic-compute", { onFailure: "DELETE", name: "acme-dev-compute" })]);
        expect(diffPlans(before, after).changed).toEqual([]);
    });

    test("a new ion release replaces the deploy command: triggers[*] is the option @pulumi/command adds", async () => {
        const recorder = installMocks(true);
        resetWorld(recorder);
        new command.local.Command("orders-ion-deploy", { create: "deploy", triggers: ["rev-1"] });
        await recorder.settle();
        const recorded = recorder.get("command:local:Command", "orders-ion-deploy");
        // The command package's SDK sets the option (its schema marks `triggers` replaceOnChanges).
        expect(recorded.replaceOnChanges).toEqual(["triggers[*]"]);

        const options = [`replaceOnChanges ${recorded.replaceOnChanges.join(" ")}`];
        const deploy = (rev: string, create = "deploy"): PlannedResource => ({
            type: "command:local:Command",
            name: "orders-ion-deploy",
            kind: "managed",
            options,
            inputs: { create, triggers: [rev] },
        });
        const diff = diffPlans(plan([deploy("rev-1")]), plan([deploy("rev-2")]));
        expect(diff.changed[0].replacedBecause).toEqual([
            "triggers[0] forces replacement (replaceOnChanges triggers[*])",
        ]);
        expect(renderPlanDiffText(diff)).toContain("+- command:local:Command::orders-ion-deploy\n");
        // Another input runs the update command in place.
        expect(
            diffPlans(plan([deploy("rev-1")]), plan([deploy("rev-1", "deploy --fast")])).changed[0],
        ).not.toHaveProperty("replacedBecause");
    });

    test("a nested replaceOnChanges path replaces only when that path changes", () => {
        const verdict = (changed: string) =>
            judgeChanges(
                rules({ type: "aws:lambda/function:Function", replaceOnChanges: ["environment.variables.MODE"] }),
                [changed],
            ).step;
        expect(verdict("environment.variables.MODE")).toBe("replace");
        expect(verdict("environment.variables.OTHER")).toBe("update");
    });

    test("the application name and the storage VPC's CIDR blocks cannot change: shown as loudly as a replacement", () => {
        const before = plan([
            resource("datomic-compute", { parameters: { ApplicationName: "orders", InstanceType: "t3.large" } }),
            resource("datomic-storage", {
                parameters: { VpcCidrBlock: "10.213.0.0/16", Subnet0CidrBlock: "10.213.0.0/19" },
            }),
        ]);
        const after = plan([
            resource("datomic-compute", { parameters: { ApplicationName: "billing", InstanceType: "t3.large" } }),
            resource("datomic-storage", {
                parameters: { VpcCidrBlock: "10.214.0.0/16", Subnet0CidrBlock: "10.214.0.0/19" },
            }),
        ]);
        const diff = diffPlans(before, after);
        expect(diff.changed.map((change) => change.hazards?.length)).toEqual([1, 2]);
        const text = renderPlanDiffText(diff);
        expect(text).toContain(
            "~! aws:cloudformation/stack:Stack::datomic-compute\n" +
                "      parameters.ApplicationName cannot change: Datomic: a compute group's application name cannot change after it is created",
        );
        expect(text).toContain(
            "parameters.VpcCidrBlock cannot change: AWS: a VPC's or subnet's CIDR block cannot be updated",
        );
        expect(text).toContain("(0 of them replaced, 2 hazardous)");
    });

    test("replacing a protected storage stack is refused; a retained one is flagged as leaving data behind", () => {
        const storage = (name: string, options: string[]) => resource("datomic-storage", { name }, options);
        const refused = diffPlans(
            plan([storage("acme-dev", ["protect", "retainOnDelete"])]),
            plan([storage("acme-dev2", ["protect", "retainOnDelete"])]),
        );
        expect(refused.changed[0].refused).toMatch(/the engine refuses to replace a protected resource/);
        expect(renderPlanDiffText(refused)).toMatch(
            /\+- aws:cloudformation\/stack:Stack::datomic-storage\n {6}refused: /,
        );

        const mapping = judgeChanges(
            rules({ type: "aws:apigatewayv2/apiMapping:ApiMapping", deleteBeforeReplace: true }),
            ["apiId"],
        );
        expect(mapping).toMatchObject({
            step: "replace",
            notes: ["deleteBeforeReplace: the old one is deleted before the new one is created"],
        });

        const table = judgeChanges(rules({ type: "aws:dynamodb/table:Table" }), ["hashKey"]);
        expect(table).toMatchObject({
            step: "replace",
            hazards: ["replaces a DynamoDB table: the new table starts empty"],
        });
        const storageStack = judgeChanges(rules({ inputs: { name: "acme-dev", parameters: { Restart: "true" } } }), [
            "name",
        ]);
        expect(storageStack.hazards).toEqual([
            "replaces the Datomic storage stack: its VPC goes with it, and every compute group runs in that VPC",
        ]);

        const retained = judgeChanges(rules({ retainOnDelete: true }), ["name"]);
        expect(retained).toMatchObject({
            step: "replace",
            hazards: [expect.stringMatching(/holds data \(retainOnDelete\)/)],
        });
        expect(retained.refused).toBeUndefined();
    });
});

describe("the ForceNew table matches the AWS provider's SDK", () => {
    // @pulumi/aws is generated from the provider's schema: each resource's `<Name>Args` lists its inputs.
    const awsRoot = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const awsTypes = Object.keys(FORCE_NEW).filter((type) => type.startsWith("aws:"));

    test.each(awsTypes)("%s: every ForceNew property is an input of the resource", (type) => {
        const [, module, name] = /^aws:([^/]+)\/([^:]+):(\w+)$/.exec(type)!;
        const declaration = fs.readFileSync(path.join(awsRoot, module, `${name}.d.ts`), "utf8");
        const args = declaration.slice(declaration.indexOf(`export interface ${type.split(":")[2]}Args {`));
        for (const property of FORCE_NEW[type].properties) {
            const top = String(parsePropertyPath(property)[0]);
            expect(args).toMatch(new RegExp(`\\n\\s+${top}\\??: `));
        }
    });
});
