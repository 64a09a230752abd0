/**
 * The guardrails of pulumi-datomic, as `@pulumi/policy` policies. `index.ts` serves them as a pack;
 * tests import this module directly (constructing a PolicyPack starts the analyzer's gRPC server).
 *
 * Every rule is mandatory and every message names the resource and says how to fix it. Rules match
 * resources by their Pulumi type token, so the pack needs no `@pulumi/aws` of its own.
 *
 * What counts as Datomic's:
 * - a storage stack: an `aws:cloudformation/stack:Stack` whose `templateUrl` file is one of Datomic Cloud's
 *   storage templates (`storage-template-<build>-<rev>.json`, or `datomic-storage-<rev>.json` of older
 *   releases), wherever the template is hosted;
 * - a storage table: an `aws:dynamodb/table:Table` created inside a `DatomicTransactor` (its URN's type
 *   chain holds `datomic:pro:Transactor`), or any table tagged `datomic:storage` (for tables managed
 *   outside the component).
 */
import type {
    PolicyPackArgs,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** Ports that must never be open to the whole internet: SSH, the transactor, the Client API, HTTP Direct. */
export const GUARDED_PORTS: readonly number[] = [22, 4334, 8182, 8184];

/** The tag that marks a DynamoDB table managed outside `DatomicTransactor` as Datomic storage. */
export const DATOMIC_STORAGE_TAG = "datomic:storage";

export const TYPES = {
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    table: "aws:dynamodb/table:Table",
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    cloudFormationStack: "aws:cloudformation/stack:Stack",
    transactor: "datomic:pro:Transactor",
} as const;

const BUCKET_TYPES: readonly string[] = [TYPES.bucket, TYPES.bucketV2];
const ENCRYPTION_TYPES: readonly string[] = [TYPES.encryption, TYPES.encryptionV2];
const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const PUBLIC_ACLS = ["public-read", "public-read-write"];

/** A CIDR block that covers every address: any block with prefix length 0, such as `0.0.0.0/0` or `::/0`. */
export function isWholeInternet(cidr: unknown): boolean {
    return typeof cidr === "string" && cidr.trim().endsWith("/0");
}

/** The guarded ports a rule's protocol and port range open (all of them for protocol `-1`/`all`). */
export function guardedPortsOpened(protocol: unknown, fromPort: unknown, toPort: unknown): number[] {
    const name = String(protocol ?? "").toLowerCase();
    if (name === "-1" || name === "all") {
        return [...GUARDED_PORTS];
    }
    if (name !== "tcp" && name !== "6") {
        return [];
    }
    const from = Number(fromPort);
    const to = Number(toPort ?? fromPort);
    return GUARDED_PORTS.filter((port) => from <= port && port <= to);
}

/** The qualified type of a URN: the resource's type prefixed by its ancestors' (`parent$child`). */
function qualifiedType(urn: string): string {
    return urn.split("::")[2] ?? "";
}

/** Whether a resource was created inside a component of `componentType`. */
function hasAncestor(urn: string, componentType: string): boolean {
    return qualifiedType(urn).split("$").slice(0, -1).includes(componentType);
}

/** Whether a DynamoDB table holds Datomic storage (see the module comment). */
export function isDatomicTable(urn: string, props: Record<string, unknown>): boolean {
    if (hasAncestor(urn, TYPES.transactor)) {
        return true;
    }
    const tags = props.tags as Record<string, unknown> | undefined;
    return tags !== undefined && tags !== null && DATOMIC_STORAGE_TAG in tags;
}

/** Whether a CloudFormation template URL is one of Datomic Cloud's storage templates. */
export function isDatomicStorageTemplate(templateUrl: unknown): boolean {
    if (typeof templateUrl !== "string") {
        return false;
    }
    const file = templateUrl.split("?")[0].split("/").pop() ?? "";
    return /^(storage-template-.+|datomic-storage-.+)\.json$/i.test(file);
}

interface IngressPermission {
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
    cidrs: unknown[];
}

/** The internet-wide ingress on guarded ports of one resource, as `<cidr> on TCP <port>` phrases. */
function publicGuardedIngress(permissions: IngressPermission[]): string[] {
    const found: string[] = [];
    for (const permission of permissions) {
        const ports = guardedPortsOpened(permission.protocol, permission.fromPort, permission.toPort);
        for (const cidr of permission.cidrs.filter(isWholeInternet)) {
            if (ports.length > 0) {
                found.push(`${String(cidr)} on TCP ${ports.join(", ")}`);
            }
        }
    }
    return found;
}

function ingressPermissions(type: string, props: Record<string, unknown>): IngressPermission[] {
    switch (type) {
        case TYPES.ingressRule:
            return [
                {
                    protocol: props.ipProtocol,
                    fromPort: props.fromPort,
                    toPort: props.toPort,
                    cidrs: [props.cidrIpv4, props.cidrIpv6],
                },
            ];
        case TYPES.securityGroupRule:
            if (props.type !== "ingress") {
                return [];
            }
            return [
                {
                    protocol: props.protocol,
                    fromPort: props.fromPort,
                    toPort: props.toPort,
                    cidrs: [...asList(props.cidrBlocks), ...asList(props.ipv6CidrBlocks)],
                },
            ];
        case TYPES.securityGroup:
            return asList(props.ingress).map((rule) => {
                const inline = rule as Record<string, unknown>;
                return {
                    protocol: inline.protocol,
                    fromPort: inline.fromPort,
                    toPort: inline.toPort,
                    cidrs: [...asList(inline.cidrBlocks), ...asList(inline.ipv6CidrBlocks)],
                };
            });
        default:
            return [];
    }
}

function asList(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

/** No `0.0.0.0/0` or `::/0` ingress on 22, 4334, 8182 or 8184, in any of the three ways AWS rules are declared. */
export const noPublicDatomicIngress: ResourceValidationPolicy = {
    name: "no-public-datomic-ingress",
    description: `No ingress from 0.0.0.0/0 or ::/0 on TCP ${GUARDED_PORTS.join(", ")} (SSH, transactor, Client API, HTTP Direct).`,
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const found = publicGuardedIngress(ingressPermissions(args.type, args.props));
        if (found.length > 0) {
            reportViolation(
                `${args.name} admits the whole internet (${found.join("; ")}). Fix: list your own networks or ` +
                    "security groups as the source instead (for the components: bastionIngressCidrs, peerCidrs, " +
                    "allowedCidrs or the peering ingress cidrBlocks, without allowPublic*).",
            );
        }
    },
};

/** Datomic's DynamoDB tables keep deletion protection and point-in-time recovery. */
export const datomicTableRecovery: ResourceValidationPolicy = {
    name: "datomic-table-recovery",
    description: "DynamoDB tables holding Datomic storage have deletion protection and point-in-time recovery.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (args.type !== TYPES.table || !isDatomicTable(args.urn, args.props)) {
            return;
        }
        if (args.props.deletionProtectionEnabled !== true) {
            reportViolation(
                `${args.name} holds Datomic storage without deletion protection. Fix: set ` +
                    "deletionProtectionEnabled: true (DatomicTransactor: leave protectStorage at its default, true).",
            );
        }
        const recovery = args.props.pointInTimeRecovery as { enabled?: unknown } | undefined;
        if (recovery?.enabled !== true) {
            reportViolation(
                `${args.name} holds Datomic storage without point-in-time recovery. Fix: set ` +
                    "pointInTimeRecovery: { enabled: true }.",
            );
        }
    },
};

/** A bucket's public access block turns on all four settings, and no bucket has a public canned ACL. */
export const s3PublicAccessBlockComplete: ResourceValidationPolicy = {
    name: "s3-public-access-block-complete",
    description: "S3 public access blocks turn on all four settings, and buckets have no public canned ACL.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (args.type === TYPES.publicAccessBlock) {
            const off = PUBLIC_ACCESS_FLAGS.filter((flag) => args.props[flag] !== true);
            if (off.length > 0) {
                reportViolation(
                    `${args.name} leaves ${off.join(", ")} off. Fix: set ${PUBLIC_ACCESS_FLAGS.map((flag) => `${flag}: true`).join(", ")}.`,
                );
            }
        } else if (BUCKET_TYPES.includes(args.type) && PUBLIC_ACLS.includes(String(args.props.acl))) {
            reportViolation(
                `${args.name} has the public canned ACL "${String(args.props.acl)}". Fix: remove acl (buckets ` +
                    "are private by default) and grant access through a bucket policy to named principals.",
            );
        }
    },
};

/** The buckets among `resources` that `resource` configures, through its `bucket` argument. */
function configuredBuckets(resource: PolicyResource, buckets: PolicyResource[]): PolicyResource[] {
    // Dependencies identify the bucket even in a preview, when a new bucket's name is not known yet.
    const byDependency = (resource.propertyDependencies.bucket ?? resource.dependencies).filter((dependency) =>
        buckets.includes(dependency),
    );
    if (byDependency.length > 0) {
        return byDependency;
    }
    const name = resource.props.bucket;
    return buckets.filter((bucket) => bucket.props.bucket === name || bucket.props.id === name);
}

function bucketsWithout(
    args: StackValidationArgs,
    configurationTypes: readonly string[],
    configures: (bucket: PolicyResource) => boolean,
): PolicyResource[] {
    const buckets = args.resources.filter((resource) => BUCKET_TYPES.includes(resource.type));
    const configured = new Set<PolicyResource>();
    for (const resource of args.resources.filter((candidate) => configurationTypes.includes(candidate.type))) {
        configuredBuckets(resource, buckets).forEach((bucket) => configured.add(bucket));
    }
    return buckets.filter((bucket) => !configured.has(bucket) && !configures(bucket));
}

/** Every bucket of the stack has a public access block. */
export const s3BucketPublicAccessBlocked: StackValidationPolicy = {
    name: "s3-bucket-public-access-blocked",
    description: "Every S3 bucket has a BucketPublicAccessBlock.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const bucket of bucketsWithout(args, [TYPES.publicAccessBlock], () => false)) {
            reportViolation(
                `${bucket.name} has no public access block. Fix: add an aws.s3.BucketPublicAccessBlock for it ` +
                    `with ${PUBLIC_ACCESS_FLAGS.map((flag) => `${flag}: true`).join(", ")}.`,
                bucket.urn,
            );
        }
    },
};

/** Every bucket of the stack declares its default encryption. */
export const s3BucketEncrypted: StackValidationPolicy = {
    name: "s3-bucket-encrypted",
    description: "Every S3 bucket declares server-side encryption by default.",
    enforcementLevel: "mandatory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const inline = (bucket: PolicyResource) => {
            const configuration = bucket.props.serverSideEncryptionConfiguration as { rule?: unknown } | undefined;
            return configuration?.rule !== undefined && configuration.rule !== null;
        };
        for (const bucket of bucketsWithout(args, ENCRYPTION_TYPES, inline)) {
            reportViolation(
                `${bucket.name} declares no default encryption. Fix: add an ` +
                    "aws.s3.BucketServerSideEncryptionConfiguration for it with a rule " +
                    'applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } (or "aws:kms" and a key).',
                bucket.urn,
            );
        }
    },
};

/** Launch templates require IMDSv2 session tokens. */
export const launchTemplateImdsv2: ResourceValidationPolicy = {
    name: "launch-template-imdsv2",
    description: "EC2 launch templates require IMDSv2 (metadataOptions.httpTokens: required).",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (args.type !== TYPES.launchTemplate) {
            return;
        }
        const options = args.props.metadataOptions as { httpTokens?: unknown; httpEndpoint?: unknown } | undefined;
        if (options?.httpEndpoint === "disabled") {
            return;
        }
        if (options?.httpTokens !== "required") {
            reportViolation(
                `${args.name} allows IMDSv1 (metadataOptions.httpTokens is ${JSON.stringify(options?.httpTokens ?? "unset")}). ` +
                    'Fix: set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", ' +
                    "httpPutResponseHopLimit: 1 }.",
            );
        }
    },
};

/** Datomic storage stacks and tables carry Pulumi's `protect`, so no `pulumi up` or `destroy` deletes them. */
export const datomicStorageProtected: ResourceValidationPolicy = {
    name: "datomic-storage-protected",
    description: "Datomic Cloud storage stacks and Datomic Pro DynamoDB tables are protected from deletion.",
    enforcementLevel: "mandatory",
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const storageStack =
            args.type === TYPES.cloudFormationStack && isDatomicStorageTemplate(args.props.templateUrl);
        const table = args.type === TYPES.table && isDatomicTable(args.urn, args.props);
        if ((storageStack || table) && !args.opts.protect) {
            const what = storageStack ? "a Datomic storage stack" : "a Datomic storage table";
            reportViolation(
                `${args.name} is ${what} without protect. Fix: give it the resource option protect: true ` +
                    "(DatomicCloudSystem create.protectStorage and DatomicTransactor protectStorage default to true; " +
                    "a throwaway stack relaxes this policy in its policy pack config instead).",
            );
        }
    },
};

/** The pack's policies, in the order they are reported. */
export const datomicPolicies = [
    noPublicDatomicIngress,
    datomicTableRecovery,
    s3PublicAccessBlockComplete,
    s3BucketPublicAccessBlocked,
    s3BucketEncrypted,
    launchTemplateImdsv2,
    datomicStorageProtected,
];

/** The pack's name, as `pulumi preview --policy-pack` reports it. */
export const POLICY_PACK_NAME = "pulumi-datomic-guardrails";

/** Everything `new PolicyPack(POLICY_PACK_NAME, ...)` needs. */
export const datomicPolicyPackArgs: PolicyPackArgs = {
    description:
        "Guardrails for Datomic on AWS: no public admin ports, recoverable and protected storage, private and encrypted buckets, IMDSv2.",
    enforcementLevel: "mandatory",
    policies: datomicPolicies,
};
