/**
 * Test harness for components: installs Pulumi's mocks through the plan's
 * recorder, with lookups answered from fixtures and realistic computed outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { fixtureAnswers, isSubset, LookupFixtures } from "../../plan/fixtures";
import { MockRecorder } from "../../plan/recorder";

export const TEST_ACCOUNT = "111111111111";
export const TEST_REGION = "us-east-1";

/** Per-test answers: lookups, and outputs of resources by type. */
export interface TestWorld {
    fixtures: LookupFixtures;
    /** Extra outputs for resources of a type, by Pulumi name (or "*" for any name). */
    outputs: Record<string, Record<string, Record<string, unknown>>>;
    /**
     * Resources that exist in the state the run updates: their ids by type and Pulumi name. In a
     * preview their id is known, as the engine reports it for an update.
     */
    existing: Record<string, Record<string, string>>;
    /** Outputs by type that a preview reports unknown (e.g. a CloudFormation stack's `outputs` while a change is pending). */
    unknownAtPreview: Record<string, string[]>;
    /** Lookups that fail as the provider fails them (e.g. `getStack` of a deleted stack), checked before the fixtures. */
    failingLookups: { function: string; match: Record<string, unknown>; message: string }[];
}

const fixtures: LookupFixtures = {};
let resourceOutputs: TestWorld["outputs"] = {};
let existing: TestWorld["existing"] = {};
let unknownAtPreview: TestWorld["unknownAtPreview"] = {};
let failingLookups: TestWorld["failingLookups"] = [];

/** Installs mocks once per test file; each test then calls {@link resetWorld} with its answers. */
export function installMocks(preview = false): MockRecorder {
    const answers = fixtureAnswers(
        fixtures,
        { region: TEST_REGION, source: "the test's fixtures" },
        (type, name, inputs) => {
            const outputs: Record<string, unknown> = {
                ...computedOutputs(type, name, inputs),
                ...resourceOutputs[type]?.["*"],
                ...resourceOutputs[type]?.[name],
            };
            if (preview) {
                for (const key of unknownAtPreview[type] ?? []) {
                    delete outputs[key];
                }
            }
            return outputs;
        },
    );
    const recorder = new MockRecorder({
        ...answers,
        call(token, inputs, provider) {
            const failure = failingLookups.find((entry) => entry.function === token && isSubset(entry.match, inputs));
            if (failure) {
                throw new Error(failure.message);
            }
            return answers.call(token, inputs, provider);
        },
        existingResourceId: (type, name) => existing[type]?.[name],
    });
    recorder.install(pulumi, { project: "datomic", stack: "test", preview });
    return recorder;
}

/** Replaces the fixtures and resource outputs for the next test and forgets recorded resources. */
export function resetWorld(recorder: MockRecorder, next: Partial<TestWorld> = {}): void {
    fixtures.accountId = next.fixtures?.accountId ?? TEST_ACCOUNT;
    fixtures.lookups = next.fixtures?.lookups ?? [];
    fixtures.stackReferences = next.fixtures?.stackReferences ?? {};
    fixtures.secretStackOutputs = next.fixtures?.secretStackOutputs ?? {};
    resourceOutputs = next.outputs ?? {};
    existing = next.existing ?? {};
    unknownAtPreview = next.unknownAtPreview ?? {};
    failingLookups = next.failingLookups ?? [];
    recorder.reset();
}

/** The value of an output (undefined when unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}

/** Computed attributes AWS would return, enough for components to wire resources together. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const [pkg, module] = type.split(":");
    const service = module?.split("/")[0] ?? "mock";
    const outputs: Record<string, unknown> = {
        arn: `arn:aws:${service}:${TEST_REGION}:${TEST_ACCOUNT}:${name}`,
    };
    if (pkg !== "aws") {
        return {};
    }
    switch (type) {
        case "aws:ec2/vpcEndpointService:VpcEndpointService":
            outputs.serviceName = `com.amazonaws.vpce.${TEST_REGION}.vpce-svc-${name}`;
            break;
        case "aws:cloudformation/stack:Stack":
            outputs.outputs = {};
            break;
        default:
            if (inputs.name === undefined) {
                outputs.name = `${name}-physical`;
            }
    }
    return outputs;
}
