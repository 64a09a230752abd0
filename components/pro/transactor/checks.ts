/**
 * The transactor's argument checks. Pure: each check adds the argument's name and its problem to a
 * {@link ArgumentProblems}, so one preview reports every bad argument at once.
 *
 * Sources for the limits: docs.datomic.com/operation/capacity.html (`write-concurrency` of at least 2),
 * docs.datomic.com/operation/ha.html (`heartbeat-interval-msec`: a standby takes over after two missed
 * heartbeats; intervals under a second are refused), docs.datomic.com/changes/pro.html (1.0.6726 is the
 * first release on the public download bucket; 1.0.6711 and older need a license key and came from
 * my.datomic.com with the account's credentials, e.g.
 * `https://my.datomic.com/repo/com/datomic/datomic-pro/<version>/datomic-pro-<version>.zip`).
 */
import { ingressCidrProblem } from "../../internal/cidr";
import { instanceTypeProblem } from "../../internal/instanceTypes";
import { DATOMIC_PRO_DOWNLOAD_URL } from "../datomicInstall";
import { ArgumentProblems } from "./argumentProblems";
import type { DatomicTransactorArgs } from "./args";
import { AL2023_AMI_PARAMETERS } from "./images";
import { extraPropertyProblem, secretPropertyProblem, TRANSACTOR_PORT } from "./properties";
import {
    amiIdProblem,
    datomicMemorySizeProblem,
    datomicVersionProblem,
    isArmInstanceType,
    javaHeapSizeProblem,
    LAST_LICENSED_VERSION,
    needsLicenseKey,
    parameterNameProblem,
    portProblem,
    positiveIntegerProblem,
    roleNameProblem,
    sha256Problem,
} from "../validation";

/** Datomic's smallest `write-concurrency` (docs.datomic.com/operation/capacity.html). */
export const MIN_WRITE_CONCURRENCY = 2;
/** The shortest `heartbeat-interval-msec` accepted (docs.datomic.com/operation/ha.html). */
export const MIN_HEARTBEAT_INTERVAL_MSEC = 1000;

/** Why `value` is not a whole number of at least `minimum`. */
function atLeastProblem(value: number, minimum: number, why: string): string | undefined {
    return Number.isInteger(value) && value >= minimum
        ? undefined
        : `${value} is not a whole number of at least ${minimum} (${why})`;
}

/**
 * The VPC, the subnets and the instance type, when they are plain values (an Output is checked once it
 * is known, see inputChecks.ts).
 */
export function checkPlacement(args: DatomicTransactorArgs, instanceType: string, problems: ArgumentProblems): void {
    if (typeof args.vpcId === "string") {
        problems.check("vpcId", vpcIdProblem(args.vpcId));
    }
    if (Array.isArray(args.subnetIds)) {
        problems.check(
            "subnetIds",
            subnetIdsProblem(
                args.subnetIds.filter((id) => typeof id === "string"),
                args.subnetIds.length,
            ),
        );
    }
    problems.check("instanceType", instanceTypeProblem(instanceType));
}

/** Why `vpcId` cannot place the transactors. */
export function vpcIdProblem(vpcId: string): string | undefined {
    return vpcId.trim() === ""
        ? `"${vpcId}" is empty; give the id of the VPC the transactors run in (vpc-...)`
        : undefined;
}

/** Why a subnet list of `count` items, whose plain items are `plainIds`, cannot hold the group. */
export function subnetIdsProblem(plainIds: readonly string[], count: number): string | undefined {
    if (count === 0) {
        return "is empty; give at least one subnet (two in different availability zones for an active transactor and a standby)";
    }
    const blank = plainIds.find((id) => id.trim() === "");
    return blank === undefined ? undefined : `contains the empty id "${blank}"; give subnet ids (subnet-...)`;
}

/**
 * The release, its checksum, the license key and where the zip is downloaded from. A release that needs a
 * license key was never on the public bucket: without a `downloadUrl` its instances would fail the download
 * at every boot and the group would replace them forever.
 */
export function checkRelease(args: DatomicTransactorArgs, problems: ArgumentProblems): void {
    const versionProblem = datomicVersionProblem(args.version);
    problems.check("version", versionProblem);
    if (args.sha256 !== undefined) {
        problems.check("sha256", sha256Problem(args.sha256));
    }
    const licensed = versionProblem === undefined && needsLicenseKey(args.version);
    if (args.licenseKeyParameterName !== undefined) {
        problems.check("licenseKeyParameterName", parameterNameProblem(args.licenseKeyParameterName));
    } else if (licensed) {
        problems.check(
            "licenseKeyParameterName",
            `is required for version ${args.version}: releases up to ${LAST_LICENSED_VERSION} need a license key; store it as an SSM SecureString and name the parameter here`,
        );
    }
    if (args.downloadUrl !== undefined) {
        problems.check("downloadUrl", downloadUrlProblem(args.downloadUrl));
        if (licensed && args.downloadUrl.replace(/\/+$/, "") === DATOMIC_PRO_DOWNLOAD_URL) {
            problems.check(
                "downloadUrl",
                `"${args.downloadUrl}" is the public bucket, which never had version ${args.version}; releases up to ${LAST_LICENSED_VERSION} come from the repository you licensed them from`,
            );
        }
    } else if (licensed) {
        problems.check(
            "downloadUrl",
            `is required for version ${args.version}: releases up to ${LAST_LICENSED_VERSION} were never on the public bucket ${DATOMIC_PRO_DOWNLOAD_URL}; give the repository you download them from, such as https://my.datomic.com/repo/com/datomic/datomic-pro (with downloadCredentialsParameterName), or choose 1.0.6726 or later`,
        );
    }
    if (args.downloadCredentialsParameterName !== undefined) {
        problems.check("downloadCredentialsParameterName", parameterNameProblem(args.downloadCredentialsParameterName));
        if (args.downloadUrl === undefined) {
            problems.check(
                "downloadCredentialsParameterName",
                `needs downloadUrl: the public bucket ${DATOMIC_PRO_DOWNLOAD_URL} takes no credentials`,
            );
        }
    }
}

/** Why `url` cannot be where `<url>/<version>/datomic-pro-<version>.zip` is downloaded from. */
export function downloadUrlProblem(url: string): string | undefined {
    // Never repeat what may hold a password.
    const shown = url.includes("@") ? "the value (not repeated: it may hold credentials)" : `"${url}"`;
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return `${shown} is not a URL; give the https URL under which <version>/datomic-pro-<version>.zip is found`;
    }
    if (parsed.username !== "" || parsed.password !== "") {
        return `"${parsed.protocol}//${parsed.host}${parsed.pathname}" carries credentials, which would be written into user data; store "<user>:<password>" as an SSM SecureString and name it in downloadCredentialsParameterName`;
    }
    if (parsed.protocol !== "https:") {
        return `${shown} is not an https URL; the release (and any credentials) must travel over TLS`;
    }
    if (parsed.search !== "" || parsed.hash !== "") {
        return `${shown} has a query or fragment; give the base URL under which <version>/datomic-pro-<version>.zip is found`;
    }
    return undefined;
}

/** One AMI, chosen deliberately: pinned, or followed visibly through a parameter. */
export function checkImage(args: DatomicTransactorArgs, instanceType: string, problems: ArgumentProblems): void {
    const architecture = isArmInstanceType(instanceType) ? "arm64" : "x86_64";
    if (args.amiId === undefined && args.amiParameterName === undefined) {
        problems.check(
            "amiId",
            `is required: pin the transactor's image (find the current Amazon Linux 2023 one with "aws ssm get-parameter --name ${AL2023_AMI_PARAMETERS[architecture]} --query Parameter.Value --output text"), or set amiParameterName to follow that parameter visibly`,
        );
    }
    if (args.amiId !== undefined && args.amiParameterName !== undefined) {
        problems.check(
            "amiParameterName",
            "cannot be combined with amiId; pin the image or follow a parameter, not both",
        );
    }
    if (typeof args.amiId === "string") {
        problems.check("amiId", amiIdProblem(args.amiId));
    }
    if (args.amiParameterName !== undefined) {
        problems.check("amiParameterName", parameterNameProblem(args.amiParameterName));
        const other = architecture === "arm64" ? "x86_64" : "arm64";
        if (args.amiParameterName === AL2023_AMI_PARAMETERS[other]) {
            problems.check(
                "amiParameterName",
                `"${args.amiParameterName}" names ${other} images, but ${instanceType} is ${architecture}; use ${AL2023_AMI_PARAMETERS[architecture]}`,
            );
        }
    }
}

/** Explicit role names: valid IAM names, and not the same role twice. */
export function checkRoleNames(args: DatomicTransactorArgs, problems: ArgumentProblems): void {
    for (const key of ["transactorRoleName", "peerRoleName"] as const) {
        const name = args[key];
        if (name !== undefined) {
            problems.check(key, roleNameProblem(name));
        }
    }
    if (args.peerRoleName !== undefined && args.peerRoleName === args.transactorRoleName) {
        problems.check(
            "peerRoleName",
            `"${args.peerRoleName}" is also the transactor role; peers get a role of their own`,
        );
    }
}

/** Peer CIDRs and security group ids, deduplicated. */
export function checkIngress(
    args: DatomicTransactorArgs,
    problems: ArgumentProblems,
): { peerCidrs: string[]; peerSecurityGroupIds: string[] } {
    const peerCidrs = [...new Set(args.peerCidrs ?? [])];
    for (const cidr of peerCidrs) {
        problems.check(
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
            problems.check(
                "peerSecurityGroupIds",
                `"${groupId}" is not a security group id (sg- and 8 or 17 hex digits); name groups in peerSecurityGroupNames`,
            );
        }
    }
    return { peerCidrs, peerSecurityGroupIds };
}

/** The transactor properties and the JVM settings. */
export function checkProperties(args: DatomicTransactorArgs, problems: ArgumentProblems): void {
    if (args.javaXmx !== undefined) {
        problems.check("javaXmx", javaHeapSizeProblem(args.javaXmx));
    }
    for (const [key, value] of [
        ["memoryIndexThreshold", args.memoryIndexThreshold],
        ["memoryIndexMax", args.memoryIndexMax],
        ["objectCacheMax", args.objectCacheMax],
    ] as const) {
        if (value !== undefined) {
            problems.check(key, datomicMemorySizeProblem(value));
        }
    }
    if (args.writeConcurrency !== undefined) {
        problems.check(
            "writeConcurrency",
            atLeastProblem(args.writeConcurrency, MIN_WRITE_CONCURRENCY, "Datomic's minimum write-concurrency"),
        );
    }
    if (args.heartbeatIntervalMsec !== undefined) {
        problems.check(
            "heartbeatIntervalMsec",
            atLeastProblem(
                args.heartbeatIntervalMsec,
                MIN_HEARTBEAT_INTERVAL_MSEC,
                "a shorter heartbeat fails over on a GC pause or a network blip; Datomic's default is 5000",
            ),
        );
    }
    for (const [key, value] of [
        ["readConcurrency", args.readConcurrency],
        ["valcacheMaxGb", args.valcacheMaxGb],
        ["logExpirationDays", args.logExpirationDays],
    ] as const) {
        if (value !== undefined) {
            problems.check(key, positiveIntegerProblem(value));
        }
    }
    if (args.pingPort !== undefined) {
        problems.check("pingPort", portProblem(args.pingPort));
        if (args.pingPort === TRANSACTOR_PORT) {
            problems.check("pingPort", `${TRANSACTOR_PORT} is the transactor's own port; choose another, such as 9999`);
        }
    }
    if (args.pingHost !== undefined && !/^[A-Za-z0-9.-]+$/.test(args.pingHost)) {
        problems.check("pingHost", `"${args.pingHost}" is not a host name or IPv4 address`);
    }
    if (args.altHost !== undefined) {
        if (!/^[A-Za-z0-9.:-]+$/.test(args.altHost)) {
            problems.check("altHost", `"${args.altHost}" is not a host name or address`);
        }
        if (args.altHostIsPublicIp) {
            problems.check("altHostIsPublicIp", "cannot be combined with altHost; choose one alt-host");
        }
    }
    if (args.memcached !== undefined && !/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*$/.test(args.memcached)) {
        problems.check(
            "memcached",
            `"${args.memcached}" is not a list of host:port pairs such as "mc-1:11211,mc-2:11211"`,
        );
    }
    if (args.jrePackage !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(args.jrePackage)) {
        problems.check("jrePackage", `"${args.jrePackage}" is not a dnf package name`);
    }
    for (const key of Object.keys(args.extraProperties ?? {})) {
        problems.check("extraProperties", extraPropertyProblem(key));
    }
    for (const [key, parameterName] of Object.entries(args.secretProperties ?? {})) {
        problems.check("secretProperties", secretPropertyProblem(key));
        if (args.extraProperties?.[key] !== undefined) {
            problems.check("secretProperties", `"${key}" is also in extraProperties; give it in one place`);
        }
        problems.check(`secretProperties["${key}"]`, parameterNameProblem(parameterName));
    }
}
