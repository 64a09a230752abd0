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

/** One registered or read resource. */
export interface RecordedResource {
    readonly urn: string;
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
}

/** Settings of one mock run. */
export interface MockRunSettings {
    project: string;
    stack: string;
    organization?: string;
    /** Preview mode: resource outputs the mocks do not return are unknown, as in `pulumi preview`. */
    preview: boolean;
}
