/**
 * Building the parameter maps of Datomic's CloudFormation stacks: typed
 * arguments become strings, and parameters left undefined are not sent, so the
 * template's own default applies.
 */
import * as pulumi from "@pulumi/pulumi";

/** The parameters whose value is defined. */
export function definedParameters(
    parameters: Record<string, pulumi.Input<string> | undefined>,
): Record<string, pulumi.Input<string>> {
    return Object.fromEntries(Object.entries(parameters).filter(([, value]) => value !== undefined)) as Record<
        string,
        pulumi.Input<string>
    >;
}

/** A number parameter (capacities): its decimal string, or undefined for the template's `Default`. */
export function numberParameter(value: number | undefined): string | undefined {
    return value === undefined ? undefined : String(value);
}

/** Checks a capacity argument: a whole number of instances, 0 or more. Returns the problem, if any. */
export function capacityProblem(value: number | undefined): string | undefined {
    return value === undefined || (Number.isInteger(value) && value >= 0)
        ? undefined
        : `${value} is not a whole number of instances (0 or more)`;
}

/** The `family.size` check, shared with the Pro family. */
export { instanceTypeProblem } from "../internal/instanceTypes";
