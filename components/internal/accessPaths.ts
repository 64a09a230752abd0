/**
 * The ways a client in another VPC reaches a Datomic Cloud system, and which
 * topology allows which.
 *
 * Source: docs.datomic.com/operation/vpc-access.html ("the preferred way to access Datomic is via the
 * built-in API gateways"; inter-VPC access: NLB releases 732-8993 to 781-9041 through a VPC endpoint
 * service, ALB releases 884-9095 and later through VPC peering with the private hosted zone).
 */

/**
 * - `vpc-endpoint`: an interface VPC endpoint in the caller's VPC (nlb);
 * - `vpc-peering`: VPC peering, routes both ways, nodes ingress and the private hosted zone (alb);
 * - `api-gateway`: the compute group's Client API gateway, no networking (alb);
 * - `private`: the private network path of the environment's topology (`vpc-endpoint` on nlb,
 *   `vpc-peering` on alb), so a service need not know the topology.
 */
export const ACCESS_PATHS = ["private", "vpc-endpoint", "vpc-peering", "api-gateway"] as const;

/** A path after `private` is resolved. */
export type ResolvedAccessPath = "vpc-endpoint" | "vpc-peering" | "api-gateway";

const TOPOLOGY_OF_PATH: Record<ResolvedAccessPath, string> = {
    "vpc-endpoint": "nlb",
    "vpc-peering": "alb",
    "api-gateway": "alb",
};

/** The paths a topology allows, for messages. */
export function pathsOfTopology(topology: string): ResolvedAccessPath[] {
    return (Object.keys(TOPOLOGY_OF_PATH) as ResolvedAccessPath[]).filter(
        (path) => TOPOLOGY_OF_PATH[path] === topology,
    );
}

/** Why `path` is not one of {@link ACCESS_PATHS}, or `undefined` when it is. */
export function accessPathProblem(path: string): string | undefined {
    if (!(ACCESS_PATHS as readonly string[]).includes(path)) {
        return `"${path}" is not an access path; use ${ACCESS_PATHS.map((p) => `"${p}"`).join(", ")}`;
    }
    return undefined;
}

/**
 * The concrete path for a topology, or the reason the topology does not allow it. The reason names the
 * path, the topology, the environment stack and the paths that topology allows.
 */
export function resolveAccessPath(
    path: string,
    topology: string,
    stack: string,
): { path: ResolvedAccessPath } | { problem: string } {
    if (topology !== "nlb" && topology !== "alb") {
        return {
            problem: `the environment ${stack} exports topology ${JSON.stringify(topology)}; expected "nlb" or "alb" (a Datomic Cloud environment)`,
        };
    }
    if (path === "private") {
        return { path: topology === "nlb" ? "vpc-endpoint" : "vpc-peering" };
    }
    const resolved = path as ResolvedAccessPath;
    if (TOPOLOGY_OF_PATH[resolved] !== topology) {
        const allowed = ["private", ...pathsOfTopology(topology)].map((p) => `"${p}"`).join(", ");
        const why =
            resolved === "vpc-endpoint"
                ? "an alb system (884-9095 and later) has no VPC endpoint service"
                : resolved === "api-gateway"
                  ? "an nlb system (releases before 884-9095) has no Client API gateway"
                  : "Datomic documents peering for client access on alb systems only";
        return {
            problem: `"${path}" needs the ${TOPOLOGY_OF_PATH[resolved]} topology, but ${stack} is ${topology}: ${why}; use ${allowed}`,
        };
    }
    return { path: resolved };
}
