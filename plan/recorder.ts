/**
 * Runs Pulumi programs and components under Pulumi's mock runtime and records
 * what they register: every resource with its inputs and resource options
 * (parent, protect, dependencies, timeouts...), and every provider function
 * call. The mock monitor only tells mocks a resource's type, name and inputs,
 * so the recorder also wraps the monitor to read the options from the request.
 */
import type * as pulumiModule from "@pulumi/pulumi";
import {
    MockAnswers,
    MockRunSettings,
    ProviderReference,
    RecordedAlias,
    RecordedCall,
    RecordedResource,
    Registration,
} from "./recorded";
import { plain, StructLike } from "./rpcValues";

type Pulumi = typeof pulumiModule;

interface MonitorLike {
    registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: RegisterResponse) => void): void;
    readResource(req: ReadRequest, callback: (err: Error | null, resp?: ReadResponse) => void): void;
    invoke(req: InvokeRequest, callback: (err: Error | null, resp?: unknown) => void): void;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): StructLike | undefined;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getImportid(): string;
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getDeletebeforereplace(): boolean;
    getAliasesList(): AliasLike[];
}

/** pulumi/pulumi proto/alias.proto: an old URN, or a spec of the parts that differ. */
interface AliasLike {
    getUrn(): string;
    getSpec():
        | {
              getName(): string;
              getType(): string;
              getStack(): string;
              getProject(): string;
              getParenturn(): string;
              getNoparent(): boolean;
          }
        | undefined;
}

interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): StructLike | undefined;
}

interface ReadRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getProperties(): StructLike | undefined;
    getProvider(): string;
    getId(): string;
    getDependenciesList(): string[];
}

interface ReadResponse {
    getUrn(): string;
    getProperties(): StructLike | undefined;
}

interface InvokeRequest {
    getTok(): string;
    getArgs(): StructLike | undefined;
}

/**
 * Records what a program registers under Pulumi's mocks.
 *
 * ```ts
 * const recorder = new MockRecorder(answers);
 * recorder.install(pulumi, { project: "datomic", stack: "dev", preview: false });
 * // construct components, await their outputs, then inspect recorder.resources
 * ```
 */
export class MockRecorder {
    public readonly resources: RecordedResource[] = [];
    public readonly calls: RecordedCall[] = [];
    /** Registrations and lookups that failed, in order. */
    public readonly failures: Error[] = [];
    private pending = 0;
    private preview = false;
    private lastActivity = Date.now();
    /** The registration whose mock answer is being computed (the mock monitor asks synchronously). */
    private registering?: Registration;
    private project = "";
    private stack = "";

    constructor(private readonly answers: MockAnswers) {}

    /** Installs the mocks into `pulumi` (the program's own copy of `@pulumi/pulumi`). */
    public install(pulumi: Pulumi, settings: MockRunSettings): void {
        this.preview = settings.preview;
        this.project = settings.project;
        this.stack = settings.stack;
        // setMocks does all its work before its first await, so the monitor is in place on return.
        void pulumi.runtime.setMocks(
            {
                newResource: (args) => this.newResource(args.type, args.name, args.inputs, args.id),
                call: (args) => this.answers.call(args.token, args.inputs, this.providerOf(args.provider)),
            },
            settings.project,
            settings.stack,
            settings.preview,
            settings.organization,
        );
        const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
        this.wrapMonitor(monitor, pulumi);
    }

    /**
     * How long, in milliseconds, no registration or lookup has been in flight or finished: a program whose
     * registrations wait on a failed value stays quiet for good.
     */
    public quietFor(): number {
        return this.pending > 0 ? 0 : Date.now() - this.lastActivity;
    }

    /** Forgets what was recorded, keeping the mocks installed. */
    public reset(): void {
        this.resources.length = 0;
        this.calls.length = 0;
        this.failures.length = 0;
    }

    /** Resolves once no registration or lookup has been in flight for several turns of the event loop. */
    public async settle(): Promise<void> {
        let quietTurns = 0;
        let lastCount = -1;
        while (quietTurns < 5) {
            await new Promise((resolve) => setImmediate(resolve));
            const count = this.resources.length + this.calls.length;
            quietTurns = this.pending === 0 && count === lastCount ? quietTurns + 1 : 0;
            lastCount = count;
        }
    }

    /** Resources of one type, in registration order. */
    public ofType(type: string): RecordedResource[] {
        return this.resources.filter((resource) => resource.type === type);
    }

    /** The one resource with this type and name; throws listing what exists when there is none. */
    public get(type: string, name: string): RecordedResource {
        const found = this.resources.find((resource) => resource.type === type && resource.name === name);
        if (!found) {
            const names = this.ofType(type).map((resource) => resource.name);
            throw new Error(`No ${type} named "${name}" was registered; registered: ${names.join(", ") || "(none)"}`);
        }
        return found;
    }

    /** Calls to one provider function, in order. */
    public callsTo(token: string): RecordedCall[] {
        return this.calls.filter((call) => call.token === token);
    }

    /** The recorded provider a provider reference (`<urn>::<id>`) points to. */
    private providerOf(reference: string | undefined): ProviderReference | undefined {
        if (!reference) {
            return undefined;
        }
        const urn = reference.slice(0, reference.lastIndexOf("::"));
        const provider = this.resources.find((resource) => resource.urn === urn);
        return provider ? { type: provider.type, name: provider.name, inputs: provider.inputs } : undefined;
    }

    private newResource(type: string, name: string, inputs: Record<string, unknown>, importId: string | undefined) {
        const registration = this.registering;
        const deployed =
            registration?.type === type && registration.name === name
                ? this.answers.deployed?.(registration)
                : undefined;
        if (deployed) {
            return { id: deployed.id, state: deployed.outputs };
        }
        const extra = this.answers.resourceOutputs?.(type, name, inputs) ?? {};
        const state = { ...inputs, ...extra };
        // The mock monitor passes "" when there is no import or read id.
        const existingId = importId || this.answers.existingResourceId?.(type, name);
        if (this.preview && existingId === undefined) {
            // A resource about to be created has no id yet in a preview.
            return { id: undefined, state };
        }
        return { id: existingId ?? (typeof extra.id === "string" ? extra.id : `${name}-id`), state };
    }

    /** What a registration request says, before the mock answers it. */
    private registrationOf(req: RegisterRequest, pulumi: Pulumi): Registration {
        const timeouts = req.getCustomtimeouts();
        const parent = req.getParent() || undefined;
        return {
            urn: this.mockUrn(parent, req.getType(), req.getName()),
            type: req.getType(),
            name: req.getName(),
            parent,
            custom: req.getCustom(),
            read: false,
            inputs: plain(pulumi, req.getObject()),
            protect: req.getProtect() ?? false,
            retainOnDelete: req.getRetainondelete() ?? false,
            dependencies: req.getDependenciesList(),
            provider: req.getProvider() || undefined,
            importId: req.getImportid() || undefined,
            customTimeouts: timeouts
                ? {
                      create: timeouts.getCreate() || undefined,
                      update: timeouts.getUpdate() || undefined,
                      delete: timeouts.getDelete() || undefined,
                  }
                : undefined,
            ignoreChanges: req.getIgnorechangesList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            aliases: (req.getAliasesList?.() ?? []).map(aliasOf),
        };
    }

    /** The URN the mock monitor gives (@pulumi/pulumi runtime/mocks.js `newUrn`: the parent's own type only). */
    private mockUrn(parent: string | undefined, type: string, name: string): string {
        const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
        return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    }

    private wrapMonitor(monitor: MonitorLike, pulumi: Pulumi): void {
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, callback) => {
            this.pending++;
            this.lastActivity = Date.now();
            const registration = this.registrationOf(req, pulumi);
            this.registering = registration;
            try {
                // The mock monitor calls the mocks' newResource before its first await: while `registering` is set.
                register(req, (err, resp) => {
                    this.pending--;
                    this.lastActivity = Date.now();
                    if (err || !resp) {
                        this.failures.push(err ?? new Error(`registering ${req.getType()} ${req.getName()} failed`));
                    } else {
                        this.resources.push({
                            ...registration,
                            urn: resp.getUrn(),
                            id: resp.getId() || undefined,
                            outputs: plain(pulumi, resp.getObject()),
                        });
                    }
                    callback(err, resp);
                });
            } finally {
                this.registering = undefined;
            }
        };
        const read = monitor.readResource.bind(monitor);
        monitor.readResource = (req, callback) => {
            this.pending++;
            this.lastActivity = Date.now();
            read(req, (err, resp) => {
                this.pending--;
                this.lastActivity = Date.now();
                if (err || !resp) {
                    this.failures.push(err ?? new Error(`reading ${req.getType()} ${req.getName()} failed`));
                } else {
                    this.resources.push({
                        urn: resp.getUrn(),
                        type: req.getType(),
                        name: req.getName(),
                        parent: req.getParent() || undefined,
                        custom: true,
                        read: true,
                        inputs: plain(pulumi, req.getProperties()),
                        outputs: plain(pulumi, resp.getProperties()),
                        protect: false,
                        retainOnDelete: false,
                        dependencies: req.getDependenciesList(),
                        provider: req.getProvider() || undefined,
                        importId: req.getId() || undefined,
                        ignoreChanges: [],
                        replaceOnChanges: [],
                        deleteBeforeReplace: false,
                    });
                }
                callback(err, resp);
            });
        };
        const invoke = monitor.invoke.bind(monitor);
        monitor.invoke = (req, callback) => {
            this.pending++;
            this.lastActivity = Date.now();
            const call = { token: req.getTok(), inputs: plain(pulumi, req.getArgs()) };
            this.calls.push(call);
            invoke(req, (err, resp) => {
                this.pending--;
                this.lastActivity = Date.now();
                if (err) {
                    this.failures.push(err);
                    // The SDK rethrows a failed invoke as `new Error(err.details)` (an engine error's text):
                    // without details, every value computed from the lookup would fail with an empty message.
                    const withDetails = err as Error & { details?: string };
                    withDetails.details ??= err.message;
                }
                callback(err, resp);
            });
        };
    }
}

function aliasOf(alias: AliasLike): RecordedAlias {
    const spec = alias.getSpec();
    if (!spec) {
        return { urn: alias.getUrn() };
    }
    const parts: Record<string, string | boolean> = {
        name: spec.getName(),
        type: spec.getType(),
        stack: spec.getStack(),
        project: spec.getProject(),
        parentUrn: spec.getParenturn(),
        noParent: spec.getNoparent(),
    };
    return Object.fromEntries(Object.entries(parts).filter(([, value]) => value !== "" && value !== false));
}
