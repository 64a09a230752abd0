/**
 * The transactor properties file of a Datomic Pro transactor on DynamoDB,
 * rendered from typed settings.
 *
 * Keys and defaults follow Datomic's DynamoDB sample
 * (`config/samples/ddb-transactor-template.properties` in the Datomic Pro
 * distribution; docs.datomic.com/operation/storage.html and
 * docs.datomic.com/operation/capacity.html). `host`, `alt-host` and
 * `license-key` are known only on the instance; the user data script writes
 * them ahead of the lines rendered here (see userData.ts).
 */
import { formatJavaProperty } from "../../internal/javaProperties";
import {
    isAwsCredentialKey,
    isSecretPropertyKey,
    otherStorageOf,
    TRANSACTOR_PROPERTY_KEYS,
    unknownKeyMessage,
} from "./propertyKeys";

/** The transactor's port; ensure-cf opened only this one. */
export const TRANSACTOR_PORT = 4334;

/** The DynamoDB sample's `memory-index-threshold`. */
export const DEFAULT_MEMORY_INDEX_THRESHOLD = "32m";
/**
 * `memory-index-max` as Datomic recommends it for production transactors (docs.datomic.com/operation/capacity.html);
 * the sample's 256m applies back pressure early. `object-cache-max` has no default here: left out, Datomic
 * gives the object cache half the heap (ibid.; docs.datomic.com/operation/system-properties.html,
 * `datomic.objectCacheMax`: "50% of VM RAM").
 */
export const DEFAULT_MEMORY_INDEX_MAX = "512m";

/** Keys written on the instance at boot, before the rendered lines. */
export const BOOT_TIME_KEYS = ["host", "alt-host", "license-key"] as const;

/** Keys this module renders from typed settings, in the order they are written. */
export const TYPED_KEYS = [
    "protocol",
    "port",
    "aws-dynamodb-table",
    "aws-dynamodb-region",
    "aws-transactor-role",
    "aws-peer-role",
    "memory-index-threshold",
    "memory-index-max",
    "object-cache-max",
    "aws-s3-log-bucket-id",
    "aws-cloudwatch-region",
    "aws-cloudwatch-dimension-value",
    "memcached",
    "write-concurrency",
    "read-concurrency",
    "heartbeat-interval-msec",
    "ping-host",
    "ping-port",
    "valcache-path",
    "valcache-max-gb",
] as const;

/** What the properties file says, apart from the boot-time keys. */
export interface TransactorPropertiesSettings {
    tableName: string;
    /** `aws-dynamodb-region`: the table's region. */
    region: string;
    transactorRoleName: string;
    peerRoleName: string;
    memoryIndexThreshold: string;
    memoryIndexMax: string;
    /** Left out, Datomic sizes the object cache at half the heap. */
    objectCacheMax?: string;
    logBucketName?: string;
    /** With {@link cloudWatchDimensionValue}, turns on the transactor's CloudWatch metrics. */
    cloudWatchRegion?: string;
    cloudWatchDimensionValue?: string;
    /** `host:port` pairs, comma-separated. */
    memcached?: string;
    writeConcurrency?: number;
    readConcurrency?: number;
    heartbeatIntervalMsec?: number;
    pingHost?: string;
    pingPort?: number;
    valcachePath?: string;
    valcacheMaxGb?: number;
    /** Any other transactor property (e.g. `encrypt-channel`, `metrics-callback`), rendered after the typed ones. */
    extraProperties?: Record<string, string>;
}

/** Why `key` cannot be set through `extraProperties`, or `undefined` when it can. */
export function extraPropertyProblem(key: string): string | undefined {
    if (key === "license-key") {
        return `"license-key" must not appear in user data; store it in SSM Parameter Store and set licenseKeyParameterName`;
    }
    if (isAwsCredentialKey(key)) {
        return `"${key}" is an AWS credential and must not appear in user data; the transactor authenticates with its instance role, so leave it out`;
    }
    if (isSecretPropertyKey(key)) {
        return `"${key}" holds a secret and must not appear in user data; store it as an SSM SecureString and name the parameter in secretProperties ({ "${key}": "/path/to/parameter" }): the instance reads it at boot`;
    }
    return componentPropertyProblem(key);
}

/** Why `key` cannot be read from SSM at boot through `secretProperties`, or `undefined` when it can. */
export function secretPropertyProblem(key: string): string | undefined {
    if (key === "license-key") {
        return `"license-key" has an argument of its own; set licenseKeyParameterName`;
    }
    if (isAwsCredentialKey(key)) {
        return `"${key}" is an AWS credential; the transactor authenticates with its instance role, so leave it out`;
    }
    return componentPropertyProblem(key);
}

/** Why `key` is not a property the caller may add: the component sets it, or the transactor knows no such key. */
function componentPropertyProblem(key: string): string | undefined {
    if ((TYPED_KEYS as readonly string[]).includes(key) || (BOOT_TIME_KEYS as readonly string[]).includes(key)) {
        return `"${key}" is set by the component (from its typed argument or at boot); use that instead`;
    }
    if (!/^[a-z][a-z0-9.-]*$/.test(key)) {
        return `"${key}" is not a transactor property name (lowercase letters, digits, "-" and ".")`;
    }
    const storage = otherStorageOf(key);
    if (storage) {
        return `"${key}" is a property of ${storage} storage; this transactor stores in DynamoDB`;
    }
    if (!TRANSACTOR_PROPERTY_KEYS.includes(key)) {
        return unknownKeyMessage(key, TRANSACTOR_PROPERTY_KEYS, "Datomic transactor property");
    }
    return undefined;
}

/** The rendered lines, as `key=value` text ending in a newline. */
export function renderTransactorProperties(settings: TransactorPropertiesSettings): string {
    const typed: Record<(typeof TYPED_KEYS)[number], string | number | undefined> = {
        protocol: "ddb",
        port: TRANSACTOR_PORT,
        "aws-dynamodb-table": settings.tableName,
        "aws-dynamodb-region": settings.region,
        "aws-transactor-role": settings.transactorRoleName,
        "aws-peer-role": settings.peerRoleName,
        "memory-index-threshold": settings.memoryIndexThreshold,
        "memory-index-max": settings.memoryIndexMax,
        "object-cache-max": settings.objectCacheMax,
        "aws-s3-log-bucket-id": settings.logBucketName,
        "aws-cloudwatch-region": settings.cloudWatchRegion,
        "aws-cloudwatch-dimension-value": settings.cloudWatchDimensionValue,
        memcached: settings.memcached,
        "write-concurrency": settings.writeConcurrency,
        "read-concurrency": settings.readConcurrency,
        "heartbeat-interval-msec": settings.heartbeatIntervalMsec,
        "ping-host": settings.pingHost,
        "ping-port": settings.pingPort,
        "valcache-path": settings.valcachePath,
        "valcache-max-gb": settings.valcacheMaxGb,
    };
    const lines = TYPED_KEYS.filter((key) => typed[key] !== undefined).map((key) =>
        formatJavaProperty(key, String(typed[key])),
    );
    const extras = Object.entries(settings.extraProperties ?? {}).sort(([a], [b]) => a.localeCompare(b));
    for (const [key, value] of extras) {
        const problem = extraPropertyProblem(key);
        if (problem) {
            throw new Error(problem);
        }
        lines.push(formatJavaProperty(key, value));
    }
    return `${lines.join("\n")}\n`;
}

/** `datomic:ddb://<region>/<table>/`: append a database name to connect a peer. */
export function connectionUriBase(region: string, tableName: string): string {
    return `datomic:ddb://${region}/${tableName}/`;
}
