/**
 * The transactor's arguments checked and resolved into settings, before anything is created. Pure:
 * bad arguments throw one {@link TransactorArgumentError} naming every problem (argumentProblems.ts), which the
 * component turns into a `pulumi.ResourceError`.
 */
import { ArgumentProblems } from "./argumentProblems";
import type { DatomicTransactorArgs } from "./args";
import { checkImage, checkIngress, checkPlacement, checkProperties, checkRelease, checkRoleNames } from "./checks";
import { DATOMIC_PRO_DOWNLOAD_URL } from "../datomicInstall";
import { DEFAULT_MEMORY_INDEX_MAX, DEFAULT_MEMORY_INDEX_THRESHOLD, TransactorPropertiesSettings } from "./properties";
import { groupSizeProblem, positiveIntegerProblem, systemNameProblem, tableNameProblem } from "../validation";

export { TransactorArgumentError } from "./argumentProblems";

const DEFAULT_INSTANCE_TYPE = "m6i.large";
const DEFAULT_GROUP_SIZE = 2;
const DEFAULT_WARMUP_SECONDS = 300;
const DEFAULT_ROOT_VOLUME_GB = 20;
const BILLING_MODES = ["PAY_PER_REQUEST", "PROVISIONED"];
/** The health endpoint's port when only the health check needs it (Datomic's documented example). */
const DEFAULT_HEALTH_PORT = 9999;

/**
 * The GC flags `bin/transactor` applies only when `JAVA_OPTS` is empty: "JVM args other than -Xmx and -Xms
 * ... override Datomic's recommended Java options, including the GC settings"
 * (docs.datomic.com/operation/transactor.html, "Running the Transactor").
 */
export const DATOMIC_GC_FLAGS = "-XX:+UseG1GC -XX:MaxGCPauseMillis=50";

/** A JVM flag that chooses a collector (`-XX:+UseZGC`, `-XX:-UseG1GC`...) or sets its pause goal. */
const GC_FLAG = /(^|\s)-XX:([+-]Use\w*GC|MaxGCPauseMillis=)/;

/** The checked arguments, with every default filled in. */
export interface TransactorSettings {
    systemName: string;
    /** The Auto Scaling group's and launch template's name, and the instances' `Name` tag. */
    groupName: string;
    tableName: string;
    /** Unset when an adopted table keeps its own billing mode. */
    billingMode?: string;
    protectStorage: boolean;
    /** Role names given explicitly; the others are named after the system and the region (iamNames.ts). */
    roleNames: { transactor?: string; peer?: string };
    logBucket: boolean;
    securityGroupName: string;
    peerSecurityGroupIds: string[];
    peerSecurityGroupNames: string[];
    peerCidrs: string[];
    instanceType: string;
    groupSize: number;
    warmupSeconds: number;
    rootVolumeSizeGb: number;
    /** EC2 detailed (one-minute) monitoring of the instances. */
    detailedMonitoring: boolean;
    cloudWatchMetrics: boolean;
    cloudWatchDimensionValue: string;
    alarms: boolean;
    /** Properties read from SSM SecureStrings at boot, the license key included: property to parameter name. */
    secretParameters: Record<string, string>;
    /** The health endpoint the instance's watcher asks, when the health check is on. */
    healthCheckUrl?: string;
    /** `JAVA_OPTS`: the user's options, led by {@link DATOMIC_GC_FLAGS} unless they choose GC flags themselves. */
    javaOpts?: string;
    /** Where `<url>/<version>/datomic-pro-<version>.zip` is downloaded from, and the SSM parameter of its credentials. */
    download: { url: string; credentialsParameterName?: string };
    /** The properties file's settings, apart from those known only at deployment (region, bucket, role names). */
    properties: Omit<TransactorPropertiesSettings, "region" | "transactorRoleName" | "peerRoleName">;
}

/** Checks every argument and resolves the defaults; throws one {@link TransactorArgumentError} naming every problem. */
export function resolveTransactorSettings(systemName: string, args: DatomicTransactorArgs): TransactorSettings {
    const problems = new ArgumentProblems();
    problems.check("systemName", systemNameProblem(systemName));
    checkRelease(args, problems);
    const groupSize = args.groupSize ?? DEFAULT_GROUP_SIZE;
    problems.check("groupSize", groupSizeProblem(groupSize));
    const warmupSeconds = args.instanceWarmupSeconds ?? DEFAULT_WARMUP_SECONDS;
    problems.check("instanceWarmupSeconds", positiveIntegerProblem(warmupSeconds));
    const rootVolumeSizeGb = args.rootVolumeSizeGb ?? DEFAULT_ROOT_VOLUME_GB;
    problems.check("rootVolumeSizeGb", positiveIntegerProblem(rootVolumeSizeGb));
    const instanceType = args.instanceType ?? DEFAULT_INSTANCE_TYPE;
    checkPlacement(args, instanceType, problems);
    checkImage(args, instanceType, problems);

    const tableName = args.tableName ?? systemName;
    problems.check("tableName", tableNameProblem(tableName));
    const billingMode = checkBilling(args, problems);
    checkRoleNames(args, problems);
    const { peerCidrs, peerSecurityGroupIds } = checkIngress(args, problems);
    checkProperties(args, problems);

    const cloudWatchMetrics = args.cloudWatchMetrics ?? true;
    const alarms = args.alarms ?? true;
    if (alarms && !cloudWatchMetrics) {
        problems.check(
            "alarms",
            "need the transactor's CloudWatch metrics; set cloudWatchMetrics: true or alarms: false",
        );
    }
    problems.throwIfAny();

    const cloudWatchDimensionValue = args.cloudWatchDimensionValue ?? systemName;
    const ping = resolvePing(args);
    return {
        systemName,
        groupName: `${systemName}-transactor`,
        tableName,
        billingMode,
        protectStorage: args.protectStorage ?? true,
        roleNames: { transactor: args.transactorRoleName, peer: args.peerRoleName },
        logBucket: (args.logBucket ?? false) || args.logBucketName !== undefined,
        securityGroupName: args.securityGroupName ?? `${systemName}-transactor`,
        peerSecurityGroupIds,
        peerSecurityGroupNames: [...new Set(args.peerSecurityGroupNames ?? [])],
        peerCidrs,
        instanceType,
        groupSize,
        warmupSeconds,
        rootVolumeSizeGb,
        detailedMonitoring: args.detailedMonitoring ?? false,
        cloudWatchMetrics,
        cloudWatchDimensionValue,
        alarms,
        healthCheckUrl: ping.healthCheckUrl,
        secretParameters: {
            ...(args.licenseKeyParameterName !== undefined ? { "license-key": args.licenseKeyParameterName } : {}),
            ...args.secretProperties,
        },
        javaOpts: withDatomicGcFlags(args.javaOpts),
        download: {
            url: (args.downloadUrl ?? DATOMIC_PRO_DOWNLOAD_URL).replace(/\/+$/, ""),
            credentialsParameterName: args.downloadCredentialsParameterName,
        },
        properties: {
            tableName,
            memoryIndexThreshold: args.memoryIndexThreshold ?? DEFAULT_MEMORY_INDEX_THRESHOLD,
            memoryIndexMax: args.memoryIndexMax ?? DEFAULT_MEMORY_INDEX_MAX,
            // Unset, Datomic sizes the object cache at half the heap (docs.datomic.com/operation/capacity.html).
            objectCacheMax: args.objectCacheMax,
            cloudWatchDimensionValue: cloudWatchMetrics ? cloudWatchDimensionValue : undefined,
            memcached: args.memcached,
            writeConcurrency: args.writeConcurrency,
            readConcurrency: args.readConcurrency,
            heartbeatIntervalMsec: args.heartbeatIntervalMsec,
            pingHost: ping.host,
            pingPort: ping.port,
            valcachePath: args.valcachePath,
            valcacheMaxGb: args.valcacheMaxGb,
            extraProperties: args.extraProperties,
        },
    };
}

/**
 * `JAVA_OPTS` that keep Datomic's GC flags: empty options stay empty (bin/transactor then applies the flags
 * itself); other options are led by {@link DATOMIC_GC_FLAGS} unless they choose a collector or a pause goal.
 */
export function withDatomicGcFlags(javaOpts: string | undefined): string | undefined {
    if (javaOpts === undefined || javaOpts.trim() === "" || GC_FLAG.test(javaOpts)) {
        return javaOpts;
    }
    return `${DATOMIC_GC_FLAGS} ${javaOpts}`;
}

/**
 * `ping-host`/`ping-port`: as given; `0.0.0.0` for a `pingPort` the VPC reaches; `127.0.0.1:9999` when only
 * the health check asks. The watcher asks the loopback address for an endpoint on every address.
 */
function resolvePing(args: DatomicTransactorArgs): { host?: string; port?: number; healthCheckUrl?: string } {
    const healthCheck = args.healthCheck ?? true;
    if (args.pingPort === undefined && !healthCheck) {
        return { host: args.pingHost };
    }
    const port = args.pingPort ?? DEFAULT_HEALTH_PORT;
    const host = args.pingHost ?? (args.pingPort !== undefined ? "0.0.0.0" : "127.0.0.1");
    const asked = host === "0.0.0.0" ? "127.0.0.1" : host;
    return { host, port, healthCheckUrl: healthCheck ? `http://${asked}:${port}/health` : undefined };
}

function checkBilling(args: DatomicTransactorArgs, problems: ArgumentProblems): string | undefined {
    if (args.adoptTable && args.billingMode === undefined) {
        // The adopted table's own mode and capacity are read at deployment.
        for (const key of ["readCapacity", "writeCapacity"] as const) {
            if (args[key] !== undefined) {
                problems.check(
                    key,
                    "needs billingMode with it; or leave both to the adopted table, whose settings are kept",
                );
            }
        }
        return undefined;
    }
    const billingMode = args.billingMode ?? "PAY_PER_REQUEST";
    if (!BILLING_MODES.includes(billingMode)) {
        problems.check(
            "billingMode",
            `"${billingMode}" is not a DynamoDB billing mode; use ${BILLING_MODES.join(" or ")}`,
        );
    }
    for (const key of ["readCapacity", "writeCapacity"] as const) {
        const capacity = args[key];
        if (billingMode === "PROVISIONED") {
            // An adopted provisioned table keeps the capacity it has unless one is given.
            if (capacity !== undefined || !args.adoptTable) {
                problems.check(
                    key,
                    capacity === undefined
                        ? `is required with billingMode "PROVISIONED"`
                        : positiveIntegerProblem(capacity),
                );
            }
        } else if (capacity !== undefined) {
            problems.check(key, `only applies with billingMode "PROVISIONED" (billingMode is "${billingMode}")`);
        }
    }
    return billingMode;
}
