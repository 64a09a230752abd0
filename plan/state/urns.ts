/**
 * Which resource of the deployed state a registration is, as the engine finds it: by the URN the engine
 * gives it, then by its aliases, and by the aliases its parent inherited (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go `getOldResource`, `generateAliases`, `collapseAliasToUrn`,
 * `inheritedChildAlias`; URNs as sdk/go/common/resource/alias.go `CreateURN` builds them).
 */
import type { RecordedAlias, Registration } from "../recorded";

/** A URN as the engine builds it: a child's type is prefixed with its parent's whole chain of types. */
export function createUrn(name: string, type: string, parent: string | undefined, project: string, stack: string) {
    const prefix = parent ? `${parent.slice(0, parent.lastIndexOf("::"))}$` : `urn:pulumi:${stack}::${project}::`;
    return `${prefix}${type}::${name}`;
}

/** The name part of a URN. */
export function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The type part of a URN (the last of its chain of types). */
export function urnType(urn: string): string {
    return urn.split("::")[2].split("$").pop()!;
}

/** Where a registration sits in the engine's terms. */
export interface UrnMatch {
    /** The URN the engine gives the resource. */
    readonly urn: string;
    /** The URN of the deployed resource it is: its own URN, an alias, or none (a new resource). */
    readonly matched?: string;
}

/** Matches registrations, parents before children, to the URNs of a deployed state. */
export class UrnMatcher {
    private readonly matches = new Map<string, UrnMatch>();

    constructor(
        private readonly project: string,
        private readonly stack: string,
        private readonly deployed: ReadonlySet<string>,
    ) {}

    /** The match already made for the registration with this mock URN, if any. */
    public known(mockUrn: string): UrnMatch | undefined {
        return this.matches.get(mockUrn);
    }

    /** The match of a registration (the same answer every time it is asked). */
    public match(registration: Pick<Registration, "urn" | "type" | "name" | "parent" | "aliases">): UrnMatch {
        const known = this.matches.get(registration.urn);
        if (known) {
            return known;
        }
        const parent = registration.parent ? this.matches.get(registration.parent) : undefined;
        const urn = createUrn(registration.name, registration.type, parent?.urn, this.project, this.stack);
        const candidates = [urn, ...this.aliasesOf(registration, parent)];
        const matched = candidates.find((candidate) => this.deployed.has(candidate));
        const result = { urn, ...(matched ? { matched } : {}) };
        this.matches.set(registration.urn, result);
        return result;
    }

    private aliasesOf(
        registration: Pick<Registration, "type" | "name" | "aliases">,
        parent: UrnMatch | undefined,
    ): string[] {
        const own = (registration.aliases ?? []).map((alias) => this.collapse(registration, parent, alias));
        const parentOld = parent?.matched !== undefined && parent.matched !== parent.urn ? parent.matched : undefined;
        if (!parent || !parentOld) {
            return own;
        }
        // A child of an aliased parent is also found under the parent's old URN, its name's prefix renamed.
        const parentName = urnName(parent.urn);
        const inherited = (type: string, name: string) =>
            createUrn(
                name.startsWith(parentName) ? urnName(parentOld) + name.slice(parentName.length) : name,
                type,
                parentOld,
                this.project,
                this.stack,
            );
        return [
            ...own,
            inherited(registration.type, registration.name),
            ...own.map((alias) => inherited(urnType(alias), urnName(alias))),
        ];
    }

    private collapse(
        registration: Pick<Registration, "type" | "name">,
        parent: UrnMatch | undefined,
        alias: RecordedAlias,
    ): string {
        if (alias.urn) {
            return alias.urn;
        }
        let parentUrn = parent?.matched ?? parent?.urn;
        if (alias.parentUrn) {
            const aliasParent = this.matches.get(alias.parentUrn);
            parentUrn = aliasParent?.matched ?? aliasParent?.urn ?? alias.parentUrn;
        }
        return createUrn(
            alias.name ?? registration.name,
            alias.type ?? registration.type,
            alias.noParent ? undefined : parentUrn,
            alias.project ?? this.project,
            alias.stack ?? this.stack,
        );
    }
}
