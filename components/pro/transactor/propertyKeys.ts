/**
 * The keys a Datomic Pro transactor properties file and an `ensure-cf` CF properties file may hold, which
 * of them are credentials, and the closest known key to a misspelt one.
 *
 * Transactor keys: Datomic's DynamoDB sample (`config/samples/ddb-transactor-template.properties`),
 * docs.datomic.com/operation/transactor.html and /operation/capacity.html, and the properties the
 * transactor reads at start (its `datomic.transactor` namespace maps each to a `datomic.*` system
 * property). CF keys: the CF sample (`config/samples/cf-template.properties`) and what `ensure-cf` and
 * `create-cf-template` read.
 */

/** Transactor properties for DynamoDB storage, and those every storage shares. */
export const TRANSACTOR_PROPERTY_KEYS: readonly string[] = [
    "protocol",
    "host",
    "port",
    "alt-host",
    "license-key",
    "encrypt-channel",
    "data-dir",
    "log-dir",
    "pid-file",
    "aws-dynamodb-table",
    "aws-dynamodb-region",
    "aws-dynamodb-override-endpoint",
    "aws-transactor-role",
    "aws-peer-role",
    "aws-s3-log-bucket-id",
    "aws-cloudwatch-region",
    "aws-cloudwatch-dimension-value",
    "aws-cloudwatch-access-key-id",
    "aws-cloudwatch-secret-key",
    "aws-dynamodb-peer-access-key-id",
    "aws-dynamodb-peer-secret-key",
    "memory-index-threshold",
    "memory-index-max",
    "object-cache-max",
    "write-concurrency",
    "read-concurrency",
    "delete-concurrency",
    "index-parallelism",
    "dynamic-index-parallelism",
    "index-segs-per-second",
    "heartbeat-interval-msec",
    "default-partition",
    "memcached",
    "memcached-username",
    "memcached-password",
    "memcached-config-timeout-msec",
    "memcached-auto-discovery",
    "memcached-expiration-days",
    "local-memcached",
    "local-memcached-username",
    "local-memcached-password",
    "local-memcached-config-timeout-msec",
    "local-memcached-auto-discovery",
    "valcache-path",
    "valcache-max-gb",
    "ping-host",
    "ping-port",
    "ping-concurrency",
    "metrics-callback",
];

/** Prefixes of the properties of other storages (SQL, Cassandra, Couchbase, Infinispan). */
const OTHER_STORAGE_PREFIXES = ["sql-", "cassandra-", "couchbase-", "inf-", "h2-"];

/** Keys of the CF properties file. */
export const CF_PROPERTY_KEYS: readonly string[] = [
    "aws-region",
    "aws-instance-type",
    "aws-autoscaling-group-size",
    "aws-instance-monitoring",
    "java-xmx",
    "java-opts",
    "datomic-version",
    "datomic-deploy-s3-bucket",
    "aws-ami",
    "aws-security-group",
    "aws-ingress-groups",
    "aws-ingress-cidrs",
];

/** Keys holding AWS credentials: the transactor authenticates with its instance role instead. */
const AWS_CREDENTIAL_PATTERN = /(access-key|secret-key|secret-access-key|session-token)(-id)?$/;

/** Keys whose values are credentials or secrets: passwords, keys, tokens, the license key. */
export function isSecretPropertyKey(key: string): boolean {
    return (
        AWS_CREDENTIAL_PATTERN.test(key) ||
        /(^|-)(password|passwd|secret|token|credentials?)(-|$)/.test(key) ||
        key === "license-key"
    );
}

/** Keys holding AWS credentials, which have no place anywhere: the instance role stands in for them. */
export function isAwsCredentialKey(key: string): boolean {
    return key.startsWith("aws-") && AWS_CREDENTIAL_PATTERN.test(key);
}

/** The storage a key belongs to when it is another storage's, e.g. `sql` for `sql-url`. */
export function otherStorageOf(key: string): string | undefined {
    return OTHER_STORAGE_PREFIXES.find((prefix) => key.startsWith(prefix))?.slice(0, -1);
}

/**
 * The known key closest to `key` by edit distance, when it is close enough to be a misspelling (at most a
 * third of the key's length, and at least 2), or `undefined`.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const candidate of known) {
        const distance = editDistance(key, candidate);
        if (!best || distance < best.distance) {
            best = { key: candidate, distance };
        }
    }
    return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

/** `"<key>" is not a <what>`, with the closest known key when there is one. */
export function unknownKeyMessage(key: string, known: readonly string[], what: string): string {
    const closest = closestKey(key, known);
    return `"${key}" is not a ${what}${closest ? `; did you mean "${closest}"?` : ""}`;
}

/**
 * Levenshtein distance (insertions, deletions, substitutions), one row at a time. Hand-written: a dozen
 * lines against a new dependency for one message.
 */
export function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
        }
        previous = current;
    }
    return previous[b.length];
}
