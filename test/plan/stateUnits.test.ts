/**
 * The parts of `--state` that need no program run: reading a `pulumi stack export`, the engine's URNs
 * and aliases, and comparing values with secrets in them.
 */
import * as pulumi from "@pulumi/pulumi";
import { AssetDescription, Secret, UNKNOWN } from "../../plan/recorded";
import { EncryptedSecret, parseCheckpoint, SIGNATURE } from "../../plan/state/checkpoint";
import { compareWithDeployed, stateChanges } from "../../plan/state/compare";
import { DeployedState } from "../../plan/state/preview";
import type { Registration } from "../../plan/recorded";
import type { StateResource } from "../../plan/state/checkpoint";
import { createUrn, UrnMatcher } from "../../plan/state/urns";
import { installMocks, resetWorld } from "../support/harness";

const ROOT = "urn:pulumi:dev::datomic::pulumi:pulumi:Stack::datomic-dev";

function exported(resources: object[], extra: object = {}): string {
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: {},
            resources: [{ urn: ROOT, type: "pulumi:pulumi:Stack", custom: false }, ...resources],
            ...extra,
        },
    });
}

describe("reading a stack export", () => {
    test("decodes plaintext and encrypted secrets, assets and archives; the project and stack come from the root stack's URN", () => {
        const checkpoint = parseCheckpoint(
            exported([
                {
                    urn: "urn:pulumi:dev::datomic::command:local:Command::release",
                    type: "command:local:Command",
                    custom: true,
                    id: "release-1",
                    inputs: {
                        environment: { TOKEN: { [SIGNATURE.key]: SIGNATURE.secret, plaintext: '"t0ken"' } },
                        password: { [SIGNATURE.key]: SIGNATURE.secret, ciphertext: "v1:AAAA" },
                        code: { [SIGNATURE.key]: SIGNATURE.archive, path: "ion/target", hash: "ab" },
                    },
                    protect: true,
                },
            ]),
            "dev.json",
        );
        expect(checkpoint).toMatchObject({ project: "datomic", stack: "dev", plaintextSecrets: true });
        const inputs = checkpoint.resources[1].inputs as Record<string, Record<string, unknown>>;
        expect(inputs.environment.TOKEN).toEqual(new Secret("t0ken"));
        expect(inputs.password).toBeInstanceOf(EncryptedSecret);
        expect(inputs.code).toEqual(new AssetDescription("FileArchive", { path: "ion/target" }));
        expect(checkpoint.resources[1]).toMatchObject({ id: "release-1", protect: true, custom: true });
        expect(JSON.stringify(checkpoint)).not.toContain("t0ken");
    });

    test.each([
        ["not JSON", "{", /dev\.json is not JSON/],
        [
            "another version",
            JSON.stringify({ version: 4, deployment: {} }),
            /is a version 4 deployment; datomic-plan reads version 3/,
        ],
        [
            "no root stack",
            JSON.stringify({ version: 3, deployment: { resources: [] } }),
            /has no pulumi:pulumi:Stack resource/,
        ],
        [
            "pending operations",
            exported([], { pending_operations: [{ type: "creating", resource: { urn: "urn:x" } }] }),
            /has 1 pending operation\(s\) \(creating of urn:x\): an update was interrupted.*run pulumi refresh/,
        ],
        [
            "a secret whose plaintext is not JSON, without quoting it",
            exported([
                {
                    urn: "urn:x",
                    type: "t",
                    inputs: { password: { [SIGNATURE.key]: SIGNATURE.secret, plaintext: "hunter2" } },
                },
            ]),
            /^a secret's plaintext in the export is not JSON; export the state again$/,
        ],
    ])("refuses %s, saying why", (_, text, message) => {
        expect(() => parseCheckpoint(text, "dev.json")).toThrow(message);
    });

    test("a file that is not JSON is refused without quoting its text (it may hold plaintext secrets)", () => {
        expect(() => parseCheckpoint('{"password": hunter2}', "dev.json")).toThrow(
            /^dev\.json is not JSON; write it with pulumi stack export --file <file>$/,
        );
    });
});

describe("the engine's URNs and aliases", () => {
    const system = "urn:pulumi:dev::datomic::datomic:cloud:System::datomic";

    test("a child's URN carries its parent's whole chain of types (alias.go CreateURN)", () => {
        const access = createUrn("access", "datomic:cloud:Access", system, "datomic", "dev");
        expect(createUrn("route", "aws:ec2/route:Route", access, "datomic", "dev")).toBe(
            "urn:pulumi:dev::datomic::datomic:cloud:System$datomic:cloud:Access$aws:ec2/route:Route::route",
        );
    });

    test("finds a renamed resource by its alias, and its children by the alias they inherit", async () => {
        // The aliases as the SDK sends them to the monitor, from a real registration.
        const recorder = installMocks(true);
        resetWorld(recorder);
        const component = new (class extends pulumi.ComponentResource {})(
            "datomic:cloud:System",
            "orders",
            {},
            { aliases: [{ name: "datomic" }] },
        );
        new (class extends pulumi.CustomResource {})(
            "aws:cloudformation/stack:Stack",
            "orders-storage",
            {},
            {
                parent: component,
            },
        );
        await recorder.settle();
        const [parent, child] = recorder.resources;
        expect(parent.aliases).toEqual([{ name: "datomic" }]);

        const oldChild =
            "urn:pulumi:test::datomic::datomic:cloud:System$aws:cloudformation/stack:Stack::datomic-storage";
        const oldParent = "urn:pulumi:test::datomic::datomic:cloud:System::datomic";
        const matcher = new UrnMatcher("datomic", "test", new Set([oldParent, oldChild]));
        expect(matcher.match(parent)).toEqual({
            urn: "urn:pulumi:test::datomic::datomic:cloud:System::orders",
            matched: oldParent,
        });
        // step_generator.go inheritedChildAlias: the parent's new name prefix becomes its old one.
        expect(matcher.match(child).matched).toBe(oldChild);
    });

    test("a resource without an alias whose URN the state lacks is new", () => {
        const matcher = new UrnMatcher("datomic", "dev", new Set([system]));
        expect(matcher.match({ urn: "mock-urn", type: "datomic:cloud:System", name: "other", aliases: [] })).toEqual({
            urn: "urn:pulumi:dev::datomic::datomic:cloud:System::other",
        });
    });
});

describe("comparing with deployed values", () => {
    test("a secret compares by value and shows as [secret]; an encrypted one may have changed; an unknown is a change", () => {
        expect(stateChanges({ a: new Secret("x") }, { a: new Secret("x") }, "")).toEqual([]);
        expect(stateChanges({ a: new Secret("x") }, { a: new Secret("y") }, "")).toEqual([
            { path: "a", before: "[secret]", after: "[secret]" },
        ]);
        expect(stateChanges({ a: new EncryptedSecret() }, { a: new Secret("y") }, "")).toEqual([
            { path: "a", before: "[secret]", after: "[secret]", uncertain: true },
        ]);
        expect(stateChanges({ a: "vpc-1" }, { a: UNKNOWN }, "")).toEqual([
            { path: "a", before: "vpc-1", after: UNKNOWN },
        ]);
        expect(stateChanges({ list: ["a"] }, { list: ["a", "b"] }, "")).toEqual([{ path: "list[1]", after: "b" }]);
    });
});

describe("a registration against its deployed self", () => {
    const deployed = (inputs: Record<string, unknown>, protect = false): StateResource => ({
        urn: "urn:pulumi:dev::datomic::datomic:cloud:System$aws:cloudformation/stack:Stack::datomic-storage",
        type: "aws:cloudformation/stack:Stack",
        custom: true,
        id: "arn:stack",
        inputs,
        outputs: {},
        protect,
        retainOnDelete: false,
        external: false,
    });
    const registration = (inputs: Record<string, unknown>, options: Partial<Registration> = {}): Registration => ({
        urn: "mock",
        type: "aws:cloudformation/stack:Stack",
        name: "datomic-storage",
        custom: true,
        read: false,
        inputs,
        protect: false,
        retainOnDelete: false,
        dependencies: [],
        ignoreChanges: [],
        replaceOnChanges: [],
        deleteBeforeReplace: false,
        ...options,
    });

    test("ignoreChanges keeps the deployed value, and the provider's defaults are no difference", () => {
        const old = deployed({
            name: "acme-dev",
            onFailure: "ROLLBACK",
            disableRollback: false,
            __defaults: ["disableRollback"],
        });
        const now = registration({ name: "acme-dev", onFailure: "DELETE" }, { ignoreChanges: ["onFailure"] });
        expect(compareWithDeployed(old, now)).toEqual({ step: "same", changes: [] });
    });

    test("a replacement of a resource protected in the state and the program is refused", () => {
        const old = deployed({ name: "acme-dev", parameters: { Restart: "true" } }, true);
        const renamed = { name: "acme-dev2", parameters: { Restart: "true" } };
        expect(compareWithDeployed(old, registration(renamed, { protect: true })).verdict?.refused).toMatch(
            /refuses to replace a protected resource/,
        );
        // Unprotecting and replacing in one update is allowed (step_generator.go looks at the new protect).
        expect(compareWithDeployed(old, registration(renamed)).verdict?.refused).toBeUndefined();
    });
});

describe("what the mocks answer for a deployed resource", () => {
    const state = new DeployedState(
        parseCheckpoint(
            exported([
                {
                    urn: "urn:pulumi:dev::datomic::aws:cloudformation/stack:Stack::datomic-compute",
                    type: "aws:cloudformation/stack:Stack",
                    custom: true,
                    id: "arn:compute",
                    inputs: {
                        name: "acme-dev-compute",
                        onFailure: "ROLLBACK",
                        parameters: { InstanceType: "t3.large" },
                    },
                    outputs: {
                        name: "acme-dev-compute",
                        onFailure: "ROLLBACK",
                        parameters: { InstanceType: "t3.large" },
                        outputs: { VpcId: "vpc-1" },
                        token: { [SIGNATURE.key]: SIGNATURE.secret, ciphertext: "v1:AAAA" },
                    },
                },
            ]),
            "dev.json",
        ),
    );
    const registration = (inputs: Record<string, unknown>) => ({
        urn: "urn:pulumi:dev::datomic::aws:cloudformation/stack:Stack::datomic-compute",
        type: "aws:cloudformation/stack:Stack",
        name: "datomic-compute",
        custom: true,
        read: false,
        inputs,
        protect: false,
        retainOnDelete: false,
        dependencies: [],
        ignoreChanges: ["onFailure"],
        replaceOnChanges: [],
        deleteBeforeReplace: false,
    });

    test("unchanged: the deployed id and outputs, an encrypted secret left unknown", () => {
        expect(
            state.deployed(
                registration({
                    name: "acme-dev-compute",
                    onFailure: "ROLLBACK",
                    parameters: { InstanceType: "t3.large" },
                }),
            ),
        ).toEqual({
            id: "arn:compute",
            outputs: {
                name: "acme-dev-compute",
                onFailure: "ROLLBACK",
                parameters: { InstanceType: "t3.large" },
                outputs: { VpcId: "vpc-1" },
            },
        });
    });

    test("updated: the new inputs, an ignored one at its deployed value, and the stack's outputs unknown", () => {
        expect(
            state.deployed(
                registration({
                    name: "acme-dev-compute",
                    onFailure: "DELETE",
                    parameters: { InstanceType: "t3.xlarge" },
                }),
            ),
        ).toEqual({
            id: "arn:compute",
            outputs: { name: "acme-dev-compute", onFailure: "ROLLBACK", parameters: { InstanceType: "t3.xlarge" } },
        });
    });

    test("replaced: no answer, so the id and outputs are unknown as for a new resource", () => {
        expect(
            state.deployed(registration({ name: "acme-dev-compute2", parameters: { InstanceType: "t3.large" } })),
        ).toBeUndefined();
    });
});
