/**
 * Reading the outputs and parameters of Datomic's CloudFormation stacks, whether
 * this program manages the stack or only looks it up. Output key sets differ
 * between template releases, so every key is optional until a feature needs it;
 * then its absence is a `ResourceError` naming the stack and the key.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A Datomic CloudFormation stack as the components read it. */
export interface DatomicStackView {
    /** What the stack is to Datomic, for messages: "storage", "primary compute", "query group". */
    readonly role: string;
    readonly stackName: pulumi.Output<string>;
    readonly outputs: pulumi.Output<Record<string, string>>;
    readonly parameters: pulumi.Output<Record<string, string>>;
}

/**
 * The view of a stack this program manages. At preview the AWS provider reports the `outputs` of a
 * stack with a pending change as unknown, and every child fed from them would preview as replaced; so
 * at preview the outputs are read from the deployed stack, by its id. The id of an existing stack is
 * known at preview, and that of a new (or replaced) stack is not, so a new stack's outputs stay unknown.
 * Parameters are the stack's inputs, known either way.
 */
export function managedStackView(
    role: string,
    stack: aws.cloudformation.Stack,
    owner: pulumi.Resource,
): DatomicStackView {
    const outputs = pulumi.runtime.isDryRun()
        ? stack.id.apply((id) => aws.cloudformation.getStackOutput({ name: id }, { parent: owner }).outputs)
        : stack.outputs;
    return { role, stackName: stack.name, outputs, parameters: stack.parameters };
}

/** The view of a stack this program only reads, by name. */
export function lookedUpStackView(role: string, stackName: string, owner: pulumi.Resource): DatomicStackView {
    const stack = aws.cloudformation.getStackOutput({ name: stackName }, { parent: owner });
    return { role, stackName: stack.name, outputs: stack.outputs, parameters: stack.parameters };
}

/** A stack output that may be absent in some template releases. */
export function optionalStackOutput(stack: DatomicStackView, key: string): pulumi.Output<string | undefined> {
    return stack.outputs.apply((outputs) => nonEmpty(outputs?.[key]));
}

/** A stack output, falling back to the stack parameter of the same name. */
export function stackOutputOrParameter(stack: DatomicStackView, key: string): pulumi.Output<string | undefined> {
    return pulumi
        .all([stack.outputs, stack.parameters])
        .apply(([outputs, parameters]) => nonEmpty(outputs?.[key]) ?? nonEmpty(parameters?.[key]));
}

/** A stack parameter that may be absent. */
export function optionalStackParameter(stack: DatomicStackView, key: string): pulumi.Output<string | undefined> {
    return stack.parameters.apply((parameters) => nonEmpty(parameters?.[key]));
}

/**
 * A stack output that `neededFor` cannot do without. When the stack lacks it,
 * the output fails with a `ResourceError` against `resource` that names the
 * stack, the key and the keys the stack does have.
 */
export function requiredStackOutput(
    stack: DatomicStackView,
    key: string,
    neededFor: string,
    resource: pulumi.Resource,
): pulumi.Output<string> {
    return pulumi.all([stack.stackName, stack.outputs]).apply(([stackName, outputs]) => {
        const value = nonEmpty(outputs?.[key]);
        if (value === undefined) {
            const present = Object.keys(outputs ?? {}).sort();
            throw new pulumi.ResourceError(
                `The Datomic ${stack.role} stack "${stackName}" has no output "${key}", which ${neededFor} needs. ` +
                    `Its outputs are: ${present.length ? present.join(", ") : "(none)"}.`,
                resource,
            );
        }
        return value;
    });
}

function nonEmpty(value: string | undefined): string | undefined {
    return value === undefined || value === "" ? undefined : value;
}
