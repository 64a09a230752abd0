/**
 * Lookup fixtures: the answers a mock run gives to cloud lookups (provider
 * function calls such as `aws.cloudformation.getStack`) and to stack
 * references, so a program can be planned without credentials. The format is
 * documented for users in docs/plan.md:
 *
 * ```yaml
 * accountId: "111111111111"          # aws.getCallerIdentity under the default provider
 * lookups:                           # any provider function, first match wins
 *   - function: aws:cloudformation/getStack:getStack
 *     match: { name: acme-dev }      # a subset of the call's inputs
 *     region: us-west-2              # optional: only under a provider for this region
 *     accountId: "222222222222"      # optional: only under a provider for this account
 *     result: { outputs: { VpcId: vpc-0abc }, parameters: {} }
 * stackReferences:                   # outputs of other stacks
 *   acme/datomic/dev: { region: us-east-1, vpcId: vpc-0abc }
 * secretStackOutputs:                # outputs those stacks keep secret, by stack
 *   acme/datomic/dev: [vpcId]
 * ```
 *
 * `aws.getRegion` answers with the region of the call's provider (the program's
 * `aws:region` for the default provider), `aws.getCallerIdentity` with the
 * provider's account when its settings name one, and `aws.getPartition` with
 * `aws`; a fixture entry overrides any of them.
 */
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { issueMessage, locateIssue } from "../components/internal/validationIssues";
import { fixturesCommand, lookupSkeleton } from "./lookupSkeletons";
import type { MockAnswers, ProviderReference } from "./recorded";

const ACCOUNT_MESSAGE = 'expected a 12-digit AWS account id in quotes, such as "111111111111"';
const ACCOUNT_ID = z.string(ACCOUNT_MESSAGE).regex(/^\d{12}$/, ACCOUNT_MESSAGE);
const MAP = z.record(z.string(), z.unknown(), "expected a map of key: value");

const lookupSchema = z.strictObject({
    function: z.string("expected the function's token, such as aws:ec2/getVpc:getVpc"),
    match: MAP.optional(),
    region: z.string().optional(),
    accountId: ACCOUNT_ID.optional(),
    result: MAP,
});

const fixturesSchema = z.strictObject(
    {
        accountId: ACCOUNT_ID.optional(),
        lookups: z.array(lookupSchema, "expected a list of lookups, each with function, match and result").optional(),
        stackReferences: z
            .record(
                z.string(),
                MAP,
                "expected a map from stack name (<organization>/<project>/<stack>) to that stack's outputs",
            )
            .optional(),
        secretStackOutputs: z
            .record(
                z.string(),
                z.array(z.string()),
                "expected a map from stack name to the names of its outputs that are secret",
            )
            .optional(),
    },
    "expected a map with accountId, lookups, stackReferences and secretStackOutputs",
);

/** One answer to a provider function call. */
export interface LookupFixture {
    /** The function's token, e.g. `aws:ec2/getRouteTables:getRouteTables`. */
    function: string;
    /** Inputs the call must have (a subset: nested objects and lists compare element by element). */
    match?: Record<string, unknown>;
    /** Only calls under a provider for this region answer with this entry. */
    region?: string;
    /** Only calls under a provider for this account answer with this entry. */
    accountId?: string;
    result: Record<string, unknown>;
}

/** The answers for one stack's lookups. */
export interface LookupFixtures {
    /** `aws.getCallerIdentity`'s account id under the default provider. */
    accountId?: string;
    lookups?: LookupFixture[];
    /** Outputs of referenced stacks, by fully qualified stack name. */
    stackReferences?: Record<string, Record<string, unknown>>;
    /**
     * Outputs of referenced stacks that are secret, by stack: a StackReference reads them as secret
     * Outputs, as the engine reports them in the reference's `secretOutputNames`.
     */
    secretStackOutputs?: Record<string, string[]>;
}

/** A lookup the fixtures do not answer. The message names the call and says where to add the answer. */
export class MissingLookupError extends Error {
    constructor(
        public readonly token: string,
        public readonly inputs: Record<string, unknown>,
        where: string,
        /** What to add, when it is not a "lookups" entry. */
        what = `add a "lookups" entry for it to ${where}, such as (replace the result's values with the real ones):\n${lookupSkeleton(token, inputs)}`,
    ) {
        super(`No fixture answers ${token} called with ${JSON.stringify(inputs)}; ${what}`);
        this.name = "MissingLookupError";
    }
}

/** A fixture file that cannot be used: unreadable, not YAML, or not of the fixture format. */
export class FixtureFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "FixtureFileError";
    }
}

/**
 * Reads and checks a fixture file. A missing file is an error unless `optional` (the default file of a
 * stack, which a program without lookups need not have); the message names the file and the key at fault.
 */
export function loadFixtureFile(file: string, options: { optional?: boolean } = {}): LookupFixtures {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const error = e as NodeJS.ErrnoException;
        if (error.code === "ENOENT" && options.optional) {
            return {};
        }
        const hint =
            error.code === "ENOENT"
                ? `; write a service's fixtures from its environment stack with ${fixturesCommand("<organization>/<project>/<stack>", file)}, or give the right file to --fixtures`
                : "";
        throw new FixtureFileError(`cannot read the fixture file ${file}: ${error.message}${hint}`);
    }
    let parsed: unknown;
    try {
        parsed = parseYaml(text);
    } catch (e) {
        throw new FixtureFileError(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    return parseFixtures(parsed ?? {}, file);
}

/** Checks fixtures read from `source`; the message names each key at fault, its value and what is allowed. */
export function parseFixtures(value: unknown, source: string): LookupFixtures {
    const result = fixturesSchema.safeParse(value);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => `  - ${describeIssue(issue, value)}`);
        throw new FixtureFileError(`${source} is not a fixture file (format: docs/plan.md):\n${problems.join("\n")}`);
    }
    return result.data as LookupFixtures;
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
    const { key, value } = locateIssue(issue, root);
    const unrecognized = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
    const shown = unrecognized || value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
    return `${key || "(the file)"}: ${issueMessage(issue)}${unrecognized}${shown}`;
}

/** Settings the built-in answers read. */
export interface FixtureContext {
    /** The program's `aws:region` config: the default provider's region. */
    region?: string;
    /** Where the fixtures came from, for error messages. */
    source: string;
    /** True when that file does not exist (a stack's default fixture file is optional). */
    fileMissing?: boolean;
}

/** Where a lookup runs: the region and account of its provider, where they are known. */
export interface LookupTarget {
    region?: string;
    accountId?: string;
    /** The explicit provider's name, for messages; absent for the default provider. */
    provider?: string;
}

/** Mock answers backed by fixtures; also collects every value the fixtures supplied, so plans can mark them. */
export interface FixtureAnswers extends MockAnswers {
    /** String values answered from fixtures (stack reference outputs, lookup results, account ids). */
    readonly suppliedValues: Set<string>;
}

/** Mock answers backed by fixtures, plus `resourceOutputs` for resources (none by default). */
export function fixtureAnswers(
    fixtures: LookupFixtures,
    context: FixtureContext,
    resourceOutputs?: MockAnswers["resourceOutputs"],
): FixtureAnswers {
    const suppliedValues = new Set<string>();
    return {
        suppliedValues,
        call(token, inputs, provider) {
            const target = lookupTarget(provider, fixtures, context);
            const found = (fixtures.lookups ?? []).find(
                (lookup) =>
                    lookup.function === token &&
                    (lookup.region === undefined || lookup.region === target.region) &&
                    (lookup.accountId === undefined || lookup.accountId === target.accountId) &&
                    isSubset(lookup.match ?? {}, inputs),
            );
            if (found) {
                collectStrings(found.result, suppliedValues);
                return found.result;
            }
            const builtIn = builtInAnswer(token, target, fixtures);
            if (builtIn) {
                if (token === CALLER_IDENTITY) {
                    suppliedValues.add(String(builtIn.accountId));
                }
                return builtIn;
            }
            const under = target.provider
                ? ` under provider ${target.provider} (region ${target.region ?? "unknown"}, account ${target.accountId ?? "unknown"})`
                : "";
            throw new MissingLookupError(
                `${token}${under}`,
                inputs,
                context.fileMissing ? `${context.source} (a new file)` : context.source,
            );
        },
        resourceOutputs(type, name, inputs) {
            if (type === "pulumi:pulumi:StackReference") {
                const stack = String(inputs.name);
                const outputs = fixtures.stackReferences?.[stack];
                if (!outputs) {
                    const known = Object.keys(fixtures.stackReferences ?? {});
                    throw new MissingLookupError(
                        `stack reference ${stack}`,
                        inputs,
                        context.source,
                        `add the stack's outputs under "stackReferences" in ${context.source} ` +
                            `(${context.fileMissing ? "the file does not exist yet" : `it has ${known.length ? known.join(", ") : "none"}`}), ` +
                            `or check the stack name. To write them from the stack itself: ${fixturesCommand(stack, context.source)}`,
                    );
                }
                collectStrings(outputs, suppliedValues);
                return { outputs, secretOutputNames: fixtures.secretStackOutputs?.[stack] ?? [] };
            }
            return resourceOutputs?.(type, name, inputs);
        },
    };
}

const CALLER_IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity";

/**
 * The region and account of the provider a lookup runs under. An explicit AWS provider's `region` setting
 * is its region; its account is the one `allowedAccountIds` allows when it allows exactly one, else the
 * account of the role it assumes. The default provider has the program's `aws:region` and the fixtures'
 * `accountId`.
 */
export function lookupTarget(
    provider: ProviderReference | undefined,
    fixtures: LookupFixtures,
    context: FixtureContext,
): LookupTarget {
    if (!provider || provider.type !== "pulumi:providers:aws") {
        return { region: context.region, accountId: fixtures.accountId };
    }
    const settings = provider.inputs;
    const region = typeof settings.region === "string" ? settings.region : undefined;
    const allowed = asList(settings.allowedAccountIds).filter((id): id is string => typeof id === "string");
    const roles = [...asList(settings.assumeRoles), ...asList(settings.assumeRole)];
    const roleAccount = roles
        .map((role) => (role as { roleArn?: unknown } | null)?.roleArn)
        .map((arn) => (typeof arn === "string" ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined))
        .find((account) => account !== undefined);
    return {
        region: region ?? context.region,
        accountId: allowed.length === 1 ? allowed[0] : (roleAccount ?? fixtures.accountId),
        provider: provider.name,
    };
}

/** Provider settings arrive as lists or, for nested values, as JSON text. */
function asList(value: unknown): unknown[] {
    if (typeof value === "string") {
        try {
            return asList(JSON.parse(value));
        } catch {
            return [];
        }
    }
    if (Array.isArray(value)) {
        return value;
    }
    return value !== null && typeof value === "object" ? [value] : [];
}

function builtInAnswer(
    token: string,
    target: LookupTarget,
    fixtures: LookupFixtures,
): Record<string, unknown> | undefined {
    switch (token) {
        case "aws:index/getRegion:getRegion":
            return target.region ? { id: target.region, name: target.region, region: target.region } : undefined;
        case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com" };
        case CALLER_IDENTITY: {
            const accountId = target.accountId ?? fixtures.accountId;
            return accountId
                ? {
                      id: accountId,
                      accountId,
                      arn: `arn:aws:sts::${accountId}:assumed-role/plan/datomic-plan`,
                      userId: "PLAN:datomic-plan",
                  }
                : undefined;
        }
        default:
            return undefined;
    }
}

function collectStrings(value: unknown, into: Set<string>): void {
    if (typeof value === "string") {
        into.add(value);
    } else if (Array.isArray(value)) {
        value.forEach((item) => collectStrings(item, into));
    } else if (value !== null && typeof value === "object") {
        Object.values(value).forEach((item) => collectStrings(item, into));
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
