/**
 * The release a query group runs, which follows its system's. Datomic upgrades storage, then the primary
 * compute group, then query groups (docs.datomic.com/operation/upgrading.html): a group takes the
 * system's release (`systemRelease`, the contract's `release`) unless `templateVersion` pins it, and is
 * refused a release newer than the system's or of another topology. The package has no default release of
 * its own, so upgrading the package never moves a group. Pure: no Pulumi.
 */
import {
    confirmedTemplateUrl,
    isNewerRelease,
    nodePolicyParameterName,
    parseTemplateVersion,
    TemplateVersion,
    topologyOfRelease,
    unconfirmedTemplateUrlProblem,
} from "../../internal/templates";
import { DATOMIC_TOPOLOGIES } from "../../contract";

/** What decides a group's release. */
export interface GroupReleaseInput {
    readonly templateVersion?: string;
    readonly templateUrl?: string;
    readonly systemRelease?: string;
    readonly systemTopology?: string;
}

/** The group's release, its template URL and the spelling of its node policy parameter. */
export interface GroupRelease {
    /** Undefined only for an explicit `templateUrl` with neither `templateVersion` nor `systemRelease`. */
    readonly version?: TemplateVersion;
    readonly templateUrl: string;
    readonly nodePolicyParameter: string;
    /** The topology the release builds; undefined only for a bare `templateUrl`. */
    readonly topology?: "nlb" | "alb";
}

/** The argument at fault and why. */
export interface GroupReleaseProblem {
    readonly argument: string;
    readonly problem: string;
}

/** Resolves the group's release, or says which argument is wrong. */
export function groupRelease(input: GroupReleaseInput): GroupRelease | GroupReleaseProblem {
    const { templateVersion, systemRelease, systemTopology } = input;
    if (systemTopology !== undefined && !(DATOMIC_TOPOLOGIES as readonly string[]).includes(systemTopology)) {
        return {
            argument: "systemTopology",
            problem: `"${systemTopology}" is not a Datomic Cloud topology (nlb, alb or solo)`,
        };
    }
    if (systemTopology === "solo") {
        return {
            argument: "systemTopology",
            problem: `the system runs the solo topology, which has no query groups (Datomic: query groups need the production topology); upgrade the system to a production or alb release first`,
        };
    }
    const parsed = (argument: string, text: string): TemplateVersion | GroupReleaseProblem => {
        try {
            return parseTemplateVersion(text);
        } catch (e) {
            return { argument, problem: (e as Error).message };
        }
    };
    const system = systemRelease === undefined ? undefined : parsed("systemRelease", systemRelease);
    if (system !== undefined && "problem" in system) {
        return system;
    }
    const argument = templateVersion !== undefined ? "templateVersion" : "systemRelease";
    const text = templateVersion ?? systemRelease;
    if (text === undefined) {
        if (input.templateUrl !== undefined) {
            return { templateUrl: input.templateUrl, nodePolicyParameter: "NodePolicyARN" };
        }
        return {
            argument: "systemRelease",
            problem:
                "is required: a query group runs its system's release (pass DatomicSystemReference.release), or the release given as templateVersion; the package has no default, so an upgrade of it never moves a group",
        };
    }
    const version = parsed(argument, text);
    if ("problem" in version) {
        return version;
    }
    if (system !== undefined && isNewerRelease(version, system)) {
        return {
            argument: "templateVersion",
            problem: `${version.text} is newer than the system's release ${system.text}; Datomic upgrades storage, then the primary compute group, then query groups: upgrade the system first, or leave templateVersion out to follow it`,
        };
    }
    if (systemTopology !== undefined && topologyOfRelease(version) !== systemTopology) {
        return {
            argument,
            problem: `${version.text} builds the "${topologyOfRelease(version)}" topology, but the system runs "${systemTopology}"; a query group runs its system's topology`,
        };
    }
    const templateUrl = input.templateUrl ?? confirmedTemplateUrl(version, "query-group");
    if (templateUrl === undefined) {
        return { argument: "templateUrl", problem: unconfirmedTemplateUrlProblem(version, "query-group") };
    }
    return {
        version,
        templateUrl,
        nodePolicyParameter: nodePolicyParameterName(version),
        topology: topologyOfRelease(version),
    };
}
