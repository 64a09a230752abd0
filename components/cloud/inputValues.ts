/**
 * Helpers for arguments that may be plain values or outputs: work with plain
 * values while the program is constructed (errors fail the preview at once),
 * and defer to `apply` for values known only later.
 */
import * as pulumi from "@pulumi/pulumi";
import { ingressCidrProblem } from "../internal/cidr";

/** True when `value` holds no Output or Promise, so it can be used while the program is being constructed. */
export function isPlain(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return false;
    }
    return Array.isArray(value) ? value.every(isPlain) : true;
}

/**
 * Runs `body` now when every input is plain (so its errors fail the preview at once and the resources
 * it creates are registered directly), or inside `apply` once the inputs are known.
 */
export function whenKnown<T extends unknown[], R>(
    inputs: [...{ [K in keyof T]: pulumi.Input<T[K]> }],
    body: (...values: T) => R,
): pulumi.Output<pulumi.Unwrap<R>> {
    if (inputs.every(isPlain)) {
        return pulumi.output(body(...(inputs as unknown as T)));
    }
    return pulumi
        .all(inputs as pulumi.Input<unknown>[])
        .apply((values) => body(...(values as unknown as T))) as pulumi.Output<pulumi.Unwrap<R>>;
}

/** `body(input)` now when `input` is plain, so the result is plain too; otherwise applied once it is known. */
export function mapInput<T, R>(input: pulumi.Input<T>, body: (value: T) => R): pulumi.Input<R> {
    if (isPlain(input)) {
        return body(input as T);
    }
    return pulumi.output(input).apply((value) => body(value as T)) as unknown as pulumi.Output<R>;
}

/**
 * Throws a ResourceError at the first block that is not a CIDR, or that admits every address
 * (`0.0.0.0/0`, `::/0`) while `allowPublic` is false; the message names the flag that allows it.
 */
export function checkCallerCidrs(
    owner: pulumi.Resource,
    argument: string,
    blocks: string[],
    { allowPublic, allowFlag }: { allowPublic: boolean; allowFlag: string },
): void {
    for (const block of blocks) {
        const problem = ingressCidrProblem(block, { allowPublic, allowFlag });
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, owner);
        }
    }
}

/** A list argument: a list, or an Output of one, whose items may themselves be Outputs. */
export type StringListInput = pulumi.Input<pulumi.Input<string>[]>;

/**
 * A list argument as one input: the list itself when it and its items are plain (so it is used while the
 * program is constructed), otherwise one Output of the resolved list.
 */
export function stringList(list: StringListInput): pulumi.Input<string[]> {
    return isPlain(list) ? (list as string[]) : pulumi.output(list);
}

/**
 * An Output's value once it is known, or `undefined` while it is unknown (at preview, when a resource this
 * update creates makes it). Awaited in a component's async part instead of an `apply`, so resources built
 * from it are registered at preview whenever it is known. `isKnown` and `promise()` are the Output's own
 * state (pulumi/pulumi sdk/nodejs/output.ts; plan/runProgram.ts reads them the same way).
 */
export async function knownValue<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    const state = output as unknown as { isKnown: Promise<boolean>; promise(): Promise<T> };
    return (await state.isKnown) ? state.promise() : undefined;
}
