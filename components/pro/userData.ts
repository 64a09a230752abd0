/**
 * The EC2 user data of a transactor instance (Amazon Linux 2023): a bash
 * script that installs a JRE and Datomic Pro, writes the transactor
 * properties and runs the transactor under systemd. When the transactor
 * exits, for whatever reason, the unit's `ExecStopPost=` powers the instance
 * off; the launch template makes an instance-initiated shutdown terminate the
 * instance, and the Auto Scaling group launches a replacement. This is what
 * the CloudFormation template of `bin/datomic create-cf-template` did with
 * `bin/transactor ...; shutdown -h now`, kept under systemd so the process is
 * supervised and logged to the journal.
 *
 * `ExecStopPost=` (rather than `OnFailure=`) because a transactor that exits
 * with status 0 must be replaced too; the `+` prefix runs it with full
 * privileges although the service runs as an unprivileged user
 * (systemd.service(5), "ExecStopPost=" and the executable prefixes table).
 *
 * The instance's private IP comes from the instance metadata service with an
 * IMDSv2 session token (a PUT to /latest/api/token, then GETs with the token;
 * docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html).
 * The license key, when the release needs one, is read at boot from SSM
 * Parameter Store, so no secret is ever part of the user data.
 *
 * Endpoints, paths and the service user come from environment variables when
 * set (`DATOMIC_IMDS_URL`, `DATOMIC_DOWNLOAD_URL`, `DATOMIC_INSTALL_ROOT`,
 * `DATOMIC_CONFIG_DIR`, `DATOMIC_UNIT_DIR`, `DATOMIC_MEMINFO`,
 * `DATOMIC_SYSTEMCTL`, `DATOMIC_SERVICE_USER`), with the production values as
 * defaults, so tests run the script against fakes.
 */

/** Where Datomic Pro releases are published (docs.datomic.com/setup/pro-setup.html). */
export const DATOMIC_PRO_DOWNLOAD_URL = "https://datomic-pro-downloads.s3.amazonaws.com";

/** The instance metadata service. */
export const IMDS_URL = "http://169.254.169.254";

/** The systemd unit the script installs. */
export const TRANSACTOR_UNIT = "datomic-transactor.service";

/** EC2 user data may be at most 16 KB before base64 encoding. */
export const USER_DATA_MAX_BYTES = 16384;

/** The share of the instance's memory given to the heap when no `javaXmx` is set (ensure-cf's default). */
export const DEFAULT_HEAP_PERCENT = 70;

/** What the script needs to know. */
export interface TransactorUserDataSettings {
    version: string;
    /** SHA-256 of the release zip; verified when given. */
    sha256?: string;
    /** The region, for reading the license key parameter. */
    region: string;
    /** Properties rendered by `renderTransactorProperties`; written after `host`, `alt-host` and `license-key`. */
    propertiesText: string;
    /** `-Xms`/`-Xmx`, e.g. `4g`; when absent, {@link DEFAULT_HEAP_PERCENT}% of the instance's memory. */
    javaXmx?: string;
    /** `JAVA_OPTS` for bin/transactor. */
    javaOpts?: string;
    /** The dnf package of the JRE. */
    jrePackage: string;
    /** SSM SecureString parameter holding the license key (releases 1.0.6711 and older). */
    licenseKeyParameterName?: string;
    /** A fixed `alt-host`. */
    altHost?: string;
    /** Use the instance's public IP as `alt-host`, as the create-cf-template user data did. */
    altHostIsPublicIp?: boolean;
}

const PROPERTIES_DELIMITER = "DATOMIC_PROPERTIES";

/** The user data script, as text (the launch template takes it base64-encoded). */
export function renderTransactorUserData(settings: TransactorUserDataSettings): string {
    if (settings.propertiesText.split("\n").includes(PROPERTIES_DELIMITER)) {
        throw new Error(
            `the properties contain the line "${PROPERTIES_DELIMITER}", which ends the script's here-document`,
        );
    }
    const constants: [string, string][] = [
        ["DATOMIC_VERSION", settings.version],
        ["DATOMIC_SHA256", settings.sha256 ?? ""],
        ["AWS_REGION_NAME", settings.region],
        ["JRE_PACKAGE", settings.jrePackage],
        ["JAVA_XMX", settings.javaXmx ?? ""],
        ["JAVA_OPTS_VALUE", settings.javaOpts ?? ""],
        ["LICENSE_KEY_PARAMETER", settings.licenseKeyParameterName ?? ""],
        ["ALT_HOST", settings.altHost ?? ""],
        ["ALT_HOST_PUBLIC_IP", settings.altHostIsPublicIp ? "true" : "false"],
    ];
    return `#!/bin/bash
# Datomic Pro transactor bootstrap for Amazon Linux 2023, rendered by pulumi-datomic (datomic:pro:Transactor).
# Installs a JRE and Datomic Pro, writes the transactor properties and runs the transactor
# under systemd; when the transactor exits the instance powers off and its group replaces it.
set -euo pipefail

# The settings, quoted literally ("$" in JAVA_OPTS is not meant to expand here).
# shellcheck disable=SC2016
readonly \\
${constants.map(([name, value]) => `    ${name}=${shellQuote(value)}`).join(" \\\n")}

# Production endpoints and paths; tests point them at fakes.
imds_url="\${DATOMIC_IMDS_URL:-${IMDS_URL}}"
download_url="\${DATOMIC_DOWNLOAD_URL:-${DATOMIC_PRO_DOWNLOAD_URL}}"
install_root="\${DATOMIC_INSTALL_ROOT:-/opt/datomic}"
config_dir="\${DATOMIC_CONFIG_DIR:-/etc/datomic}"
unit_dir="\${DATOMIC_UNIT_DIR:-/etc/systemd/system}"
meminfo="\${DATOMIC_MEMINFO:-/proc/meminfo}"
systemctl_path="\${DATOMIC_SYSTEMCTL:-/usr/bin/systemctl}"
service_user="\${DATOMIC_SERVICE_USER:-datomic}"

log() { printf 'datomic-bootstrap: %s\\n' "$*" >&2; }

log "installing \${JRE_PACKAGE}"
dnf install -y "\${JRE_PACKAGE}" unzip
id -u "\${service_user}" >/dev/null 2>&1 ||
    useradd --system --home-dir "\${install_root}" --shell /sbin/nologin "\${service_user}"

log "downloading Datomic Pro \${DATOMIC_VERSION}"
zip_path="$(mktemp)"
trap 'rm -f "\${zip_path}"' EXIT
curl -fsSL --retry 5 -o "\${zip_path}" "\${download_url}/\${DATOMIC_VERSION}/datomic-pro-\${DATOMIC_VERSION}.zip"
if [[ -n "\${DATOMIC_SHA256}" ]] && ! printf '%s  %s\\n' "\${DATOMIC_SHA256}" "\${zip_path}" | sha256sum --check --status; then
    log "datomic-pro-\${DATOMIC_VERSION}.zip does not have the expected SHA-256 \${DATOMIC_SHA256}"
    exit 1
fi
mkdir -p "\${install_root}"
unzip -q -o "\${zip_path}" -d "\${install_root}"
distribution="\${install_root}/datomic-pro-\${DATOMIC_VERSION}"
if [[ ! -x "\${distribution}/bin/transactor" ]]; then
    log "the zip has no datomic-pro-\${DATOMIC_VERSION}/bin/transactor"
    exit 1
fi
ln -sfn "\${distribution}" "\${install_root}/current"
chown -R "\${service_user}" "\${distribution}"

imds_token="$(curl -fsS --retry 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "\${imds_url}/latest/api/token")"
metadata() {
    curl -fsS --retry 5 -H "X-aws-ec2-metadata-token: \${imds_token}" "\${imds_url}/latest/meta-data/$1"
}
host="$(metadata local-ipv4)"
alt_host="\${ALT_HOST}"
if [[ "\${ALT_HOST_PUBLIC_IP}" == true ]]; then
    alt_host="$(metadata public-ipv4)"
fi

if [[ -n "\${JAVA_XMX}" ]]; then
    heap="\${JAVA_XMX}"
else
    memory_kb="$(awk '/^MemTotal:/ { print $2 }' "\${meminfo}")"
    heap="$((memory_kb * ${DEFAULT_HEAP_PERCENT} / 100 / 1024))m"
fi

log "writing the transactor properties (host \${host})"
mkdir -p "\${config_dir}"
properties="\${config_dir}/transactor.properties"
(
    umask 077
    {
        printf 'host=%s\\n' "\${host}"
        if [[ -n "\${alt_host}" ]]; then
            printf 'alt-host=%s\\n' "\${alt_host}"
        fi
        if [[ -n "\${LICENSE_KEY_PARAMETER}" ]]; then
            license_key="$(aws ssm get-parameter --region "\${AWS_REGION_NAME}" --name "\${LICENSE_KEY_PARAMETER}" \\
                --with-decryption --query Parameter.Value --output text)"
            printf 'license-key=%s\\n' "\${license_key}"
        fi
        cat <<'${PROPERTIES_DELIMITER}'
${settings.propertiesText.replace(/\n$/, "")}
${PROPERTIES_DELIMITER}
    } >"\${properties}"
)
chown "\${service_user}" "\${properties}"

launcher="\${install_root}/run-transactor"
cat >"\${launcher}" <<LAUNCHER
#!/bin/bash
export JAVA_OPTS=$(printf '%q' "\${JAVA_OPTS_VALUE}")
exec $(printf '%q' "\${install_root}/current/bin/transactor") -Xms\${heap} -Xmx\${heap} $(printf '%q' "\${properties}")
LAUNCHER
chmod 755 "\${launcher}"

mkdir -p "\${unit_dir}"
cat >"\${unit_dir}/${TRANSACTOR_UNIT}" <<UNIT
[Unit]
Description=Datomic Pro transactor \${DATOMIC_VERSION}
Wants=network-online.target
After=network-online.target

[Service]
User=\${service_user}
WorkingDirectory=\${install_root}/current
ExecStart=\${launcher}
# Whatever ends the transactor retires the instance; the Auto Scaling group replaces it.
ExecStopPost=+\${systemctl_path} poweroff --no-block
Restart=no

[Install]
WantedBy=multi-user.target
UNIT

log "starting ${TRANSACTOR_UNIT} (heap \${heap})"
systemctl daemon-reload
systemctl enable --now ${TRANSACTOR_UNIT}
`;
}

/** `value` as one single-quoted shell word. */
export function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
