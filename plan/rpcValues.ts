/**
 * Turns the property structs the Pulumi SDK sends its monitor into plain recorded data: unknowns as
 * {@link UNKNOWN}, secrets as {@link Secret}, assets and archives as {@link AssetDescription}s.
 */
import type * as pulumiModule from "@pulumi/pulumi";
import { AssetDescription, Secret, UNKNOWN } from "./recorded";

type Pulumi = typeof pulumiModule;

/** A protobuf struct as the SDK's monitor requests carry it. */
export interface StructLike {
    toJavaScript(): unknown;
}

/** Deserializes a protobuf struct of properties into plain data, showing unknowns as {@link UNKNOWN}. */
export function plain(pulumi: Pulumi, struct: StructLike | undefined): Record<string, unknown> {
    if (!struct) {
        return {};
    }
    const properties = Object.entries(struct.toJavaScript() as Record<string, unknown>)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, deserialize(pulumi, value)]);
    return replaceUnknowns(pulumi, Object.fromEntries(properties)) as Record<string, unknown>;
}

/**
 * Pulumi's deserialization of one property, except that assets and archives become
 * {@link AssetDescription}s: the SDK's own asset classes hold their path in a promise, which a
 * synchronous recording cannot read.
 */
function deserialize(pulumi: Pulumi, value: unknown): unknown {
    const { runtime } = pulumi;
    if (value === null || typeof value !== "object") {
        return runtime.deserializeProperty(value, true);
    }
    const signature = (value as Record<string, unknown>)[runtime.specialSigKey];
    if (signature === runtime.specialAssetSig || signature === runtime.specialArchiveSig) {
        return describeAsset(pulumi, value as Record<string, unknown>, signature === runtime.specialArchiveSig);
    }
    if (signature !== undefined) {
        return runtime.deserializeProperty(value, true);
    }
    // As the SDK does, a list or map holding a secret is secret as a whole.
    let secret = false;
    const open = (item: unknown) => {
        const deserialized = deserialize(pulumi, item);
        if (isRpcSecret(pulumi, deserialized)) {
            secret = true;
            return deserialized.value;
        }
        return deserialized;
    };
    const result = Array.isArray(value)
        ? value.map(open)
        : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, open(item)]));
    return secret ? { [runtime.specialSigKey]: runtime.specialSecretSig, value: result } : result;
}

function describeAsset(pulumi: Pulumi, raw: Record<string, unknown>, archive: boolean): AssetDescription {
    const noun = archive ? "Archive" : "Asset";
    if (typeof raw.path === "string") {
        return new AssetDescription(`File${noun}`, { path: raw.path });
    }
    if (typeof raw.uri === "string") {
        return new AssetDescription(`Remote${noun}`, { uri: raw.uri });
    }
    if (typeof raw.text === "string") {
        return new AssetDescription("StringAsset", { text: raw.text });
    }
    const members = Object.entries((raw.assets ?? {}) as Record<string, Record<string, unknown>>).map(
        ([name, member]) =>
            [
                name,
                describeAsset(
                    pulumi,
                    member,
                    member[pulumi.runtime.specialSigKey] === pulumi.runtime.specialArchiveSig,
                ),
            ] as const,
    );
    return new AssetDescription("AssetArchive", { assets: Object.fromEntries(members) });
}

function replaceUnknowns(pulumi: Pulumi, value: unknown): unknown {
    if (pulumi.isUnknown(value)) {
        return UNKNOWN;
    }
    if (isRpcSecret(pulumi, value)) {
        return new Secret(replaceUnknowns(pulumi, value.value));
    }
    if (Array.isArray(value)) {
        return value.map((item) => replaceUnknowns(pulumi, item));
    }
    if (value !== null && typeof value === "object") {
        if (pulumi.Resource.isInstance(value) || value instanceof AssetDescription) {
            return value;
        }
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
                .filter(([, item]) => item !== undefined)
                .map(([key, item]) => [key, replaceUnknowns(pulumi, item)]),
        );
    }
    return value;
}

function isRpcSecret(pulumi: Pulumi, value: unknown): value is { value: unknown } {
    return (
        value !== null &&
        typeof value === "object" &&
        (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
    );
}
