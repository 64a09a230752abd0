/**
 * The arguments of QueryGroup.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * One statement of the query group nodes' IAM policy, as IAM's JSON spells it, with lists where IAM also
 * accepts a single string (so every Pulumi language can pass it: no unions).
 */
export interface QueryGroupPolicyStatement {
    /** An optional statement id. */
    Sid?: string;
    /** `"Allow"` or `"Deny"`. */
    Effect: string;
    /** The actions, e.g. `["sqs:SendMessage"]`. */
    Action?: pulumi.Input<pulumi.Input<string>[]>;
    /** Every action except these. */
    NotAction?: pulumi.Input<pulumi.Input<string>[]>;
    /** The resources' ARNs. */
    Resource?: pulumi.Input<pulumi.Input<string>[]>;
    /** Every resource except these. */
    NotResource?: pulumi.Input<pulumi.Input<string>[]>;
    /** Conditions by operator and key, e.g. `{ StringEquals: { "aws:RequestedRegion": ["us-east-1"] } }`. */
    Condition?: Record<string, Record<string, pulumi.Input<pulumi.Input<string>[]>>>;
}

/** Arguments of {@link QueryGroup}. */
export interface QueryGroupArgs {
    /** `SystemName`: the Datomic system the group belongs to (for example `DatomicSystemReference.systemName`). */
    systemName: pulumi.Input<string>;
    /**
     * The release the system runs, `<revision>-<build>` (`DatomicSystemReference.release`). The group runs it
     * too unless `templateVersion` pins an older one, so it follows the system's upgrades (Datomic upgrades
     * query groups last). Required unless `templateVersion` (or `templateUrl`) is given: the package has no
     * default release, so upgrading it never moves a group.
     */
    systemRelease?: pulumi.Input<string>;
    /**
     * The system's topology, `"nlb"`, `"alb"` or `"solo"` (`DatomicSystemReference.topology`): a release of
     * another topology is refused, and so is a solo system, which has no query groups.
     */
    systemTopology?: pulumi.Input<string>;
    /**
     * `ApplicationName`: the CodeDeploy application of the ions deployed to the group. Groups that run
     * the same code (staging and production) may share one. Datomic does not allow changing it after
     * creation (docs.datomic.com/cloud/operation/planning.html: "System and application names cannot be changed"): a change of a deployed group's value is
     * refused at preview.
     */
    applicationName?: pulumi.Input<string>;
    /**
     * `EnvironmentMap`, which ions read with `datomic.ion/get-env`: a plain object printed as an EDN
     * map with keyword keys, in sorted key order. Values may be strings, numbers, booleans, null,
     * arrays and nested objects (or Outputs of them); a string such as `":staging"` prints as the
     * keyword `:staging`, as in Datomic's `{:env :staging}` example. For other EDN, pass the text
     * as `parameters.EnvironmentMap`.
     */
    // `any` because the values are any EDN-printable data: the multi-language schema's `pulumi.json#/Any`.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    environmentMap?: Record<string, any>;
    /** `InstanceType`, `family.size` such as `t3.large`. The template's default when omitted. */
    instanceType?: pulumi.Input<string>;
    /**
     * `KeyName`: the EC2 key pair of the nodes (for example `DatomicSystemReference.keyName`). Required:
     * Datomic requires a key pair and CloudFormation rejects the stack without one (unless
     * `parameters.KeyName` is given).
     */
    keyName?: pulumi.Input<string>;
    /** `DesiredCapacity`; omit for the template's `Default` (a config value `"Default"` maps to omitted). */
    desiredCapacity?: number;
    /** `MinSize`; omit for the template's `Default`. */
    minSize?: number;
    /** `MaxSize`; omit for the template's `Default`. */
    maxSize?: number;
    /** `MinInstancesInService`; omit for the template's `Default`. Must be less than `maxSize` (Datomic: at least 1 less). */
    minInstancesInService?: number;
    /**
     * IAM statements for the nodes (what the ions may call): the component creates a managed policy
     * from them and passes its ARN as `NodePolicyARN` (`NodePolicyArn` for 535-8812, as that release spells
     * it). Exclusive with `nodePolicyArn`.
     */
    nodePolicyStatements?: pulumi.Input<QueryGroupPolicyStatement>[];
    /** `NodePolicyARN` (`NodePolicyArn` for 535-8812): an existing managed policy for the nodes. Exclusive with `nodePolicyStatements`. */
    nodePolicyArn?: pulumi.Input<string>;
    /**
     * Raw extra or overriding stack parameters; they win over the typed arguments. For template
     * releases whose parameters differ.
     */
    parameters?: Record<string, pulumi.Input<string>>;
    /**
     * The Datomic Cloud release, `<revision>-<build>`. Defaults to `systemRelease`; never newer than it, and of
     * the system's topology.
     */
    templateVersion?: string;
    /** The query-group template URL; defaults to the release's URL in Datomic's S3 bucket, when confirmed (1217-9399, 1172-9392, 535-8812). */
    templateUrl?: string;
    /** The whole stack name (the compute group's name). Exclusive with `groupName` and `suffix`. */
    stackName?: string;
    /**
     * The group name; the stack is named `<groupName>` or `<groupName>-<suffix>`. Defaults to
     * `<component name>-<Pulumi stack>` (shortened with a hash when too long), so one service's stacks in one
     * account do not collide.
     */
    groupName?: string;
    /** Appended to `groupName`, for feature-branch groups (a branch name or git revision). */
    suffix?: string;
    /**
     * When `groupName-suffix` is too long or the suffix has characters a stack name cannot hold,
     * shorten it deterministically (cleaned, truncated, plus a 7-character hash of the suffix)
     * instead of failing. Default false: the preview fails and proposes that name.
     */
    shortenSuffix?: boolean;
    /** The longest stack name accepted, after Datomic's advice of short names. Default 23 (*unconfirmed*). */
    maxStackNameLength?: number;
    /** Names of the ion Lambdas (ion-config.edn `:lambdas` keys) that will be deployed to the group. */
    lambdaNames?: string[];
    /** An ion-config.edn whose `:lambdas` keys are added to `lambdaNames`, e.g. `../ion/resources/datomic/ion-config.edn`. */
    ionConfigFile?: string;
    /** Pulumi's timeout for creating, updating or deleting the stack, in minutes. Default 45. */
    timeoutMinutes?: number;
    /** Tags for the stack and the node policy. */
    tags?: Record<string, pulumi.Input<string>>;
}
