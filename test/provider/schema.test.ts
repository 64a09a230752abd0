/**
 * provider/ is a source-based Pulumi plugin package (PulumiPlugin.yaml, runtime nodejs): Pulumi's
 * Node.js component provider host serves the components it exports, with a schema its analyzer infers
 * from the TypeScript types. This runs that analyzer, as `pulumi package add` would, and checks the
 * schema has every component and that every argument meets the analyzer's rules (no unions other than
 * `T | undefined`, no functions): an argument that breaks them makes the analyzer throw.
 */
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const PROVIDER = path.join(ROOT, "provider");

const COMPONENTS = [
    "DatomicCloudSystem",
    "DatomicAccess",
    "DatomicClientEndpoint",
    "DatomicPeering",
    "DatomicPeeringAccepter",
    "HttpDirect",
    "IonApiDomain",
    "QueryGroup",
    "IonDeployment",
    "DatomicMonitoring",
    "DatomicTransactor",
    "DatomicBackup",
];

interface PropertySpec {
    type?: string;
    $ref?: string;
    items?: PropertySpec;
    additionalProperties?: PropertySpec;
    plain?: boolean;
}

interface Schema {
    name: string;
    version: string;
    resources: Record<
        string,
        {
            isComponent: boolean;
            description?: string;
            inputProperties: Record<string, PropertySpec>;
            requiredInputs?: string[];
            properties: Record<string, PropertySpec>;
        }
    >;
    types: Record<string, { properties: Record<string, PropertySpec> }>;
}

/** The provider name the Node.js plugin host derives from package.json (run-plugin's rule). */
function providerName(dir: string): string {
    const name = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string }).name;
    return name.replace(/^@.*?\//, "").replace(/[^-a-zA-Z0-9_]/g, "-");
}

function schemaOf(dir: string): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(dir) as Record<string, unknown>;
    const components = getPulumiComponents(exported);
    return new ComponentProvider({ name: providerName(dir), dirname: dir, components }).getSchema();
}

let schema: Schema;

beforeAll(async () => {
    schema = JSON.parse(await schemaOf(PROVIDER)) as Schema;
}, 120_000);

describe("the plugin package in provider/", () => {
    test("declares the nodejs runtime and shares the package's version", () => {
        expect(parse(fs.readFileSync(path.join(PROVIDER, "PulumiPlugin.yaml"), "utf8"))).toEqual({ runtime: "nodejs" });
        const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
        expect(schema.version).toBe(root.version);
        expect(schema.name).toBe("datomic");
    });

    test("exports exactly the package's components", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const names = getPulumiComponents(require(PROVIDER) as Record<string, unknown>).map(
            (component) => component.name,
        );
        expect(names.sort()).toEqual([...COMPONENTS].sort());
    });

    test("the schema has every component, as datomic:index:<class>", () => {
        expect(Object.keys(schema.resources).sort()).toEqual(COMPONENTS.map((name) => `datomic:index:${name}`).sort());
        for (const resource of Object.values(schema.resources)) {
            expect(resource.isComponent).toBe(true);
            expect(Object.keys(resource.inputProperties).length).toBeGreaterThan(0);
            expect(resource.description).toBeTruthy();
        }
    });

    test("arguments map to schema types: plain values, inputs, lists, maps, nested objects and Any", () => {
        const system = schema.resources["datomic:index:DatomicCloudSystem"];
        expect(system.requiredInputs).toEqual(["systemName"]);
        expect(system.inputProperties.systemName).toMatchObject({ type: "string", plain: true });
        expect(system.inputProperties.create).toMatchObject({
            $ref: "#/types/datomic:index:DatomicCloudSystemCreateArgs",
        });
        expect(system.inputProperties.tags).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
        expect(system.properties.vpcId).toMatchObject({ type: "string" });

        const group = schema.resources["datomic:index:QueryGroup"];
        expect(group.inputProperties.nodePolicyStatements.items).toMatchObject({
            $ref: "#/types/datomic:index:QueryGroupPolicyStatement",
        });
        expect(group.inputProperties.environmentMap.additionalProperties).toMatchObject({ $ref: "pulumi.json#/Any" });
        expect(Object.keys(schema.types["datomic:index:QueryGroupPolicyStatement"].properties).sort()).toEqual([
            "Action",
            "Condition",
            "Effect",
            "NotAction",
            "NotResource",
            "Resource",
            "Sid",
        ]);
        expect(schema.types["datomic:index:DatomicPeeringIngressRule"]).toBeDefined();

        const backup = schema.resources["datomic:index:DatomicBackup"];
        expect(backup.requiredInputs?.sort()).toEqual([
            "amiId",
            "databases",
            "subnetIds",
            "tableName",
            "version",
            "vpcId",
        ]);
        expect(backup.inputProperties.databases).toMatchObject({ type: "array", items: { type: "string" } });
    });

    test("an argument of a union type is refused by the same analyzer", async () => {
        await expect(schemaOf(path.join(__dirname, "fixtures", "unionArgs"))).rejects.toThrow(
            /Union types are not supported for component 'UnionArgsComponent' input 'UnionArgsComponentArgs.size'/,
        );
    }, 60_000);
});

test("provider/index.ts re-exports the package's classes", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const provider = require(PROVIDER) as Record<string, unknown>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const components = require("../../components/index") as Record<string, unknown>;
    for (const name of COMPONENTS) {
        expect(provider[name]).toBe(components[name]);
    }
});
