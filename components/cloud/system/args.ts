/**
 * The arguments of DatomicCloudSystem: adopt an existing system, or create one from
 * Datomic's CloudFormation templates (`create`).
 */
import * as pulumi from "@pulumi/pulumi";

/** Settings for creating a new Datomic Cloud system from Datomic's CloudFormation templates. */
export interface DatomicCloudSystemCreateArgs {
    /**
     * The Datomic Cloud release, `<revision>-<build>`. Defaults to `1217-9399`.
     * Upgrading is a change of this value: Pulumi updates the storage stack (with `Restart` true, as
     * Datomic's upgrade procedure requires), then the compute stack. Releases whose template URLs
     * are not confirmed need `storageTemplateUrl` and `computeTemplateUrl`.
     */
    templateVersion?: string;
    /** The storage template URL; defaults to the release's URL in Datomic's S3 bucket, when confirmed. */
    storageTemplateUrl?: string;
    /** The primary compute template URL; defaults to the release's URL in Datomic's S3 bucket, when confirmed. */
    computeTemplateUrl?: string;
    /** `InstanceType` of the primary compute nodes, `family.size` such as `t3.large`. The template's default when omitted. */
    instanceType?: pulumi.Input<string>;
    /**
     * `KeyName`: the EC2 key pair of the nodes. Required: Datomic requires a key pair and CloudFormation
     * rejects the stack without one (unless `computeParameters.KeyName` is given).
     */
    keyName?: pulumi.Input<string>;
    /**
     * `ApplicationName` of the ions deployed to the primary compute group. Datomic does not allow changing it
     * after creation: a change of a deployed stack's value is refused at preview.
     */
    applicationName?: pulumi.Input<string>;
    /** `DesiredCapacity`; omit for the template's `Default`. */
    desiredCapacity?: number;
    /** `MinSize`; omit for the template's `Default`. */
    minSize?: number;
    /** `MaxSize`; omit for the template's `Default`. */
    maxSize?: number;
    /** `MinInstancesInService`; omit for the template's `Default`. Must be less than `maxSize` (Datomic: at least 1 less). */
    minInstancesInService?: number;
    /** `VpcCidrBlock` of the Datomic VPC; the template's default when omitted. */
    vpcCidrBlock?: string;
    /** `Subnet0CidrBlock`..`Subnet2CidrBlock`: exactly three blocks inside `vpcCidrBlock`, when given. */
    subnetCidrBlocks?: string[];
    /**
     * `Restart` ("Reuse Existing Storage") is decided by the storage itself: `"true"` whenever Datomic's
     * DynamoDB table `datomic-<system>` exists (an existing system, or a deleted storage stack whose data
     * Datomic retained), `"false"` only when it never existed (docs.datomic.com/operation/storage-template.html,
     * operation/deleting.html). Deleting the storage stack does not delete the data. Leave this out; `true`
     * where no table exists is refused (there is nothing to reuse), and `false` never overrides an existing table.
     */
    restart?: boolean;
    /** Extra or overriding storage stack parameters, for template releases whose parameters differ. */
    storageParameters?: Record<string, pulumi.Input<string>>;
    /**
     * Extra or overriding compute stack parameters (for example `EnvironmentMap` or `NodePolicyARN`). On alb
     * releases `ClientAPI` and `Ions` default to `"true"`: the Client API gateway and the ion gateway that
     * DatomicAccess (`api-gateway`) and IonApiDomain need; override them here.
     */
    computeParameters?: Record<string, pulumi.Input<string>>;
    /**
     * Protect the storage stack from deletion and retain it if removed from the program. Default true.
     * Set false only for throwaway systems.
     */
    protectStorage?: boolean;
    /** Pulumi's timeout for creating, updating or deleting the storage stack, in minutes. Default 45. */
    storageTimeoutMinutes?: number;
    /** Pulumi's timeout for creating, updating or deleting the compute stack, in minutes. Default 45. */
    computeTimeoutMinutes?: number;
}

/** Arguments of `DatomicCloudSystem`. */
export interface DatomicCloudSystemArgs {
    /** The Datomic system name: the name of the storage stack. */
    systemName: string;
    /**
     * The network topology, `"nlb"` (production systems before 884-9095), `"alb"` (884-9095 and later) or
     * `"solo"` (solo systems before 884-9095: adopted only, never created). Required when adopting; when
     * creating it defaults from `create.templateVersion`.
     */
    topology?: string;
    /**
     * Adopt mode: the Datomic Cloud release the system runs, `<revision>-<build>`, published in the contract
     * as `release` for query groups to follow. Defaults to the compute stack's outputs `DatomicCFTVersion` and
     * `DatomicCloudVersion` (newer templates); a value that contradicts them is refused.
     */
    release?: string;
    /** Adopt mode: the storage stack's name. Defaults to `systemName`. */
    storageStackName?: string;
    /** The primary compute stack's name. Defaults to `<systemName>-compute`. */
    computeStackName?: string;
    /** Create mode: present to create the system, absent to adopt an existing one. */
    create?: DatomicCloudSystemCreateArgs;
    /**
     * CIDR blocks allowed to SSH (TCP 22) to the bastion security group, when the compute stack has one
     * (nlb releases; there is no bastion from 884-9095 on). Empty or omitted: no rule. `0.0.0.0/0` and
     * `::/0` are refused unless `allowPublicBastion` is true.
     */
    bastionIngressCidrs?: string[];
    /** Allow `0.0.0.0/0` or `::/0` in `bastionIngressCidrs`. Default false. */
    allowPublicBastion?: boolean;
    /**
     * nlb topology: the VPC endpoint service on the primary compute NLB. `"create"` (the default for a
     * created system), `"adopt"` (import the one you made by hand, `endpointServiceId`) or `"none"` (the
     * default for an adopted system: an NLB takes only one endpoint service, so creating a second would fail).
     */
    endpointService?: string;
    /** With `endpointService: "adopt"`: the existing service's id, `vpce-svc-...`. */
    endpointServiceId?: string;
    /** nlb topology: whether connections to the VPC endpoint service need acceptance. Default false. */
    endpointServiceAcceptanceRequired?: pulumi.Input<boolean>;
    /** nlb topology: principals (ARNs, such as other accounts' roots) allowed to connect to the endpoint service. */
    endpointServiceAllowedPrincipals?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * AWS services (e.g. `["sqs"]`, or full names such as `com.amazonaws.us-east-1.sqs`) to reach from the
     * Datomic VPC through interface VPC endpoints with private DNS, in a security group of their own that
     * admits HTTPS (TCP 443) from the nodes security group.
     */
    awsServiceEndpoints?: string[];
    /** The client endpoint to publish, when the default for the topology does not fit. */
    clientEndpoint?: pulumi.Input<string>;
    /** Tags for the stacks and every resource the component creates. */
    tags?: Record<string, pulumi.Input<string>>;
}
