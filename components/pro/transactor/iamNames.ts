/**
 * Names of the transactor's IAM roles (and their instance profiles) and of the managed peer policy. IAM
 * names are global to the account, so a default name carries the region: the same `systemName` can then
 * run in a second region of the account. IAM allows role names of at most 64 characters and policy names
 * of at most 128 (docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, "IAM name and ID
 * quotas"); a name that would be longer keeps its kind and region and shortens the system name, with a
 * hash of the whole name so two long names never meet.
 */
import { sha256Hex } from "../../internal/hashing";

/** IAM's longest role (and instance profile) name for roles; instance profiles allow 128. */
export const IAM_ROLE_NAME_MAX_LENGTH = 64;
/** IAM's longest managed policy name. */
export const IAM_POLICY_NAME_MAX_LENGTH = 128;

/** Characters of the hash that keeps a shortened name unique. */
const HASH_LENGTH = 6;

/** The names the transactor's IAM resources take in one region. */
export interface TransactorIamNames {
    transactorRole: string;
    peerRole: string;
    peerPolicy: string;
}

/**
 * `<systemName>-<kind>-<region>`, at most `maxLength` characters: when longer, the system name is cut and
 * followed by a hash of the full name.
 */
export function regionalName(systemName: string, kind: string, region: string, maxLength: number): string {
    const full = `${systemName}-${kind}-${region}`;
    if (full.length <= maxLength) {
        return full;
    }
    const hash = sha256Hex(full).slice(0, HASH_LENGTH);
    const suffix = `-${hash}-${kind}-${region}`;
    const kept = systemName.slice(0, Math.max(0, maxLength - suffix.length)).replace(/-+$/, "");
    return kept === "" ? `${full.slice(0, maxLength - HASH_LENGTH - 1)}-${hash}` : `${kept}${suffix}`;
}

/** The role and policy names in `region`: the given role names, and regional defaults for the others. */
export function transactorIamNames(
    systemName: string,
    region: string,
    given: { transactor?: string; peer?: string },
): TransactorIamNames {
    return {
        transactorRole: given.transactor ?? regionalName(systemName, "transactor", region, IAM_ROLE_NAME_MAX_LENGTH),
        peerRole: given.peer ?? regionalName(systemName, "peer", region, IAM_ROLE_NAME_MAX_LENGTH),
        peerPolicy: regionalName(systemName, "datomic-peer", region, IAM_POLICY_NAME_MAX_LENGTH),
    };
}
