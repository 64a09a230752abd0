/**
 * Datomic Cloud CloudFormation template releases: version parsing, the template
 * URLs of the releases whose URLs are confirmed, and the network topology a
 * release implies.
 *
 * Sources: docs.datomic.com/operation/compute-templates.html and
 * operation/storage-template.html (template locations; 1217-9399 and 1172-9392
 * use `cft/<rev>/<kind>-template-<build>-<rev>.json`), public code launching
 * 535-8812, 569-8835 and 616-8879 from `cft/<rev>-<build>/datomic-<kind>-<rev>-<build>.json`
 * (see DATOMIC-FACTS.md, "Template URL layouts differ by release"), and the
 * release notes for 884-9095 (July 2021), which replaced the NLB with an ALB and
 * API Gateways. A URL that is not confirmed is never built: the caller passes it.
 */

/** The release every component defaults to. */
export const DEFAULT_TEMPLATE_VERSION = "1217-9399";

/** The first release with the ALB ("alb") topology; earlier releases use the NLB ("nlb"). */
export const FIRST_ALB_RELEASE = 884;

const TEMPLATE_BUCKET_URL = "https://s3.amazonaws.com/datomic-cloud-1/cft";

/** A Datomic Cloud release such as `1217-9399`: the CloudFormation template revision and the Datomic build. */
export interface TemplateVersion {
    readonly text: string;
    readonly templateRevision: number;
    readonly build: number;
}

export type TemplateKind = "storage" | "compute" | "query-group";

type Layout = "current" | "early";

/**
 * Releases whose template URLs are confirmed, by layout. For the early layout only the storage and
 * query-group file names are confirmed; its production compute file name is inferred, so it is not built.
 */
const CONFIRMED_RELEASES: Readonly<Record<string, Layout>> = {
    "1217-9399": "current",
    "1172-9392": "current",
    "616-8879": "early",
    "569-8835": "early",
    "535-8812": "early",
};

/** Parses `<revision>-<build>`; throws with the allowed form when `text` does not match it. */
export function parseTemplateVersion(text: string): TemplateVersion {
    const match = /^(\d+)-(\d+)$/.exec(text);
    if (!match) {
        throw new Error(
            `"${text}" is not a Datomic Cloud release (expected <revision>-<build>, such as ${DEFAULT_TEMPLATE_VERSION})`,
        );
    }
    return { text, templateRevision: Number(match[1]), build: Number(match[2]) };
}

/**
 * The S3 URL of one template of a release, when that URL is confirmed; otherwise undefined, and
 * {@link unconfirmedTemplateUrlMessage} says what to pass instead.
 */
export function confirmedTemplateUrl(version: TemplateVersion, kind: TemplateKind): string | undefined {
    const { templateRevision: rev, build } = version;
    switch (CONFIRMED_RELEASES[version.text]) {
        case "current":
            return `${TEMPLATE_BUCKET_URL}/${rev}/${kind}-template-${build}-${rev}.json`;
        case "early":
            return kind === "compute"
                ? undefined
                : `${TEMPLATE_BUCKET_URL}/${rev}-${build}/datomic-${kind}-${rev}-${build}.json`;
        default:
            return undefined;
    }
}

/** Why no URL is built for this release and template: the problem of the argument that must supply it. */
export function unconfirmedTemplateUrlProblem(version: TemplateVersion, kind: TemplateKind): string {
    const known = Object.keys(CONFIRMED_RELEASES).join(", ");
    const reason =
        CONFIRMED_RELEASES[version.text] === "early"
            ? `the ${kind} template's file name of release ${version.text} is not confirmed (production compute is probably datomic-production-compute-${version.text}.json)`
            : `the template URLs of release ${version.text} are not confirmed (confirmed: ${known})`;
    return `is required: ${reason}; pass the URL from Datomic's release page so no URL is guessed`;
}

/** The topology a release's compute templates build: "alb" from 884-9095 on, "nlb" before. */
export function topologyOfRelease(version: TemplateVersion): "nlb" | "alb" {
    return version.templateRevision >= FIRST_ALB_RELEASE ? "alb" : "nlb";
}
