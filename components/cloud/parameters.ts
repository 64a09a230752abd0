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

/**
 * Checks `MinInstancesInService` against `MaxSize`: Datomic requires it "at least 1 less than maximum"
 * (docs.datomic.com/operation/compute-templates.html), and CloudFormation fails the update otherwise
 * ("MinInstancesInService must be less than the autoscaling group's MaxSize"). Unchecked when either is
 * left to the template's default. Returns the problem, if any.
 */
export function minInstancesInServiceProblem(
    minInstancesInService: number | undefined,
    maxSize: number | undefined,
    maxSizeArgument: string,
): string | undefined {
    if (minInstancesInService === undefined || maxSize === undefined || minInstancesInService < maxSize) {
        return undefined;
    }
    return (
        `${minInstancesInService} is not less than ${maxSizeArgument} ${maxSize}: Datomic requires it at least 1 less than ` +
        `the maximum, so an instance can be replaced during an update (CloudFormation fails the update otherwise); ` +
        `use at most ${Math.max(maxSize - 1, 0)}, or raise ${maxSizeArgument}`
    );
}

/**
 * `ClientAPI` and `Ions` of an alb compute or query-group stack: set explicitly rather than left to the template's default,
 * because the package's own DatomicAccess (path `api-gateway`) and IonApiDomain need the Client API gateway
 * and the ion gateway, and Datomic's 884-9095 notes say to enable the client API gateway when upgrading to
 * it. The value `"true"` is *unconfirmed* (docs/unconfirmed-defaults.md); raw parameters override it.
 */
export function gatewayParameters(topology: string | undefined): Record<string, string> {
    return topology === "alb" ? { ClientAPI: "true", Ions: "true" } : {};
}
