/**
 * Datomic Cloud CloudFormation template releases: version parsing, the template
 * URLs of the releases whose URLs are confirmed, and the network topology a
 * release implies.
 *
 * Sources: docs.datomic.com/operation/compute-templates.html and
 * operation/storage-template.html (template locations; 1217-9399 and 1172-9392
 * use `cft/<rev>/<kind>-template-<build>-<rev>.json`), public code launching
 * the storage template of 616-8879 and the query-group template of 535-8812 from
 * `cft/<rev>-<build>/datomic-<kind>-<rev>-<build>.json` (see DATOMIC-FACTS.md, "Template URL
 * layouts differ by release"; the other templates of those releases are only inferred from the
 * layout), and the release notes for 884-9095 (July 2021), which replaced the NLB with an ALB and
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

/** A release whose template URLs are confirmed: its layout, and which of its templates' URLs are confirmed. */
interface ConfirmedRelease {
    readonly layout: Layout;
    readonly kinds: readonly TemplateKind[];
}

/**
 * Releases whose template URLs are confirmed, template by template. Of the early layout only the
 * storage template of 616-8879 and the query-group template of 535-8812 were seen launched; the
 * other file names (storage 535-8812 and 569-8835, query group 569-8835 and 616-8879, production
 * compute) are inferred from the layout, so they are not built.
 */
const CONFIRMED_RELEASES: Readonly<Record<string, ConfirmedRelease>> = {
    "1217-9399": { layout: "current", kinds: ["storage", "compute", "query-group"] },
    "1172-9392": { layout: "current", kinds: ["storage", "compute", "query-group"] },
    "616-8879": { layout: "early", kinds: ["storage"] },
    "535-8812": { layout: "early", kinds: ["query-group"] },
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
 * {@link unconfirmedTemplateUrlProblem} says what to pass instead.
 */
export function confirmedTemplateUrl(version: TemplateVersion, kind: TemplateKind): string | undefined {
    const { templateRevision: rev, build } = version;
    const release = CONFIRMED_RELEASES[version.text];
    if (!release?.kinds.includes(kind)) {
        return undefined;
    }
    return release.layout === "current"
        ? `${TEMPLATE_BUCKET_URL}/${rev}/${kind}-template-${build}-${rev}.json`
        : `${TEMPLATE_BUCKET_URL}/${rev}-${build}/datomic-${kind}-${rev}-${build}.json`;
}

/** Why no URL is built for this release and template: the problem of the argument that must supply it. */
export function unconfirmedTemplateUrlProblem(version: TemplateVersion, kind: TemplateKind): string {
    const confirmed = Object.entries(CONFIRMED_RELEASES)
        .map(([text, release]) => `${text} (${release.kinds.join(", ")})`)
        .join(", ");
    const reason =
        CONFIRMED_RELEASES[version.text] !== undefined || version.templateRevision < FIRST_ALB_RELEASE
            ? `the ${kind} template's file name of release ${version.text} is not confirmed (the layout suggests ${TEMPLATE_BUCKET_URL}/${version.text}/datomic-${kind === "compute" ? "production-compute" : kind}-${version.text}.json)`
            : `the template URLs of release ${version.text} are not confirmed`;
    return `is required: ${reason}; confirmed: ${confirmed}; pass the URL from Datomic's release page so no URL is guessed`;
}

/** The topology a release's compute templates build: "alb" from 884-9095 on, "nlb" before. */
export function topologyOfRelease(version: TemplateVersion): "nlb" | "alb" {
    return version.templateRevision >= FIRST_ALB_RELEASE ? "alb" : "nlb";
}

/**
 * Whether `release` is newer than `than`: a later template revision, or the same revision with a later
 * build. Datomic upgrades storage, then the primary compute group, then query groups
 * (docs.datomic.com/operation/upgrading.html), so a group must never run a newer release than its system.
 */
export function isNewerRelease(release: TemplateVersion, than: TemplateVersion): boolean {
    return (
        release.templateRevision > than.templateRevision ||
        (release.templateRevision === than.templateRevision && release.build > than.build)
    );
}

/** The last release whose query-group template spells the node policy parameter `NodePolicyArn`. */
const LAST_NODE_POLICY_ARN_SPELLING = 535;

/**
 * The query-group template's node policy parameter: `NodePolicyArn` up to 535-8812 (public code
 * launching that release, jdhollis/datomic-terraform-example), `NodePolicyARN` after (current
 * compute-templates docs). CloudFormation rejects a parameter the template does not declare.
 */
export function nodePolicyParameterName(version: TemplateVersion): "NodePolicyArn" | "NodePolicyARN" {
    return version.templateRevision <= LAST_NODE_POLICY_ARN_SPELLING ? "NodePolicyArn" : "NodePolicyARN";
}
