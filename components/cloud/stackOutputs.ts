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

/** A stack parameter that cannot change once the stack exists, and the argument that sets it. */
export interface FixedParameter {
    /** The argument the user wrote, for messages (`applicationName`, `create.applicationName`). */
    readonly argument: string;
    /** The value this run sends; undefined sends none. */
    readonly value: pulumi.Input<string | undefined>;
    /** What to do instead of changing it. */
    readonly instead: string;
}

/**
 * The view of a stack this program manages. At preview the AWS provider reports the `outputs` of a
 * stack with a pending change as unknown, and every child fed from them would preview as replaced; so
 * at preview the outputs are read from the deployed stack, by its id. The id of an existing stack is
 * known at preview, and that of a new (or replaced) stack is not, so a new stack's outputs stay unknown.
 * Parameters are the stack's inputs, known either way.
 *
 * Reading the deployed stack at preview also checks it (see {@link deployedStack}): a stack whose id the
 * state records but which CloudFormation deleted fails the preview saying what to run, and a change of
 * a `fixed` parameter (Datomic's `ApplicationName`) fails it naming the argument. `pulumi up` previews
 * first, so neither reaches CloudFormation.
 */
export function managedStackView(
    role: string,
    stack: aws.cloudformation.Stack,
    owner: pulumi.Resource,
    fixed: Record<string, FixedParameter> = {},
): DatomicStackView {
    // A secret value (a secret config key's parameters) is compared but never printed.
    const wanted = pulumi.all(
        Object.fromEntries(
            Object.entries(fixed).map(([parameter, rule]) => {
                const value = pulumi.output(rule.value);
                return [parameter, pulumi.all([pulumi.unsecret(value), pulumi.isSecret(value)])];
            }),
        ),
    );
    const outputs = pulumi.runtime.isDryRun()
        ? pulumi
              .all([stack.id, stack.urn, stack.name, wanted])
              .apply(([id, urn, name, values]) =>
                  deployedStack(
                      role,
                      { id, urn, name },
                      owner,
                      fixed,
                      values as Record<string, [string | undefined, boolean]>,
                  ),
              )
        : stack.outputs;
    return { role, stackName: stack.name, outputs, parameters: stack.parameters };
}

/**
 * The deployed stack's outputs, read by id, after checking it. The provider's `getStack` fails with "no
 * matching CloudFormation Stack found" for a stack in DELETE_COMPLETE (hashicorp/terraform-provider-aws
 * internal/service/cloudformation/stack.go, findStackByName; internal/tfresource SingularDataSourceFindError),
 * and an invoke's failure can be caught by the program (pulumi/pulumi#3364). A compute or query-group stack
 * whose create failed with `onFailure: DELETE` ends so, while the provider recorded its id before waiting for
 * the create: the next `up` would try to update a stack that is gone. Refreshing that one resource drops it
 * from the state, and the following `up` creates it again.
 */
async function deployedStack(
    role: string,
    stack: { id: string; urn: string; name: string },
    owner: pulumi.Resource,
    fixed: Record<string, FixedParameter>,
    values: Record<string, [string | undefined, boolean]>,
): Promise<Record<string, string>> {
    let found: aws.cloudformation.GetStackResult;
    try {
        found = await aws.cloudformation.getStack({ name: stack.id }, { parent: owner });
    } catch (e) {
        if (!/no matching CloudFormation Stack found|does not exist/i.test(String((e as Error)?.message ?? e))) {
            throw e;
        }
        throw new pulumi.ResourceError(
            `The Datomic ${role} stack "${stack.name}" recorded in this Pulumi stack's state (${stack.id}) no longer ` +
                `exists: CloudFormation deleted it, as a failed create does with onFailure DELETE. Drop it from the ` +
                `state and create it again: run \`pulumi refresh --target '${stack.urn}' --yes\`, then \`pulumi up\` ` +
                `(or \`pulumi up --refresh\`).`,
            owner,
        );
    }
    for (const [parameter, rule] of Object.entries(fixed)) {
        const deployed = nonEmpty(found.parameters?.[parameter]);
        const [value, secret] = values[parameter];
        const wanted = nonEmpty(value);
        // Unset sends no value, so the template's default applies: the deployed value when it never was set, which
        // this cannot tell from a value set before; only a different value is certainly a change.
        if (deployed !== undefined && wanted !== undefined && wanted !== deployed) {
            throw new pulumi.ResourceError(
                `${rule.argument}: ${secret ? "(secret)" : `"${wanted}"`}, but the deployed ${role} stack ` +
                    `"${stack.name}" has ${parameter} ${secret ? "(secret)" : `"${deployed}"`}, and Datomic does not allow ` +
                    `changing it after the stack is created. Set ${rule.argument} back to ${secret ? "the deployed value" : `"${deployed}"`}; ${rule.instead}.`,
                owner,
            );
        }
    }
    return found.outputs;
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
