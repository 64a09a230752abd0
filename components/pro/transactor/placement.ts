/**
 * `vpcId` and `subnetIds` that are Outputs (from another resource or a stack reference), checked once
 * known: a plain value was already checked with the other arguments (checks.ts), but an Output is only
 * known inside `apply`, where a bad value fails the preview (when known then) or the update, naming the
 * argument, before any resource takes it.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import { subnetIdsProblem, vpcIdProblem } from "./checks";

/** `vpcId` and `subnetIds` as the parts take them: plain values as given, Outputs checked when they resolve. */
export function checkedPlacement(
    owner: pulumi.Resource,
    args: DatomicTransactorArgs,
): Pick<DatomicTransactorArgs, "vpcId" | "subnetIds"> {
    const fail = (argument: string, problem: string | undefined) => {
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, owner);
        }
    };
    const vpcId =
        typeof args.vpcId === "string"
            ? args.vpcId
            : pulumi.output(args.vpcId).apply((id) => {
                  fail("vpcId", vpcIdProblem(id));
                  return id;
              });
    const plainSubnets = Array.isArray(args.subnetIds) && args.subnetIds.every((id) => typeof id === "string");
    const subnetIds = plainSubnets
        ? args.subnetIds
        : pulumi.output(args.subnetIds).apply((ids) => {
              fail("subnetIds", subnetIdsProblem(ids, ids.length));
              return ids;
          });
    return { vpcId, subnetIds };
}
