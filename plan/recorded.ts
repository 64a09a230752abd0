/**
 * What a plan records of a program run: resources with their inputs and options, lookups, and how
 * unknown, secret and asset values appear in them.
 */
/** How a value that is only known after deployment appears in recorded inputs and outputs. */
export const UNKNOWN = "<unknown before deployment>";

/** A value marked secret; renderers print it masked. */
export class Secret {
    constructor(public readonly value: unknown) {}

    public toJSON(): string {
        return "[secret]";
    }
}

/** An asset or archive in recorded inputs: its kind and where its content comes from. */
export class AssetDescription {
    public readonly path?: string;
    public readonly uri?: string;
    public readonly text?: string;
    public readonly assets?: Record<string, AssetDescription>;

    constructor(
        /** `FileAsset`, `StringAsset`, `RemoteAsset`, `FileArchive`, `RemoteArchive` or `AssetArchive`. */
        public readonly kind: string,
        source: { path?: string; uri?: string; text?: string; assets?: Record<string, AssetDescription> },
    ) {
        Object.assign(this, source);
    }
}

/**
 * An alias the program declared (the `aliases` option): an old URN, or the parts of the old URN that differ
 * from the resource's own (an absent part is the resource's).
 */
export interface RecordedAlias {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly stack?: string;
    readonly project?: string;
    /** The old parent's URN (as the mock runtime names it). */
    readonly parentUrn?: string;
    /** The resource had no parent. */
    readonly noParent?: boolean;
}

/** One registered or read resource. */
export interface RecordedResource {
    /**
     * The URN the mock runtime gives it. The mock keeps only the parent's own type in a child's URN; the
     * engine keeps the whole chain of parent types (`plan/state/urns.ts` computes the engine's).
     */
    readonly urn: string;
    /** The id the mock answered (absent for components, and for new resources in a preview). */
    readonly id?: string;
    readonly type: string;
    readonly name: string;
    /** The parent's URN, when the resource has a parent. */
    readonly parent?: string;
    /** False for component resources. */
    readonly custom: boolean;
    /** True when the resource was read (`get`/StackReference) rather than managed. */
    readonly read: boolean;
    readonly inputs: Record<string, unknown>;
    /** The outputs the mock answered with. */
    readonly outputs: Record<string, unknown>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** URNs of explicit and implicit dependencies. */
    readonly dependencies: string[];
    readonly provider?: string;
    readonly importId?: string;
    readonly customTimeouts?: { create?: string; update?: string; delete?: string };
    readonly ignoreChanges: string[];
    readonly replaceOnChanges: string[];
    readonly deleteBeforeReplace: boolean;
    readonly aliases?: RecordedAlias[];
}

/** A registration as the mocks see it before answering: the recording without outputs and id. */
export type Registration = Omit<RecordedResource, "outputs" | "id">;

/** What a resource that exists in the deployed state answers: its id and outputs. */
export interface DeployedAnswer {
    readonly id: string;
    readonly outputs: Record<string, unknown>;
}

/** One provider function call (a lookup). */
export interface RecordedCall {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}

/** The explicit provider a lookup runs under, as the program registered it. */
export interface ProviderReference {
    /** `pulumi:providers:<package>`. */
    readonly type: string;
    readonly name: string;
    /** The provider's settings (`region`, `assumeRoles`...); nested values may arrive as JSON text. */
    readonly inputs: Record<string, unknown>;
}

/** What the mocks answer. */
export interface MockAnswers {
    /**
     * The result of a provider function call; `provider` is the explicit provider it runs under, if any.
     * Throw to fail the lookup with a message.
     */
    call(token: string, inputs: Record<string, unknown>, provider?: ProviderReference): Record<string, unknown>;
    /**
     * Outputs a new resource has beyond its inputs (ids, ARNs, computed names).
     * Return `undefined` for none. In a preview, anything not returned is unknown.
     */
    resourceOutputs?(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined;
    /** The id of a resource that already exists in the state the run updates (known in a preview too). */
    existingResourceId?(type: string, name: string): string | undefined;
    /**
     * The deployed id and outputs of a registered resource that exists in the state the run is compared
     * with; `undefined` for one the engine would create or replace.
     */
    deployed?(registration: Registration): DeployedAnswer | undefined;
}

/** Settings of one mock run. */
export interface MockRunSettings {
    project: string;
    stack: string;
    organization?: string;
    /** Preview mode: resource outputs the mocks do not return are unknown, as in `pulumi preview`. */
    preview: boolean;
}
