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
 * Any failure before the transactor runs (the JRE install, the download, its checksum, a JRE that
 * does not start, the metadata service) powers the instance off through the script's EXIT trap, so
 * the group replaces it rather than counting an EC2-healthy instance with no transactor.
 *
 * With a health check, a watcher (see {@link renderHealthWatcher}) asks the transactor's `/health`
 * endpoint (`ping-host`/`ping-port`; docs.datomic.com/operation/transactor.html, "Health Check
 * Endpoint": a 2xx answer while the transactor serves) and marks the instance unhealthy in its group
 * when it stops answering, as AWS documents for custom health checks
 * (docs.aws.amazon.com/autoscaling/ec2/userguide/set-up-a-custom-health-check.html).
 *
 * With a readiness hook, a one-shot unit (see {@link renderReadySignal}) completes the instance's launch
 * lifecycle hook once the transactor logs that it is the active transactor or a standby, so an instance
 * refresh counts the instance only then.
 *
 * The instance's private IP comes from the instance metadata service with an
 * IMDSv2 session token (a PUT to /latest/api/token, then GETs with the token;
 * docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html).
 * The license key, when the release needs one, and any other secret property are read at boot from SSM
 * Parameter Store, so no secret is ever part of the user data. Their values are written with Java-properties
 * escaping (`java.util.Properties#load`: a backslash escapes the next character and `\t \n \r \f` stand
 * for those characters, a line ends at `\n` or `\r`, leading blanks are dropped), so a value with a
 * backslash, a leading space or a line break reads back unchanged; other characters are written as they
 * are. The AWS CLI's text output ends the value with one newline (aws-cli `awscli/text.py`), which is the
 * only one removed.
 * Download credentials (releases 1.0.6711 and older come from my.datomic.com) are read the same way and
 * handed to curl in a private config file (curl's `--config`, whose quoted strings escape `\` and `"`).
 *
 * Endpoints, paths and the service user come from environment variables when
 * set (`DATOMIC_IMDS_URL`, `DATOMIC_DOWNLOAD_URL`, `DATOMIC_INSTALL_ROOT`,
 * `DATOMIC_CONFIG_DIR`, `DATOMIC_UNIT_DIR`, `DATOMIC_MEMINFO`,
 * `DATOMIC_SYSTEMCTL`, `DATOMIC_SERVICE_USER`, curl's `DATOMIC_CURL_RETRIES` and
 * `DATOMIC_CURL_CONNECT_TIMEOUT_SECONDS`, and the watcher's `DATOMIC_HEALTH_*` timings), with the production values as
 * defaults, so tests run the script against fakes.
 */

import {
    CURL_RETRY_LINE,
    DATOMIC_PRO_DOWNLOAD_URL,
    heapSize,
    IMDS_URL,
    installConstants,
    installDatomic,
    installJre,
    shellQuote,
} from "../datomicInstall";
import { READY_SIGNAL_UNIT, renderReadySignal } from "./readinessScript";

/** The systemd unit the script installs. */
export const TRANSACTOR_UNIT = "datomic-transactor.service";

/** The systemd unit of the health watcher. */
export const HEALTH_WATCH_UNIT = "datomic-health-watch.service";

/** The watcher asks `/health` this often, and marks the instance unhealthy after this many failures in a row. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
export const HEALTH_CHECK_FAILURES = 3;

export { DEFAULT_HEAP_PERCENT } from "../datomicInstall";

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
    /**
     * Properties read from SSM SecureString parameters at boot, property to parameter name: the license key
     * (releases 1.0.6711 and older) and any other secret.
     */
    secretParameters?: Record<string, string>;
    /** A fixed `alt-host`. */
    altHost?: string;
    /** Use the instance's public IP as `alt-host`, as the create-cf-template user data did. */
    altHostIsPublicIp?: boolean;
    /** Watch the transactor's health endpoint and mark the instance unhealthy when it stops answering. */
    healthCheck?: HealthCheckSettings;
    /** Where the release zip is downloaded from (default the public bucket), and the SSM parameter of its credentials. */
    download?: { url: string; credentialsParameterName?: string };
    /** Complete the group's launch lifecycle hook once the transactor is active or a standby. */
    readiness?: ReadinessSettings;
}

/** The launch lifecycle hook the instance completes. */
export interface ReadinessSettings {
    groupName: string;
    hookName: string;
}

/** The health watcher's settings. */
export interface HealthCheckSettings {
    /** The transactor's health endpoint as the instance reaches it, e.g. `http://127.0.0.1:9999/health`. */
    url: string;
    /** Seconds the transactor gets to start before the watcher's first question (the group's grace period). */
    graceSeconds: number;
}

const PROPERTIES_DELIMITER = "DATOMIC_PROPERTIES";
const WATCHER_DELIMITER = "DATOMIC_HEALTH_WATCH";
const READY_DELIMITER = "DATOMIC_READY_SIGNAL";

/** The user data script, as text (the launch template takes it base64-encoded). */
export function renderTransactorUserData(settings: TransactorUserDataSettings): string {
    if (settings.propertiesText.split("\n").includes(PROPERTIES_DELIMITER)) {
        throw new Error(
            `the properties contain the line "${PROPERTIES_DELIMITER}", which ends the script's here-document`,
        );
    }
    const constants: [string, string][] = [
        ...installConstants(settings),
        ["JAVA_OPTS_VALUE", settings.javaOpts ?? ""],
        ["ALT_HOST", settings.altHost ?? ""],
        ["ALT_HOST_PUBLIC_IP", settings.altHostIsPublicIp ? "true" : "false"],
        ["DOWNLOAD_URL", settings.download?.url ?? DATOMIC_PRO_DOWNLOAD_URL],
        ...(settings.healthCheck ? [["HEALTH_URL", settings.healthCheck.url] as [string, string]] : []),
        ...(settings.readiness
            ? ([
                  ["READY_GROUP", settings.readiness.groupName],
                  ["READY_HOOK", settings.readiness.hookName],
              ] as [string, string][])
            : []),
    ];
    const health = settings.healthCheck;
    const credentials = settings.download?.credentialsParameterName;
    const secretEntries = Object.entries(settings.secretParameters ?? {}).map(([key, name]) =>
        shellQuote(`${key}=${name}`),
    );
    return `#!/bin/bash
# Datomic Pro transactor bootstrap for Amazon Linux 2023, rendered by pulumi-datomic (datomic:pro:Transactor).
# Installs a JRE and Datomic Pro, writes the transactor properties and runs the transactor
# under systemd; when the transactor exits the instance powers off and its group replaces it.
set -euo pipefail

# The settings, quoted literally ("$" in JAVA_OPTS is not meant to expand here).
# shellcheck disable=SC2016
readonly \\
${constants.map(([name, value]) => `    ${name}=${shellQuote(value)}`).join(" \\\n")}
# Properties read from SSM SecureStrings at boot, as <property>=<parameter>.
secret_parameters=(${secretEntries.join(" ")})

# Production endpoints and paths; tests point them at fakes.
imds_url="\${DATOMIC_IMDS_URL:-${IMDS_URL}}"
download_url="\${DATOMIC_DOWNLOAD_URL:-\${DOWNLOAD_URL}}"
install_root="\${DATOMIC_INSTALL_ROOT:-/opt/datomic}"
config_dir="\${DATOMIC_CONFIG_DIR:-/etc/datomic}"
unit_dir="\${DATOMIC_UNIT_DIR:-/etc/systemd/system}"
meminfo="\${DATOMIC_MEMINFO:-/proc/meminfo}"
systemctl_path="\${DATOMIC_SYSTEMCTL:-/usr/bin/systemctl}"
service_user="\${DATOMIC_SERVICE_USER:-datomic}"
# Retries for the download and the metadata service; a connection that never opens fails instead of hanging.
${CURL_RETRY_LINE}

log() { printf 'datomic-bootstrap: %s\\n' "$*" >&2; }

${SECRET_FUNCTIONS}
# Whatever ends this script before the transactor runs retires the instance: an EC2-healthy
# instance without a transactor would let an instance refresh replace the last good one.
transactor_started=false
zip_path=""
${credentials ? 'download_config=""\n' : ""}retire_unless_started() {
    local status=$?
    if [[ -n "\${zip_path}" ]]; then
        rm -f "\${zip_path}"
    fi
${credentials ? '    [[ -z "${download_config}" ]] || rm -f "${download_config}"\n' : ""}    if [[ "\${transactor_started}" != true ]]; then
        log "failed (exit status \${status}) before the transactor started; powering off so the Auto Scaling group replaces this instance"
        "\${systemctl_path}" poweroff --no-block
    fi
}
trap retire_unless_started EXIT

${installJre(["unzip"])}
id -u "\${service_user}" >/dev/null 2>&1 ||
    useradd --system --home-dir "\${install_root}" --shell /sbin/nologin "\${service_user}"

${credentials ? downloadCredentials(credentials) : ""}${installDatomic("bin/transactor", credentials ? '--config "${download_config}"' : "")}
ln -sfn "\${distribution}" "\${install_root}/current"
chown -R "\${service_user}" "\${distribution}"

imds_token="$(curl -fsS "\${curl_retry[@]}" -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "\${imds_url}/latest/api/token")"
metadata() {
    curl -fsS "\${curl_retry[@]}" -H "X-aws-ec2-metadata-token: \${imds_token}" "\${imds_url}/latest/meta-data/$1"
}
host="$(metadata local-ipv4)"
alt_host="\${ALT_HOST}"
if [[ "\${ALT_HOST_PUBLIC_IP}" == true ]]; then
    alt_host="$(metadata public-ipv4)"
fi

${heapSize()}

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
        secret_value=""
        for secret in "\${secret_parameters[@]}"; do
            ssm_secret "\${secret#*=}" secret_value
            printf '%s=%s\\n' "\${secret%%=*}" "$(java_property_value "\${secret_value}")"
        done
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
${health || settings.readiness ? `instance_id="$(metadata instance-id)"\n` : ""}${health ? healthWatchSetup(health) : ""}${settings.readiness ? READY_SIGNAL_SETUP : ""}
log "starting ${TRANSACTOR_UNIT} (heap \${heap})"
systemctl daemon-reload
${health ? `systemctl enable --now ${HEALTH_WATCH_UNIT}\n` : ""}${settings.readiness ? `systemctl start --no-block ${READY_SIGNAL_UNIT}\n` : ""}systemctl enable --now ${TRANSACTOR_UNIT}
transactor_started=true
`;
}

/**
 * Bash functions for secrets: `ssm_secret <name> <variable>` sets the variable to a SecureString's value
 * exactly (the CLI's one closing newline removed, the value's own kept: no command substitution strips it), and `java_property_value <value>` escapes it for a
 * properties file.
 */
const SECRET_FUNCTIONS = `ssm_secret() {
    local value
    value="$(aws ssm get-parameter --region "\${AWS_REGION_NAME}" --name "$1" \\
        --with-decryption --query Parameter.Value --output text && printf x)"
    value="\${value%x}"
    printf -v "$2" '%s' "\${value%$'\\n'}"
}

java_property_value() {
    local value="$1"
    value="\${value//\\\\/\\\\\\\\}"
    value="\${value//$'\\n'/\\\\n}"
    value="\${value//$'\\r'/\\\\r}"
    value="\${value//$'\\t'/\\\\t}"
    value="\${value//$'\\f'/\\\\f}"
    [[ "\${value}" != " "* ]] || value="\\\\\${value}"
    printf '%s' "\${value}"
}
`;

/** The user data lines that read the download credentials into a private curl config file. */
function downloadCredentials(parameterName: string): string {
    return `log "reading the download credentials from SSM"
download_config="$(mktemp)"
download_credentials=""
ssm_secret ${shellQuote(parameterName)} download_credentials
download_credentials="\${download_credentials//\\\\/\\\\\\\\}"
printf 'user = "%s"\\n' "\${download_credentials//\\"/\\\\\\"}" >"\${download_config}"
unset download_credentials
`;
}

/** The user data lines that install the health watcher and its unit. */
function healthWatchSetup(health: HealthCheckSettings): string {
    return `
watcher="\${install_root}/health-watch"
cat >"\${watcher}" <<'${WATCHER_DELIMITER}'
${renderHealthWatcher(health).replace(/\n$/, "")}
${WATCHER_DELIMITER}
chmod 755 "\${watcher}"
cat >"\${unit_dir}/${HEALTH_WATCH_UNIT}" <<UNIT
[Unit]
Description=Marks this instance unhealthy in its Auto Scaling group when the Datomic transactor stops serving
After=${TRANSACTOR_UNIT}

[Service]
User=\${service_user}
ExecStart=\${watcher} $(printf '%q' "\${HEALTH_URL}") \${instance_id} \${AWS_REGION_NAME}
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
`;
}

/**
 * The user data lines that install the readiness signal and its one-shot unit (started, not enabled: it
 * completes this boot's launch hook). The transactor logs under its working directory's `log`.
 */
const READY_SIGNAL_SETUP = `
ready_signal="\${install_root}/ready-signal"
cat >"\${ready_signal}" <<'${READY_DELIMITER}'
${renderReadySignal().replace(/\n$/, "")}
${READY_DELIMITER}
chmod 755 "\${ready_signal}"
cat >"\${unit_dir}/${READY_SIGNAL_UNIT}" <<UNIT
[Unit]
Description=Completes the launch lifecycle hook once the Datomic transactor is active or a standby
After=${TRANSACTOR_UNIT}

[Service]
Type=oneshot
# The hook's own timeout decides how long a transactor may take; systemd does not cut the wait short.
TimeoutStartSec=infinity
User=\${service_user}
ExecStart=\${ready_signal} $(printf '%q' "\${READY_GROUP}") $(printf '%q' "\${READY_HOOK}") \${instance_id} \${AWS_REGION_NAME} \${install_root}/current/log
UNIT
`;

/**
 * The health watcher: after the grace period, asks the transactor's health endpoint every
 * {@link HEALTH_CHECK_INTERVAL_SECONDS} seconds; after {@link HEALTH_CHECK_FAILURES} checks in a row with no
 * answer (refused or timed out; an HTTP answer of any status means the process is up) it marks the instance Unhealthy (`aws autoscaling set-instance-health`), and the group replaces it.
 * Arguments: the health URL, the instance id, the region. The timings come from `DATOMIC_HEALTH_*`
 * variables when set, so tests run it in milliseconds.
 */
export function renderHealthWatcher(health: HealthCheckSettings): string {
    return `#!/bin/bash
# Marks this instance unhealthy when the Datomic transactor stops answering its health endpoint.
set -uo pipefail
url="$1"
instance_id="$2"
region="$3"
grace_seconds="\${DATOMIC_HEALTH_GRACE_SECONDS:-${health.graceSeconds}}"
interval_seconds="\${DATOMIC_HEALTH_INTERVAL_SECONDS:-${HEALTH_CHECK_INTERVAL_SECONDS}}"
failures_allowed="\${DATOMIC_HEALTH_FAILURES:-${HEALTH_CHECK_FAILURES}}"

log() { printf 'datomic-health-watch: %s\\n' "$*" >&2; }

sleep "\${grace_seconds}"
failures=0
while true; do
    # Any HTTP answer means the process serves: Datomic documents only "a 2xx status code" when the
    # endpoint is enabled, not what a standby answers, so only no answer at all counts as a failure.
    if status="$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "\${url}")"; then
        failures=0
        [[ "\${status}" == 2* ]] || log "\${url} answered \${status}; the transactor process is up (a standby?)"
    else
        failures=$((failures + 1))
        log "\${url} did not answer (\${failures} of \${failures_allowed})"
    fi
    if ((failures >= failures_allowed)); then
        log "the transactor is not serving; marking \${instance_id} unhealthy so the Auto Scaling group replaces it"
        if aws autoscaling set-instance-health --region "\${region}" --instance-id "\${instance_id}" \\
            --health-status Unhealthy --should-respect-grace-period; then
            exit 0
        fi
    fi
    sleep "\${interval_seconds}"
done
`;
}
