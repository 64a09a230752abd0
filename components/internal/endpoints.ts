/**
 * Ports and host names of a Datomic Cloud system.
 * Source: docs.datomic.com/cloud/operation/client-applications.html and DATOMIC-FACTS.md.
 */

/** The Datomic Client API port. */
export const CLIENT_API_PORT = 8182;

/** The HTTP Direct port on Datomic Cloud compute nodes. */
export const HTTP_DIRECT_PORT = 8184;

/**
 * The endpoint clients inside the Datomic VPC use: `entry-http.` on the alb
 * topology, `entry.` (the production topology's entry point) on nlb.
 */
export function inVpcClientEndpoint(systemName: string, region: string, topology: string): string {
    const host = topology === "alb" ? "entry-http" : "entry";
    return `http://${host}.${privateHostedZoneName(systemName, region)}:${CLIENT_API_PORT}`;
}

/** The private hosted zone Datomic Cloud creates for a system: `<system>.<region>.datomic.net`. */
export function privateHostedZoneName(systemName: string, region: string): string {
    return `${systemName}.${region}.datomic.net`;
}
