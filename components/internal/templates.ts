/**
 * Datomic Cloud CloudFormation template releases: version parsing, the template
 * URLs of a release and the network topology it implies.
 *
 * Sources: docs.datomic.com/operation/compute-template.html and
 * docs.datomic.com/operation/storage-template.html (template locations), and the
 * release notes for 884-9095 (July 2021), which replaced the NLB with an ALB and
 * API Gateways.
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
 * The S3 URL of one template of a release, in the layout used since the
 * templates moved out of the Marketplace (`cft/<revision>/<kind>-template-<build>-<revision>.json`).
 * Older releases used other file names: pass their URLs explicitly.
 */
export function templateUrl(version: TemplateVersion, kind: TemplateKind): string {
    const { templateRevision, build } = version;
    return `${TEMPLATE_BUCKET_URL}/${templateRevision}/${kind}-template-${build}-${templateRevision}.json`;
}

/** The topology a release's compute templates build: "alb" from 884-9095 on, "nlb" before. */
export function topologyOfRelease(version: TemplateVersion): "nlb" | "alb" {
    return version.templateRevision >= FIRST_ALB_RELEASE ? "alb" : "nlb";
}
