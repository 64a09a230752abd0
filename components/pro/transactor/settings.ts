/**
 * The transactor's arguments checked and resolved into settings, before anything is created. Pure:
 * a bad argument throws {@link TransactorArgumentError}, which the component turns into a
 * `pulumi.ResourceError`.
 */
import { ingressCidrProblem } from "../../internal/cidr";
import type { DatomicTransactorArgs } from "./args";
import { AL2023_AMI_PARAMETERS } from "./images";
import {
    DEFAULT_MEMORY_INDEX_MAX,
    DEFAULT_MEMORY_INDEX_THRESHOLD,
    DEFAULT_OBJECT_CACHE_MAX,
    extraPropertyProblem,
    secretPropertyProblem,
    TRANSACTOR_PORT,
    TransactorPropertiesSettings,
} from "./properties";
import {
    amiIdProblem,
    datomicMemorySizeProblem,
    isArmInstanceType,
    datomicVersionProblem,
    groupSizeProblem,
    javaHeapSizeProblem,
    LAST_LICENSED_VERSION,
    needsLicenseKey,
    parameterNameProblem,
    portProblem,
    positiveIntegerProblem,
    roleNameProblem,
    sha256Problem,
    systemNameProblem,
    tableNameProblem,
} from "../validation";

/** An argument that cannot be used: the message starts with the argument's name. */
export class TransactorArgumentError extends Error {
    constructor(
        public readonly argument: string,
        problem: string,
    ) {
        super(`${argument}: ${problem}`);
        this.name = "TransactorArgumentError";
    }
}

const DEFAULT_INSTANCE_TYPE = "m6i.large";
const DEFAULT_GROUP_SIZE = 2;
const DEFAULT_WARMUP_SECONDS = 300;
const DEFAULT_ROOT_VOLUME_GB = 20;
const BILLING_MODES = ["PAY_PER_REQUEST", "PROVISIONED"];
/** The health endpoint's port when only the health check needs it (Datomic's documented example). */
const DEFAULT_HEALTH_PORT = 9999;

/** The checked arguments, with every default filled in. */
export interface TransactorSettings {
    systemName: string;
    /** The Auto Scaling group's and launch template's name, and the instances' `Name` tag. */
    groupName: string;
    tableName: string;
    /** Unset when an adopted table keeps its own billing mode. */
    billingMode?: string;
    protectStorage: boolean;
    transactorRoleName: string;
    peerRoleName: string;
    logBucket: boolean;
    securityGroupName: string;
    peerSecurityGroupIds: string[];
    peerSecurityGroupNames: string[];
    peerCidrs: string[];
    instanceType: string;
    groupSize: number;
    warmupSeconds: number;
    rootVolumeSizeGb: number;
    cloudWatchMetrics: boolean;
    cloudWatchDimensionValue: string;
    alarms: boolean;
    /** Properties read from SSM SecureStrings at boot, the license key included: property to parameter name. */
    secretParameters: Record<string, string>;
    /** The health endpoint the instance's watcher asks, when the health check is on. */
    healthCheckUrl?: string;
    /** The properties file's settings, apart from those known only at deployment (region, bucket). */
    properties: Omit<TransactorPropertiesSettings, "region">;
}

function check(argument: string, problem: string | undefined): void {
    if (problem) {
        throw new TransactorArgumentError(argument, problem);
    }
}

/** Checks every argument and resolves the defaults; throws {@link TransactorArgumentError} on the first problem. */
export function resolveTransactorSettings(systemName: string, args: DatomicTransactorArgs): TransactorSettings {
    check("systemName", systemNameProblem(systemName));
    check("version", datomicVersionProblem(args.version));
    if (args.sha256 !== undefined) {
        check("sha256", sha256Problem(args.sha256));
    }
    if (args.licenseKeyParameterName !== undefined) {
        check("licenseKeyParameterName", parameterNameProblem(args.licenseKeyParameterName));
    } else if (needsLicenseKey(args.version)) {
        check(
            "licenseKeyParameterName",
            `is required for version ${args.version}: releases up to ${LAST_LICENSED_VERSION} need a license key; store it as an SSM SecureString and name the parameter here`,
        );
    }
    if (args.javaXmx !== undefined) {
        check("javaXmx", javaHeapSizeProblem(args.javaXmx));
    }
    const groupSize = args.groupSize ?? DEFAULT_GROUP_SIZE;
    check("groupSize", groupSizeProblem(groupSize));
    const warmupSeconds = args.instanceWarmupSeconds ?? DEFAULT_WARMUP_SECONDS;
    check("instanceWarmupSeconds", positiveIntegerProblem(warmupSeconds));
    const rootVolumeSizeGb = args.rootVolumeSizeGb ?? DEFAULT_ROOT_VOLUME_GB;
    check("rootVolumeSizeGb", positiveIntegerProblem(rootVolumeSizeGb));
    const instanceType = args.instanceType ?? DEFAULT_INSTANCE_TYPE;
    checkImage(args, instanceType);

    const tableName = args.tableName ?? systemName;
    check("tableName", tableNameProblem(tableName));
    const billingMode = checkBilling(args);

    const transactorRoleName = args.transactorRoleName ?? `${systemName}-transactor`;
    const peerRoleName = args.peerRoleName ?? `${systemName}-peer`;
    check("transactorRoleName", roleNameProblem(transactorRoleName));
    check("peerRoleName", roleNameProblem(peerRoleName));
    if (transactorRoleName === peerRoleName) {
        check("peerRoleName", `"${peerRoleName}" is also the transactor role; peers get a role of their own`);
    }

    const { peerCidrs, peerSecurityGroupIds } = checkIngress(args);
    checkProperties(args);

    const cloudWatchMetrics = args.cloudWatchMetrics ?? true;
    const alarms = args.alarms ?? true;
    if (alarms && !cloudWatchMetrics) {
        check("alarms", "need the transactor's CloudWatch metrics; set cloudWatchMetrics: true or alarms: false");
    }
    const cloudWatchDimensionValue = args.cloudWatchDimensionValue ?? systemName;
    const ping = resolvePing(args);

    return {
        systemName,
        groupName: `${systemName}-transactor`,
        tableName,
        billingMode,
        protectStorage: args.protectStorage ?? true,
        transactorRoleName,
        peerRoleName,
        logBucket: (args.logBucket ?? false) || args.logBucketName !== undefined,
        securityGroupName: args.securityGroupName ?? `${systemName}-transactor`,
        peerSecurityGroupIds,
        peerSecurityGroupNames: [...new Set(args.peerSecurityGroupNames ?? [])],
        peerCidrs,
        instanceType,
        groupSize,
        warmupSeconds,
        rootVolumeSizeGb,
        cloudWatchMetrics,
        cloudWatchDimensionValue,
        alarms,
        healthCheckUrl: ping.healthCheckUrl,
        secretParameters: {
            ...(args.licenseKeyParameterName !== undefined ? { "license-key": args.licenseKeyParameterName } : {}),
            ...args.secretProperties,
        },
        properties: {
            tableName,
            transactorRoleName,
            peerRoleName,
            memoryIndexThreshold: args.memoryIndexThreshold ?? DEFAULT_MEMORY_INDEX_THRESHOLD,
            memoryIndexMax: args.memoryIndexMax ?? DEFAULT_MEMORY_INDEX_MAX,
            objectCacheMax: args.objectCacheMax ?? DEFAULT_OBJECT_CACHE_MAX,
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

/** One AMI, chosen deliberately: pinned, or followed visibly through a parameter. */
function checkImage(args: DatomicTransactorArgs, instanceType: string): void {
    const architecture = isArmInstanceType(instanceType) ? "arm64" : "x86_64";
    if (args.amiId === undefined && args.amiParameterName === undefined) {
        check(
            "amiId",
            `is required: pin the transactor's image (find the current Amazon Linux 2023 one with "aws ssm get-parameter --name ${AL2023_AMI_PARAMETERS[architecture]} --query Parameter.Value --output text"), or set amiParameterName to follow that parameter visibly`,
        );
    }
    if (args.amiId !== undefined && args.amiParameterName !== undefined) {
        check("amiParameterName", "cannot be combined with amiId; pin the image or follow a parameter, not both");
    }
    if (typeof args.amiId === "string") {
        check("amiId", amiIdProblem(args.amiId));
    }
    if (args.amiParameterName !== undefined) {
        check("amiParameterName", parameterNameProblem(args.amiParameterName));
        const other = architecture === "arm64" ? "x86_64" : "arm64";
        if (args.amiParameterName === AL2023_AMI_PARAMETERS[other]) {
            check(
                "amiParameterName",
                `"${args.amiParameterName}" names ${other} images, but ${instanceType} is ${architecture}; use ${AL2023_AMI_PARAMETERS[architecture]}`,
            );
        }
    }
}

function checkBilling(args: DatomicTransactorArgs): string | undefined {
    if (args.adoptTable && args.billingMode === undefined) {
        // The adopted table's own mode and capacity are read at deployment.
        for (const key of ["readCapacity", "writeCapacity"] as const) {
            if (args[key] !== undefined) {
                check(key, "needs billingMode with it; or leave both to the adopted table, whose settings are kept");
            }
        }
        return undefined;
    }
    const billingMode = args.billingMode ?? "PAY_PER_REQUEST";
    if (!BILLING_MODES.includes(billingMode)) {
        check("billingMode", `"${billingMode}" is not a DynamoDB billing mode; use ${BILLING_MODES.join(" or ")}`);
    }
    for (const key of ["readCapacity", "writeCapacity"] as const) {
        const capacity = args[key];
        if (billingMode === "PROVISIONED") {
            // An adopted provisioned table keeps the capacity it has unless one is given.
            if (capacity !== undefined || !args.adoptTable) {
                check(
                    key,
                    capacity === undefined
                        ? `is required with billingMode "PROVISIONED"`
                        : positiveIntegerProblem(capacity),
                );
            }
        } else if (capacity !== undefined) {
            check(key, `only applies with billingMode "PROVISIONED" (billingMode is "${billingMode}")`);
        }
    }
    return billingMode;
}

function checkIngress(args: DatomicTransactorArgs): { peerCidrs: string[]; peerSecurityGroupIds: string[] } {
    const peerCidrs = [...new Set(args.peerCidrs ?? [])];
    for (const cidr of peerCidrs) {
        check(
            "peerCidrs",
            ingressCidrProblem(cidr, {
                allowPublic: args.allowPublicIngress ?? false,
                allowFlag: "allowPublicIngress",
                exposure: `opens the transactor port ${TRANSACTOR_PORT} to the whole internet`,
                sources: "your peers'",
            }),
        );
    }
    const peerSecurityGroupIds = [...new Set(args.peerSecurityGroupIds ?? [])];
    for (const groupId of peerSecurityGroupIds) {
        if (!/^sg-[0-9a-f]{8,17}$/.test(groupId)) {
            check(
                "peerSecurityGroupIds",
                `"${groupId}" is not a security group id (sg- and 8 or 17 hex digits); name groups in peerSecurityGroupNames`,
            );
        }
    }
    return { peerCidrs, peerSecurityGroupIds };
}

function checkProperties(args: DatomicTransactorArgs): void {
    for (const [key, value] of [
        ["memoryIndexThreshold", args.memoryIndexThreshold],
        ["memoryIndexMax", args.memoryIndexMax],
        ["objectCacheMax", args.objectCacheMax],
    ] as const) {
        if (value !== undefined) {
            check(key, datomicMemorySizeProblem(value));
        }
    }
    for (const [key, value] of [
        ["writeConcurrency", args.writeConcurrency],
        ["readConcurrency", args.readConcurrency],
        ["heartbeatIntervalMsec", args.heartbeatIntervalMsec],
        ["valcacheMaxGb", args.valcacheMaxGb],
        ["logExpirationDays", args.logExpirationDays],
    ] as const) {
        if (value !== undefined) {
            check(key, positiveIntegerProblem(value));
        }
    }
    if (args.pingPort !== undefined) {
        check("pingPort", portProblem(args.pingPort));
        if (args.pingPort === TRANSACTOR_PORT) {
            check("pingPort", `${TRANSACTOR_PORT} is the transactor's own port; choose another, such as 9999`);
        }
    }
    if (args.pingHost !== undefined && !/^[A-Za-z0-9.-]+$/.test(args.pingHost)) {
        check("pingHost", `"${args.pingHost}" is not a host name or IPv4 address`);
    }
    if (args.altHost !== undefined) {
        if (!/^[A-Za-z0-9.:-]+$/.test(args.altHost)) {
            check("altHost", `"${args.altHost}" is not a host name or address`);
        }
        if (args.altHostIsPublicIp) {
            check("altHostIsPublicIp", "cannot be combined with altHost; choose one alt-host");
        }
    }
    if (args.memcached !== undefined && !/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*$/.test(args.memcached)) {
        check("memcached", `"${args.memcached}" is not a list of host:port pairs such as "mc-1:11211,mc-2:11211"`);
    }
    if (args.jrePackage !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(args.jrePackage)) {
        check("jrePackage", `"${args.jrePackage}" is not a dnf package name`);
    }
    for (const key of Object.keys(args.extraProperties ?? {})) {
        check("extraProperties", extraPropertyProblem(key));
    }
    for (const [key, parameterName] of Object.entries(args.secretProperties ?? {})) {
        check("secretProperties", secretPropertyProblem(key));
        if (args.extraProperties?.[key] !== undefined) {
            check("secretProperties", `"${key}" is also in extraProperties; give it in one place`);
        }
        check(`secretProperties["${key}"]`, parameterNameProblem(parameterName));
    }
}
