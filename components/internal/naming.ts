/**
 * Naming rules for Datomic systems and CloudFormation stacks.
 *
 * Sources: CloudFormation's stack name rule (a letter, then letters, digits and
 * hyphens; at most 128 characters) and Datomic's advice to keep system names
 * shorter than 24 characters because they appear in compound names such as
 * `datomic-<system>-<resource>` (docs.datomic.com/operation/storage-template.html).
 */

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
