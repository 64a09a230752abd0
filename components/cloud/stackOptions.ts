/**
 * Resource options shared by the system's compute stack and QueryGroup's stack.
 */
import * as pulumi from "@pulumi/pulumi";

/** How long a stack create, update or delete may take before the provider gives up. */
export const DEFAULT_STACK_TIMEOUT_MINUTES = 45;

/**
 * Options of a compute or query-group stack that must not be left in ROLLBACK_COMPLETE by a failed
 * create: a new stack is deleted when its create fails. `onFailure` forces replacement of an existing
 * stack, so a change of it is ignored: stacks created before it was set keep theirs.
 */
export function computeStackOptions(
    owner: pulumi.Resource,
    timeoutMinutes: number | undefined,
    dependsOn: pulumi.Resource[] = [],
): pulumi.CustomResourceOptions {
    const timeout = `${timeoutMinutes ?? DEFAULT_STACK_TIMEOUT_MINUTES}m`;
    return {
        parent: owner,
        dependsOn,
        ignoreChanges: ["onFailure"],
        customTimeouts: { create: timeout, update: timeout, delete: timeout },
    };
}
