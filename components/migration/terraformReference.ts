/**
 * TerraformDatomicReference: the environment stack contract, read from the Terraform state of the
 * setup this package replaces, so services can leave `terraform_remote_state` one at a time.
 *
 * It exposes the same typed fields as {@link DatomicSystemReference}; a service switches to the Pulumi
 * environment stack by changing the constructor and nothing else. The state is read through
 * `@pulumi/terraform`'s remote state functions (S3 backend, or the remote backend of HCP Terraform /
 * Terraform Enterprise), loaded only when this class is used: it is an optional peer dependency.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as terraform from "@pulumi/terraform";
import { CONTRACT_LIST_OUTPUTS, CONTRACT_OUTPUT_NAMES, ContractOutputName } from "../contract";
import { DatomicContractReader } from "../contractReader";
import { inVpcClientEndpoint } from "../internal/endpoints";
import { contractValue, DEFAULT_TERRAFORM_OUTPUT_NAMES, TerraformStateSource } from "../internal/terraformOutputs";

/** A state kept by Terraform's `s3` backend (the backend jdhollis/datomic-service and its services used). */
export interface TerraformS3StateArgs {
    /** The state bucket. */
    bucket: string;
    /** The state object's key, e.g. `datomic/terraform.tfstate`. */
    key: string;
    /** The bucket's region; the `AWS_REGION` environment variable when omitted. */
    region?: string;
    /** A role to assume to read the state (the backend's `role_arn`). */
    roleArn?: string;
    /** A named profile of the shared credentials file (the backend's `profile`). */
    profile?: string;
    /** A Terraform workspace other than `default`. */
    workspace?: string;
    /** The prefix of non-default workspaces' keys (the backend's `workspace_key_prefix`, default `env:`). */
    workspaceKeyPrefix?: string;
}

/** A state kept by Terraform's `remote` backend: HCP Terraform (Terraform Cloud) or Terraform Enterprise. */
export interface TerraformRemoteStateArgs {
    /** The organization owning the workspace. */
    organization: string;
    /** The workspace's full name. */
    workspaceName: string;
    /** The Terraform Enterprise host name; HCP Terraform (`app.terraform.io`) when omitted. */
    hostname?: string;
    /** An API token (pass a secret, e.g. `config.requireSecret("tfcToken")`); the Terraform CLI's credentials when omitted. */
    token?: pulumi.Input<string>;
}

/** Arguments of {@link TerraformDatomicReference}: exactly one of `s3` and `remote`. */
export interface TerraformDatomicReferenceArgs {
    /** Read the state from an S3 backend. */
    s3?: TerraformS3StateArgs;
    /** Read the state from the remote backend (HCP Terraform, Terraform Enterprise). */
    remote?: TerraformRemoteStateArgs;
    /**
     * The environment to read from outputs that are maps by environment, as jdhollis/datomic-service's
     * are (`system_name = { dev = ..., stage = ..., prod = ... }`): `dev`, `stage` or `prod`.
     */
    environment?: string;
    /**
     * Terraform output names by contract output name, for outputs named otherwise than the defaults
     * ({@link DEFAULT_TERRAFORM_OUTPUT_NAMES}), e.g. `{ systemName: "datomic_system" }`.
     */
    outputNames?: Record<string, string>;
    /**
     * Values of (string) contract outputs the state does not hold, e.g. `{ region: "us-east-1" }`. They win
     * over the state. Without them `flavor` is `"cloud"`, `topology` is `"nlb"` (the Terraform setup's
     * topology) and `clientEndpoint` is derived from `systemName`, `region` and `topology`.
     */
    fixedOutputs?: Record<string, string>;
}

/** Contract outputs with a value when neither the state nor `fixedOutputs` has one. */
const BUILT_IN_DEFAULTS: Partial<Record<ContractOutputName, string>> = { flavor: "cloud", topology: "nlb" };

/**
 * Reads the environment stack contract out of a Terraform state. Fields are read on first use, and an
 * output the state does not have fails with a message naming the output and the state.
 *
 * @example
 * ```ts
 * // Before: const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/prod" });
 * const datomic = new TerraformDatomicReference("datomic", {
 *     s3: { bucket: "acme-tfstate", key: "datomic/terraform.tfstate", region: "us-east-1" },
 *     environment: "prod",
 *     fixedOutputs: { region: "us-east-1" },
 * });
 * new QueryGroup("orders", { systemName: datomic.systemName, keyName: datomic.keyName, templateVersion: "535-8812" });
 * ```
 */
export class TerraformDatomicReference extends DatomicContractReader {
    /** Every output of the Terraform state, as `@pulumi/terraform` returns them. */
    public readonly terraformOutputs: pulumi.Output<Record<string, unknown>>;
    private readonly source: TerraformStateSource;
    private readonly outputNames: Record<ContractOutputName, string>;
    private readonly fixedOutputs: Partial<Record<ContractOutputName, string>>;

    constructor(name: string, args: TerraformDatomicReferenceArgs, opts?: pulumi.InvokeOutputOptions) {
        super();
        if ((args.s3 === undefined) === (args.remote === undefined)) {
            throw new Error(
                `s3: TerraformDatomicReference ${name} reads one state; give either s3 (an S3 backend) or remote ` +
                    "(HCP Terraform / Terraform Enterprise)",
            );
        }
        this.outputNames = { ...DEFAULT_TERRAFORM_OUTPUT_NAMES, ...contractKeyed("outputNames", args.outputNames) };
        this.fixedOutputs = contractKeyed("fixedOutputs", args.fixedOutputs);
        for (const key of Object.keys(this.fixedOutputs) as ContractOutputName[]) {
            if (CONTRACT_LIST_OUTPUTS.has(key)) {
                throw new Error(`fixedOutputs: ${key} is a list output; it can only be read from the state`);
            }
        }

        const tf = loadTerraform();
        if (args.s3) {
            const s3 = args.s3;
            const workspace = s3.workspace === undefined ? "" : ` (workspace ${s3.workspace})`;
            this.source = { description: `s3://${s3.bucket}/${s3.key}${workspace}`, environment: args.environment };
            this.terraformOutputs = tf.state.getS3ReferenceOutput(
                {
                    bucket: s3.bucket,
                    key: s3.key,
                    region: s3.region,
                    roleArn: s3.roleArn,
                    profile: s3.profile,
                    workspace: s3.workspace,
                    workspaceKeyPrefix: s3.workspaceKeyPrefix,
                },
                opts,
            ).outputs;
        } else {
            const remote = args.remote!;
            const host = remote.hostname ?? "app.terraform.io";
            this.source = {
                description: `${host}/${remote.organization}/${remote.workspaceName}`,
                environment: args.environment,
            };
            this.terraformOutputs = tf.state.getRemoteReferenceOutput(
                {
                    organization: remote.organization,
                    workspaces: { name: remote.workspaceName },
                    hostname: remote.hostname,
                    token: remote.token,
                },
                opts,
            ).outputs;
        }
    }

    /** Reads an output from `fixedOutputs`, the state, or the built-in defaults, in that order. */
    protected readOutput(name: ContractOutputName): pulumi.Output<unknown> {
        const fixed = this.fixedOutputs[name];
        if (fixed !== undefined) {
            return pulumi.output(fixed);
        }
        return this.terraformOutputs.apply((outputs) => {
            const read = contractValue(name, this.outputNames[name], outputs ?? {}, this.source);
            if ("value" in read) {
                return pulumi.output<unknown>(read.value);
            }
            const fallback = BUILT_IN_DEFAULTS[name];
            if (fallback !== undefined) {
                return pulumi.output<unknown>(fallback);
            }
            if (name === "clientEndpoint") {
                return pulumi
                    .all([this.systemName, this.region, this.topology])
                    .apply(([system, region, topology]) => inVpcClientEndpoint(system, region, topology));
            }
            throw new Error(read.problem);
        });
    }
}

/** Checks that a map's keys are contract output names. */
function contractKeyed(argument: string, map: Record<string, string> | undefined) {
    for (const key of Object.keys(map ?? {})) {
        if (!(CONTRACT_OUTPUT_NAMES as readonly string[]).includes(key)) {
            throw new Error(
                `${argument}: "${key}" is not an output of the environment stack contract; use one of ${CONTRACT_OUTPUT_NAMES.join(", ")}`,
            );
        }
    }
    return (map ?? {}) as Partial<Record<ContractOutputName, string>>;
}

/** `@pulumi/terraform`, loaded on first use: it is an optional peer dependency of this package. */
function loadTerraform(): typeof terraform {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("@pulumi/terraform") as typeof terraform;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") {
            throw new Error(
                "TerraformDatomicReference reads Terraform state with @pulumi/terraform, which is not installed; " +
                    "add it to the program: npm install @pulumi/terraform@^6",
            );
        }
        throw error;
    }
}
