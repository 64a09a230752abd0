/**
 * DNS names of an interface VPC endpoint. AWS gives an endpoint one regional
 * name and one name per availability zone; the zonal names carry the zone in
 * their first label (`vpce-0a1b-2c3d-us-east-1a.vpce-svc-...`), the regional one
 * does not (`vpce-0a1b-2c3d.vpce-svc-...`).
 * Source: AWS PrivateLink guide, "DNS hostnames" of interface endpoints.
 */
import { CLIENT_API_PORT } from "./endpoints";

const ZONAL_FIRST_LABEL = /-[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;

/** The regional name among an endpoint's DNS names (the first one when none looks regional). */
export function regionalDnsName(dnsNames: readonly string[]): string | undefined {
    return dnsNames.find((name) => !ZONAL_FIRST_LABEL.test(name.split(".")[0])) ?? dnsNames[0];
}

/** The Client API URL of a host: `http://<host>:8182`. */
export function clientApiUrl(host: string): string {
    return `http://${host}:${CLIENT_API_PORT}`;
}
