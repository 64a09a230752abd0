/**
 * Bash fragments shared by the user data of the transactor (transactor/userData.ts) and of DatomicBackup's runs
 * (backup/scripts.ts): install a JRE and check that it runs, download and unpack the Datomic Pro zip
 * (its SHA-256 checked when given), and size the heap. They expect the variables `JRE_PACKAGE`,
 * `DATOMIC_VERSION`, `DATOMIC_SHA256`, `JAVA_XMX`, `download_url`, `install_root`, `meminfo` and a
 * `log` function; they set `zip_path`, `distribution` and `heap`. Any failure exits non-zero, for
 * the script's EXIT trap to handle. The download bucket, the metadata endpoint, the user-data size limit
 * and shell quoting are shared here too.
 */

/** The settings the install steps read. */
export interface DatomicInstallSettings {
    readonly version: string;
    readonly sha256?: string;
    readonly region: string;
    readonly jrePackage: string;
    readonly javaXmx?: string;
}

/** The script constants the install steps expect, as name and value, for a script's `readonly` block. */
export function installConstants(settings: DatomicInstallSettings): [string, string][] {
    return [
        ["DATOMIC_VERSION", settings.version],
        ["DATOMIC_SHA256", settings.sha256 ?? ""],
        ["AWS_REGION_NAME", settings.region],
        ["JRE_PACKAGE", settings.jrePackage],
        ["JAVA_XMX", settings.javaXmx ?? ""],
    ];
}

/** The share of the instance's memory given to the heap when no `javaXmx` is set (ensure-cf's default). */
export const DEFAULT_HEAP_PERCENT = 70;

/** Defines `curl_retry`: retries, and a connection that never opens fails instead of hanging. */
export const CURL_RETRY_LINE = `curl_retry=(--retry "\${DATOMIC_CURL_RETRIES:-5}" --connect-timeout "\${DATOMIC_CURL_CONNECT_TIMEOUT_SECONDS:-10}")`;

/** Installs `JRE_PACKAGE` and the other dnf packages, then checks that `java` runs. */
export function installJre(otherPackages: string[]): string {
    return `log "installing \${JRE_PACKAGE}"
dnf install -y "\${JRE_PACKAGE}" ${otherPackages.join(" ")}
if ! java -version; then
    log "java from \${JRE_PACKAGE} does not run"
    exit 1
fi`;
}

/**
 * Downloads and unpacks the release into `install_root`; `binary` (e.g. `bin/transactor`) must be in it.
 * `curlOptions` are extra curl words, such as an array expansion holding `--config <file>` with credentials.
 */
export function installDatomic(binary: string, curlOptions = ""): string {
    return `log "downloading Datomic Pro \${DATOMIC_VERSION}"
zip_path="$(mktemp)"
curl -fsSL "\${curl_retry[@]}" ${curlOptions ? `${curlOptions} ` : ""}-o "\${zip_path}" "\${download_url}/\${DATOMIC_VERSION}/datomic-pro-\${DATOMIC_VERSION}.zip"
if [[ -n "\${DATOMIC_SHA256}" ]] && ! printf '%s  %s\\n' "\${DATOMIC_SHA256}" "\${zip_path}" | sha256sum --check --status; then
    log "datomic-pro-\${DATOMIC_VERSION}.zip does not have the expected SHA-256 \${DATOMIC_SHA256}"
    exit 1
fi
mkdir -p "\${install_root}"
unzip -q -o "\${zip_path}" -d "\${install_root}"
distribution="\${install_root}/datomic-pro-\${DATOMIC_VERSION}"
if [[ ! -x "\${distribution}/${binary}" ]]; then
    log "the zip has no datomic-pro-\${DATOMIC_VERSION}/${binary}"
    exit 1
fi`;
}

/** Sets \`heap\`: \`JAVA_XMX\`, or {@link DEFAULT_HEAP_PERCENT}% of the instance's memory. */
export function heapSize(): string {
    return `if [[ -n "\${JAVA_XMX}" ]]; then
    heap="\${JAVA_XMX}"
else
    memory_kb="$(awk '/^MemTotal:/ { print $2 }' "\${meminfo}")"
    heap="$((memory_kb * ${DEFAULT_HEAP_PERCENT} / 100 / 1024))m"
fi`;
}

/** Where Datomic Pro releases are published (docs.datomic.com/setup/pro-setup.html). */
export const DATOMIC_PRO_DOWNLOAD_URL = "https://datomic-pro-downloads.s3.amazonaws.com";

/** The instance metadata service. */
export const IMDS_URL = "http://169.254.169.254";

/** EC2 user data may be at most 16 KB before base64 encoding. */
export const USER_DATA_MAX_BYTES = 16384;

/** `value` as one single-quoted shell word. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
