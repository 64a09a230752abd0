/**
 * Migration from `bin/datomic ensure-transactor` and `ensure-cf`: read the
 * properties files they wrote and turn them into {@link DatomicTransactorArgs}
 * that keep every existing name, so the table, roles, bucket and security
 * group can be adopted rather than recreated.
 *
 * ensure-transactor fills in the names it generated (table, roles, log bucket)
 * and writes them back into the transactor properties file; ensure-cf writes
 * the instance settings (`aws-*`, `java-*`, `datomic-version`) into the CF
 * properties file; `aws-instance-monitoring` becomes `detailedMonitoring`. Blank values mean "not set", as they did for those commands.
 * Secrets (`license-key`, access keys, passwords) are never copied: the
 * license key belongs in SSM Parameter Store (`licenseKeyParameterName`).
 */
import type { DatomicTransactorArgs } from "./args";
import { parseJavaPropertyEntries, PropertyEntry } from "../../internal/javaProperties";
import { TRANSACTOR_PORT } from "./properties";
import {
    CF_PROPERTY_KEYS,
    isSecretPropertyKey,
    otherStorageOf,
    TRANSACTOR_PROPERTY_KEYS,
    unknownKeyMessage,
} from "./propertyKeys";

/** The arguments a properties file determines; merge them with the rest (`vpcId`, `subnetIds`...). */
export type MigratedTransactorArgs = Partial<DatomicTransactorArgs>;

/** Transactor properties that the component takes as typed arguments. */
const TRANSACTOR_STRING_KEYS: Record<string, keyof DatomicTransactorArgs> = {
    "aws-dynamodb-table": "tableName",
    "aws-dynamodb-region": "region",
    "aws-transactor-role": "transactorRoleName",
    "aws-peer-role": "peerRoleName",
    "memory-index-threshold": "memoryIndexThreshold",
    "memory-index-max": "memoryIndexMax",
    "object-cache-max": "objectCacheMax",
    "aws-cloudwatch-region": "cloudWatchRegion",
    "aws-cloudwatch-dimension-value": "cloudWatchDimensionValue",
    memcached: "memcached",
    "ping-host": "pingHost",
    "alt-host": "altHost",
    "valcache-path": "valcachePath",
};

const TRANSACTOR_NUMBER_KEYS: Record<string, keyof DatomicTransactorArgs> = {
    "write-concurrency": "writeConcurrency",
    "read-concurrency": "readConcurrency",
    "heartbeat-interval-msec": "heartbeatIntervalMsec",
    "ping-port": "pingPort",
    "valcache-max-gb": "valcacheMaxGb",
};

/** Keys the component sets itself (`host` is the instance's address, found at boot). */
const TRANSACTOR_IGNORED_KEYS = new Set(["protocol", "host", "port", "aws-s3-log-bucket-id"]);

/**
 * Reads a transactor properties file as `ensure-transactor` left it (DynamoDB storage).
 * Fails, naming the key and line, on another storage protocol, a port other than 4334, a
 * number that does not parse, and on keys no transactor reads (each with the closest known key), so a
 * misspelt table name never falls back to a default. Secrets (`license-key`, AWS keys, session tokens,
 * passwords) are never copied.
 */
export function parseTransactorProperties(text: string): MigratedTransactorArgs {
    const entries = readEntries(text, "transactor properties");
    const args: Record<string, unknown> = {};
    const extraProperties: Record<string, string> = {};
    const protocol = entries.get("protocol");
    if (protocol && protocol.value !== "ddb") {
        throw new Error(
            `transactor properties, line ${protocol.line}: protocol=${protocol.value}; only DynamoDB storage (protocol=ddb) can be migrated`,
        );
    }
    const port = entries.get("port");
    if (port && port.value !== "" && port.value !== String(TRANSACTOR_PORT)) {
        throw new Error(
            `transactor properties, line ${port.line}: port=${port.value}; the transactor group listens on ${TRANSACTOR_PORT}, the port ensure-cf opened`,
        );
    }
    rejectUnknownKeys(entries, TRANSACTOR_PROPERTY_KEYS, "transactor properties", "Datomic transactor property");
    for (const [key, entry] of entries) {
        if (entry.value === "" || TRANSACTOR_IGNORED_KEYS.has(key) || isSecretPropertyKey(key)) {
            continue;
        }
        if (key in TRANSACTOR_STRING_KEYS) {
            args[TRANSACTOR_STRING_KEYS[key]] = entry.value;
        } else if (key in TRANSACTOR_NUMBER_KEYS) {
            args[TRANSACTOR_NUMBER_KEYS[key]] = wholeNumber(entry, "transactor properties");
        } else {
            extraProperties[key] = entry.value;
        }
    }
    // Present but blank, ensure-transactor created a bucket with a generated name; present, it used that name.
    const logBucket = entries.get("aws-s3-log-bucket-id");
    if (logBucket) {
        if (logBucket.value === "") {
            args.logBucket = true;
        } else {
            args.logBucketName = logBucket.value;
        }
    }
    if (Object.keys(extraProperties).length > 0) {
        args.extraProperties = extraProperties;
    }
    return args as MigratedTransactorArgs;
}

/**
 * Reads a CF properties file as `ensure-cf` left it. `aws-ingress-groups` entries are security group
 * names in the transactor's account; an `<account>:<group>` entry from another account fails, since a
 * VPC security group rule names such a group by id (pass it in `peerSecurityGroupIds`).
 */
export function parseCfProperties(text: string): MigratedTransactorArgs {
    const entries = readEntries(text, "CF properties");
    rejectUnknownKeys(entries, CF_PROPERTY_KEYS, "CF properties", "CF property");
    const args: MigratedTransactorArgs = {};
    const value = (key: string) => {
        const found = entries.get(key)?.value;
        return found === undefined || found === "" ? undefined : found;
    };
    const list = (key: string) =>
        (value(key) ?? "")
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== "");

    args.region = value("aws-region");
    args.instanceType = value("aws-instance-type");
    const groupSize = entries.get("aws-autoscaling-group-size");
    if (groupSize && groupSize.value !== "") {
        args.groupSize = wholeNumber(groupSize, "CF properties");
    }
    const monitoring = entries.get("aws-instance-monitoring");
    if (monitoring && monitoring.value !== "") {
        args.detailedMonitoring = trueOrFalse(monitoring, "CF properties");
    }
    args.javaXmx = value("java-xmx")?.replace(/^-Xmx/, "");
    args.javaOpts = value("java-opts");
    args.version = value("datomic-version");
    const securityGroup = value("aws-security-group");
    if (securityGroup) {
        args.securityGroupName = securityGroup;
        // ensure-cf created the group with this description; keeping it lets the group be imported unchanged.
        args.securityGroupDescription = "Provisioned by Datomic";
    }
    const groups = list("aws-ingress-groups");
    const crossAccount = groups.find((group) => group.includes(":"));
    if (crossAccount) {
        throw new Error(
            `CF properties, line ${entries.get("aws-ingress-groups")!.line}: aws-ingress-groups entry "${crossAccount}" names a group of another account; give its security group id in peerSecurityGroupIds instead`,
        );
    }
    if (groups.length > 0) {
        args.peerSecurityGroupNames = groups;
    }
    const cidrs = list("aws-ingress-cidrs");
    if (cidrs.length > 0) {
        args.peerCidrs = cidrs;
    }
    return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as MigratedTransactorArgs;
}

/**
 * Fails on every key that is not in `known`, one line each with the closest known key: a misspelt key
 * silently dropped would leave its setting at a default (a table name at the system name, say).
 */
function rejectUnknownKeys(
    entries: Map<string, PropertyEntry>,
    known: readonly string[],
    what: string,
    kind: string,
): void {
    const problems = [...entries.values()]
        // Credentials are dropped whatever their key (see isSecretPropertyKey), never reported or copied.
        .filter((entry) => !known.includes(entry.key) && !isSecretPropertyKey(entry.key))
        .map((entry) => {
            const storage = otherStorageOf(entry.key);
            const problem = storage
                ? `"${entry.key}" is a property of ${storage} storage; only DynamoDB storage can be migrated`
                : unknownKeyMessage(entry.key, known, kind);
            return `${what}, line ${entry.line}: ${problem}`;
        });
    if (problems.length > 0) {
        throw new Error(problems.join("\n"));
    }
}

function readEntries(text: string, what: string): Map<string, PropertyEntry> {
    let entries: PropertyEntry[];
    try {
        entries = parseJavaPropertyEntries(text);
    } catch (e) {
        throw new Error(`${what}, ${(e as Error).message}`);
    }
    return new Map(entries.map((entry) => [entry.key, entry]));
}

/** `true` or `false`, as ensure-cf wrote booleans (any case). */
function trueOrFalse(entry: PropertyEntry, what: string): boolean {
    const value = entry.value.toLowerCase();
    if (value !== "true" && value !== "false") {
        throw new Error(`${what}, line ${entry.line}: ${entry.key}=${entry.value} is neither true nor false`);
    }
    return value === "true";
}

function wholeNumber(entry: PropertyEntry, what: string): number {
    if (!/^\d+$/.test(entry.value)) {
        throw new Error(`${what}, line ${entry.line}: ${entry.key}=${entry.value} is not a whole number`);
    }
    return Number(entry.value);
}
