/**
 * The Datomic Cloud release a system runs, published in the environment contract (`release`) so query
 * groups follow the system: Datomic upgrades storage, then the primary compute group, then query groups
 * (docs.datomic.com/operation/upgrading.html).
 */
import * as pulumi from "@pulumi/pulumi";
import { TemplateVersion } from "../../internal/templates";
import { DatomicStackView, optionalStackOutput } from "../stackOutputs";

/**
 * An adopted system's release: the compute stack's outputs `DatomicCFTVersion` and `DatomicCloudVersion`
 * (newer templates, DATOMIC-FACTS.md) when it has them, else the `release` argument; undefined when neither
 * says (the contract then leaves `release` out). A `release` argument that contradicts the stack is refused.
 */
export function adoptedSystemRelease(
    owner: pulumi.Resource,
    compute: DatomicStackView,
    given: TemplateVersion | undefined,
): pulumi.Output<string | undefined> {
    return pulumi
        .all([
            optionalStackOutput(compute, "DatomicCFTVersion"),
            optionalStackOutput(compute, "DatomicCloudVersion"),
            compute.stackName,
        ])
        .apply(([revision, build, stackName]) => {
            const reported = revision !== undefined && build !== undefined ? `${revision}-${build}` : undefined;
            if (reported !== undefined && given !== undefined && reported !== given.text) {
                throw new pulumi.ResourceError(
                    `release: "${given.text}", but the compute stack "${stackName}" reports release ${reported} ` +
                        `(outputs DatomicCFTVersion, DatomicCloudVersion); leave release out or set it to "${reported}"`,
                    owner,
                );
            }
            return reported ?? given?.text;
        });
}
