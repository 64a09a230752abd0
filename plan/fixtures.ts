/**
 * Lookup fixtures: the answers a mock run gives to cloud lookups (provider
 * function calls such as `aws.cloudformation.getStack`) and to stack
 * references, so a program can be planned without credentials.
 *
 * A fixture file is YAML:
 *
 * ```yaml
 * accountId: "111111111111"          # aws.getCallerIdentity
 * lookups:                           # any provider function, first match wins
 *   - function: aws:cloudformation/getStack:getStack
 *     match: { name: acme-dev }      # a subset of the call's inputs
 *     result: { outputs: { VpcId: vpc-0abc }, parameters: {} }
 * stackReferences:                   # outputs of other stacks
 *   acme/datomic/dev: { region: us-east-1, vpcId: vpc-0abc }
 * ```
 *
 * `aws.getRegion` answers with the program's `aws:region` config and
 * `aws.getPartition` with `aws`; a fixture entry overrides either.
 */
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import type { MockAnswers } from "./recorder";

/** One answer to a provider function call. */
export interface LookupFixture {
    /** The function's token, e.g. `aws:ec2/getRouteTables:getRouteTables`. */
    function: string;
    /** Inputs the call must have (a subset: nested objects and lists compare element by element). */
    match?: Record<string, unknown>;
    result: Record<string, unknown>;
}

/** The answers for one stack's lookups. */
export interface LookupFixtures {
    /** `aws.getCallerIdentity`'s account id. */
    accountId?: string;
    lookups?: LookupFixture[];
    /** Outputs of referenced stacks, by fully qualified stack name. */
    stackReferences?: Record<string, Record<string, unknown>>;
}

/** A lookup the fixtures do not answer. The message names the call and says where to add the answer. */
export class MissingLookupError extends Error {
    constructor(
        public readonly token: string,
        public readonly inputs: Record<string, unknown>,
        where: string,
    ) {
        super(
            `No fixture answers ${token} called with ${JSON.stringify(inputs)}; add a "lookups" entry for it to ${where}`,
        );
        this.name = "MissingLookupError";
    }
}

/** Reads a fixture file; a missing file is an empty set of fixtures. */
export function loadFixtureFile(file: string): LookupFixtures {
    if (!fs.existsSync(file)) {
        return {};
    }
    const parsed = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as LookupFixtures;
    for (const [index, lookup] of (parsed.lookups ?? []).entries()) {
        if (typeof lookup?.function !== "string" || typeof lookup.result !== "object" || lookup.result === null) {
            throw new Error(`${file}: lookups[${index}] needs a "function" token and a "result" map`);
        }
    }
    return parsed;
}

/** Settings the built-in answers read. */
export interface FixtureContext {
    /** The program's `aws:region` config. */
    region?: string;
    /** Where the fixtures came from, for error messages. */
    source: string;
}

/** Mock answers backed by fixtures, plus `resourceOutputs` for resources (none by default). */
export function fixtureAnswers(
    fixtures: LookupFixtures,
    context: FixtureContext,
    resourceOutputs?: MockAnswers["resourceOutputs"],
): MockAnswers {
    return {
        call(token, inputs) {
            const found = (fixtures.lookups ?? []).find(
                (lookup) => lookup.function === token && isSubset(lookup.match ?? {}, inputs),
            );
            if (found) {
                return found.result;
            }
            const builtIn = builtInAnswer(token, fixtures, context);
            if (builtIn) {
                return builtIn;
            }
            throw new MissingLookupError(token, inputs, context.source);
        },
        resourceOutputs(type, name, inputs) {
            if (type === "pulumi:pulumi:StackReference") {
                const stack = String(inputs.name);
                const outputs = fixtures.stackReferences?.[stack];
                if (!outputs) {
                    throw new MissingLookupError(
                        `stack reference ${stack}`,
                        inputs,
                        `${context.source} ("stackReferences")`,
                    );
                }
                return { outputs, secretOutputNames: [] };
            }
            return resourceOutputs?.(type, name, inputs);
        },
    };
}

function builtInAnswer(
    token: string,
    fixtures: LookupFixtures,
    context: FixtureContext,
): Record<string, unknown> | undefined {
    switch (token) {
        case "aws:index/getRegion:getRegion":
            return context.region ? { id: context.region, name: context.region, region: context.region } : undefined;
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return fixtures.accountId
                ? {
                      id: fixtures.accountId,
                      accountId: fixtures.accountId,
                      arn: `arn:aws:sts::${fixtures.accountId}:assumed-role/plan/datomic-plan`,
                      userId: "PLAN:datomic-plan",
                  }
                : undefined;
        default:
            return undefined;
    }
}

/** True when every value in `expected` is present and equal in `actual`. */
export function isSubset(expected: unknown, actual: unknown): boolean {
    if (Array.isArray(expected)) {
        return (
            Array.isArray(actual) &&
            expected.length === actual.length &&
            expected.every((item, index) => isSubset(item, actual[index]))
        );
    }
    if (expected !== null && typeof expected === "object") {
        return (
            actual !== null &&
            typeof actual === "object" &&
            Object.entries(expected).every(([key, value]) => isSubset(value, (actual as Record<string, unknown>)[key]))
        );
    }
    return expected === actual;
}
