/**
 * Naming rules for Datomic systems and CloudFormation stacks.
 *
 * Sources: CloudFormation's stack name rule (a letter, then letters, digits and
 * hyphens; at most 128 characters) and Datomic's advice to keep system names
 * shorter than 24 characters because they appear in compound names such as
 * `datomic-<system>-<resource>` (docs.datomic.com/operation/storage-template.html).
 * Ion Lambdas are named `<group>-<name>` and AWS Lambda names are at most 64 characters
 * (docs.datomic.com/ions/ions-reference.html, ":lambdas").
 */
import { sha256Hex } from "./hashing";

export const CLOUDFORMATION_STACK_NAME_MAX_LENGTH = 128;

/** Datomic advises system names shorter than 24 characters. */
export const DATOMIC_SYSTEM_NAME_MAX_LENGTH = 23;

const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Why `name` cannot be a CloudFormation stack name, or `undefined` when it can. */
export function stackNameProblem(name: string): string | undefined {
    if (!STACK_NAME_PATTERN.test(name)) {
        return `"${name}" is not a CloudFormation stack name: it must start with a letter and contain only letters, digits and hyphens`;
    }
    if (name.length > CLOUDFORMATION_STACK_NAME_MAX_LENGTH) {
        return `"${name}" is ${name.length} characters long; CloudFormation allows at most ${CLOUDFORMATION_STACK_NAME_MAX_LENGTH}`;
    }
    return undefined;
}

/**
 * Why `name` should not name a new Datomic system, or `undefined` when it is fine.
 * The storage stack is named after the system, so the stack rules apply too.
 */
export function newSystemNameProblem(name: string): string | undefined {
    const stackProblem = stackNameProblem(name);
    if (stackProblem) {
        return stackProblem;
    }
    if (name.length > DATOMIC_SYSTEM_NAME_MAX_LENGTH) {
        return (
            `"${name}" is ${name.length} characters long; Datomic advises system names of at most ` +
            `${DATOMIC_SYSTEM_NAME_MAX_LENGTH} characters (shorter than 24), such as "${name.slice(0, DATOMIC_SYSTEM_NAME_MAX_LENGTH).replace(/-+$/, "")}"`
        );
    }
    return undefined;
}

/** A fragment of a Pulumi resource name derived from free text (a CIDR, a service name): lowercase, hyphen-separated. */
export function nameFragment(text: string): string {
    return text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
}

/** AWS Lambda function names are at most 64 characters; ions create Lambdas named `<group>-<name>`. */
export const LAMBDA_FUNCTION_NAME_MAX_LENGTH = 64;

/**
 * The default limit on query group stack names: Datomic's advice for short stack names
 * (fewer than 24 characters, as for systems). *Unconfirmed* for query groups, hence configurable.
 */
export const DEFAULT_QUERY_GROUP_NAME_MAX_LENGTH = DATOMIC_SYSTEM_NAME_MAX_LENGTH;

/** Characters of the short hash that keeps a shortened suffix unique. */
const SUFFIX_HASH_LENGTH = 7;

/** One limit on a query group's stack name, and the rule it comes from. */
export interface NameLimit {
    readonly length: number;
    readonly rule: string;
}

/** What a query group's stack name is made of, and the limits that apply to it. */
export interface QueryGroupNameInput {
    /** The whole stack name. */
    stackName?: string;
    /** The group name, used with `suffix`. */
    groupName?: string;
    /** Appended to `groupName` with a hyphen (a feature branch, a git revision). */
    suffix?: string;
    /** Shorten (and clean) a suffix that does not fit instead of failing. */
    shortenSuffix?: boolean;
    /** Datomic's advice on short names; see {@link DEFAULT_QUERY_GROUP_NAME_MAX_LENGTH}. */
    maxStackNameLength: number;
    /** The `:lambdas` names of the ions deployed to the group. */
    lambdaNames: string[];
}

/** The stack name, or the argument at fault and why (with a shortened name to use instead). */
export type QueryGroupNameResult = { name: string } | { argument: string; problem: string };

/** The limits on a query group's stack name, tightest first. */
export function queryGroupNameLimits(maxStackNameLength: number, lambdaNames: string[]): NameLimit[] {
    const limits: NameLimit[] = [
        {
            length: CLOUDFORMATION_STACK_NAME_MAX_LENGTH,
            rule: `CloudFormation allows at most ${CLOUDFORMATION_STACK_NAME_MAX_LENGTH} characters`,
        },
        {
            length: maxStackNameLength,
            rule: `Datomic advises short compute group names (maxStackNameLength: ${maxStackNameLength})`,
        },
    ];
    const longest = [...lambdaNames].sort((a, b) => b.length - a.length)[0];
    if (longest !== undefined) {
        const length = LAMBDA_FUNCTION_NAME_MAX_LENGTH - 1 - longest.length;
        limits.push({
            length,
            rule: `the ion Lambda "<group>-${longest}" must fit AWS Lambda's ${LAMBDA_FUNCTION_NAME_MAX_LENGTH}-character limit, leaving ${length} for the group`,
        });
    }
    return limits.sort((a, b) => a.length - b.length);
}

/** Why `name` cannot name an ion Lambda (an ion-config.edn `:lambdas` key), or undefined. */
export function lambdaNameProblem(name: string): string | undefined {
    return /^[A-Za-z0-9_-]+$/.test(name)
        ? undefined
        : `"${name}" is not a Lambda name part: use letters, digits, hyphens and underscores`;
}

/**
 * The stack name of a query group, from `stackName` or `groupName` + `suffix`, checked against
 * CloudFormation's rules and {@link queryGroupNameLimits}. A suffix that does not fit is shortened
 * deterministically (truncated, with a short hash of the original so different suffixes stay
 * different) when `shortenSuffix` is set; otherwise the problem proposes that shortened name.
 */
export function queryGroupStackName(input: QueryGroupNameInput): QueryGroupNameResult {
    const { stackName, groupName, suffix } = input;
    if (stackName !== undefined && (groupName !== undefined || suffix !== undefined)) {
        return { argument: "stackName", problem: "give either stackName or groupName (with an optional suffix)" };
    }
    const limit = queryGroupNameLimits(input.maxStackNameLength, input.lambdaNames)[0];
    const whole = stackName ?? groupName;
    const argument = stackName !== undefined ? "stackName" : "groupName";
    if (whole === undefined) {
        return { argument: "groupName", problem: "is required when stackName is not given" };
    }
    if (!STACK_NAME_PATTERN.test(whole)) {
        return { argument, problem: stackNameProblem(whole)! };
    }
    if (suffix === undefined) {
        return whole.length <= limit.length
            ? { name: whole }
            : {
                  argument,
                  problem: tooLong(whole, limit, `use a shorter name such as "${truncate(whole, limit.length)}"`),
              };
    }
    const wanted = `${whole}-${suffix}`;
    if (isStackNameSuffix(suffix) && wanted.length <= limit.length) {
        return { name: wanted };
    }
    const shortened = shortenedSuffix(suffix, limit.length - whole.length - 1);
    if (shortened === undefined) {
        const room = limit.length - SUFFIX_HASH_LENGTH - 1;
        return {
            argument: "groupName",
            problem: `"${whole}" leaves no room for a suffix: ${limit.rule}; use a group name of at most ${room} characters, such as "${truncate(whole, room)}"`,
        };
    }
    const name = `${whole}-${shortened}`;
    if (input.shortenSuffix) {
        return { name };
    }
    const reason = isStackNameSuffix(suffix)
        ? tooLong(wanted, limit, `use the suffix "${shortened}"`)
        : `"${suffix}" has characters a stack name cannot contain (only letters, digits and hyphens); use the suffix "${shortened}"`;
    return {
        argument: "suffix",
        problem: `${reason} (stack name "${name}"), or set shortenSuffix: true to shorten it this way automatically`,
    };
}

function isStackNameSuffix(suffix: string): boolean {
    return /^[A-Za-z0-9-]+$/.test(suffix);
}

/** `suffix` cleaned to stack-name characters, truncated to `room` with a short hash of the original; undefined if even the hash does not fit. */
function shortenedSuffix(suffix: string, room: number): string | undefined {
    if (room < SUFFIX_HASH_LENGTH) {
        return undefined;
    }
    const hash = sha256Hex(suffix).slice(0, SUFFIX_HASH_LENGTH);
    const cleaned = suffix.replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
    const head = truncate(cleaned, room - SUFFIX_HASH_LENGTH - 1);
    return head ? `${head}-${hash}` : hash;
}

function tooLong(name: string, limit: NameLimit, proposal: string): string {
    return `"${name}" is ${name.length} characters long; ${limit.rule}, so at most ${limit.length}; ${proposal}`;
}

function truncate(name: string, length: number): string {
    return length <= 0 ? "" : name.slice(0, length).replace(/-+$/, "");
}

/**
 * The default group name of a query group: `<component>-<pulumi stack>`, so the same service's `dev` and
 * `stage` stacks, deployed to one account, do not both create a stack named after the component. When that
 * does not fit `maxLength` (Datomic's advice of short names, the ion Lambda limit), or holds characters a
 * stack name cannot, it is cleaned and truncated, with a 7-character hash of both names so that different
 * stacks keep different names. The result is a CloudFormation stack name of at most `maxLength` characters
 * (`maxLength` of 8 or more).
 */
export function defaultQueryGroupName(componentName: string, stackName: string, maxLength: number): string {
    const wanted = `${componentName}-${stackName}`;
    if (STACK_NAME_PATTERN.test(wanted) && wanted.length <= maxLength) {
        return wanted;
    }
    const hash = sha256Hex(`${componentName}\u0000${stackName}`).slice(0, SUFFIX_HASH_LENGTH);
    const cleaned = wanted
        .replace(/[^A-Za-z0-9-]+/g, "-")
        .replace(/^[^A-Za-z]+/, "")
        .replace(/-+$/, "");
    const head = truncate(cleaned, maxLength - SUFFIX_HASH_LENGTH - 1);
    return head ? `${head}-${hash}` : `g${hash}`;
}
