/**
 * Checks on the arguments of a Datomic Pro transactor. Each function returns
 * why a value cannot be used (naming the value and what is allowed), or
 * `undefined` when it can; the component prefixes the argument's name.
 *
 * Sources: Datomic Pro release numbering (`<major>.<minor>.<build>`, e.g.
 * 1.0.7075, docs.datomic.com/releases-pro.html); the JVM's `-Xmx<size>` option;
 * DynamoDB's table naming rules (3 to 255 characters of a-z, A-Z, 0-9, `_`, `-`
 * and `.`, docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html);
 * IAM role names (at most 64 characters of letters, digits and `+=,.@_-`).
 */

/** The last Datomic Pro release that needs a license key; later releases are free (Apache 2.0). */
export const LAST_LICENSED_VERSION = "1.0.6711";

const VERSION_PATTERN = /^(\d+)\.(\d+)\.(\d+)$/;

/** Why `version` is not a Datomic Pro release number. */
export function datomicVersionProblem(version: string): string | undefined {
    return VERSION_PATTERN.test(version)
        ? undefined
        : `"${version}" is not a Datomic Pro release (expected <major>.<minor>.<build>, such as 1.0.7075)`;
}

/** True when `version` (a valid release number) is 1.0.6711 or older, and so needs a license key. */
export function needsLicenseKey(version: string): boolean {
    const parts = (v: string) => VERSION_PATTERN.exec(v)!.slice(1).map(Number);
    const [a, b] = [parts(version), parts(LAST_LICENSED_VERSION)];
    for (let i = 0; i < 3; i++) {
        if (a[i] !== b[i]) {
            return a[i] < b[i];
        }
    }
    return true;
}

/** Why `size` is not a JVM heap size of the form `<n>g` or `<n>m`. */
export function javaHeapSizeProblem(size: string): string | undefined {
    return /^[1-9][0-9]*[gm]$/.test(size)
        ? undefined
        : `"${size}" is not a heap size; use a whole number of gigabytes or megabytes such as "4g" or "2625m" (without "-Xmx")`;
}

/** Why `size` is not a Datomic memory setting such as `32m`, `512m` or `1g`. */
export function datomicMemorySizeProblem(size: string): string | undefined {
    return /^[1-9][0-9]*[kmg]?$/.test(size)
        ? undefined
        : `"${size}" is not a size; use a number of bytes with an optional k, m or g suffix, such as "256m"`;
}

/** Why `size` cannot be the transactor group's size. */
export function groupSizeProblem(size: number): string | undefined {
    return Number.isInteger(size) && size >= 1
        ? undefined
        : `${size} is not a usable group size; use a whole number of at least 1 (2 runs an active transactor and a standby)`;
}

/** Why `name` is not a DynamoDB table name. */
export function tableNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 255) {
        return `"${name}" is ${name.length} characters long; DynamoDB table names have 3 to 255`;
    }
    return /^[a-zA-Z0-9_.-]+$/.test(name)
        ? undefined
        : `"${name}" is not a DynamoDB table name: use only letters, digits, "_", "-" and "."`;
}

/** Why `name` is not an IAM role (and instance profile) name. */
export function roleNameProblem(name: string): string | undefined {
    return /^[\w+=,.@-]{1,64}$/.test(name)
        ? undefined
        : `"${name}" is not an IAM role name: 1 to 64 letters, digits and "+=,.@_-"`;
}

/** Why `name` cannot name a transactor system (it prefixes role, group and alarm names). */
export function systemNameProblem(name: string): string | undefined {
    return /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(name)
        ? undefined
        : `"${name}" cannot name a transactor: use 1 to 40 letters, digits and hyphens, starting with a letter or digit`;
}

/** Why `port` is not a TCP port. */
export function portProblem(port: number): string | undefined {
    return Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined : `${port} is not a TCP port (1 to 65535)`;
}

/** Why `value` is not a positive whole number. */
export function positiveIntegerProblem(value: number): string | undefined {
    return Number.isInteger(value) && value >= 1 ? undefined : `${value} is not a whole number of at least 1`;
}

/** Why `value` is not a lowercase hex SHA-256 digest. */
export function sha256Problem(value: string): string | undefined {
    return /^[0-9a-f]{64}$/.test(value)
        ? undefined
        : `"${value}" is not a SHA-256 digest (64 lowercase hexadecimal characters, as sha256sum prints)`;
}

/** Why `name` is not an SSM parameter name. */
export function parameterNameProblem(name: string): string | undefined {
    return /^\/?[a-zA-Z0-9_.\-/]{1,2047}$/.test(name) && !name.endsWith("/")
        ? undefined
        : `"${name}" is not an SSM parameter name (letters, digits and "_.-/", such as /datomic/license-key)`;
}

/** Instance types whose processors are AWS Graviton (arm64): `a1`, and families with a `g` after the generation. */
export function isArmInstanceType(instanceType: string): boolean {
    const family = instanceType.split(".")[0];
    return family === "a1" || /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family);
}

/** Why `id` is not an AMI id. */
export function amiIdProblem(id: string): string | undefined {
    return /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/.test(id)
        ? undefined
        : `"${id}" is not an AMI id (ami- and 8 or 17 hexadecimal digits, such as ami-0abcdef1234567890)`;
}
