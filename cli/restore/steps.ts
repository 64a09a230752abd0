/**
 * The restore, step by step. Each step is safe to run again, and the record (record.ts) names the next
 * one before it starts, so `--resume` continues where an interrupted or failed run stopped. Datomic's
 * rules (docs.datomic.com/operation/backup.html): restoring requires every transactor and every peer to
 * be stopped, and no backup may write a backup URI while a restore reads it.
 */
import { spawnSync } from "child_process";
import { RESTORE_EXIT, RestoreStop } from "./exitCodes";
import { UriLock } from "./lock";
import { RecordStore, RESTORE_STEPS, RestoreRecord, RestoreStep } from "./record";
import { SystemControls } from "./system";
import type { RestoreSettings } from "../../components/pro/backup/restoreSettings";

/** Everything a step uses. */
export interface RestoreContext {
    settings: RestoreSettings;
    store: RecordStore;
    lock: UriLock;
    system: SystemControls;
    record: RestoreRecord;
    pollSeconds: number;
    /** When waits give up (epoch ms). */
    deadline: number;
    /** Prints a progress line. */
    say: (line: string) => void;
    /** Throws RestoreStop when the command was interrupted. */
    checkInterrupted: () => void;
}

/** Runs the steps from the recorded one to the end. */
export async function runSteps(ctx: RestoreContext): Promise<void> {
    while (ctx.record.step !== "done") {
        const step = ctx.record.step;
        const index = RESTORE_STEPS.indexOf(step);
        ctx.checkInterrupted();
        ctx.say(`[${index + 1}/${RESTORE_STEPS.length}] ${step}`);
        await STEPS[step](ctx);
        await advance(ctx, RESTORE_STEPS[index + 1] ?? "done");
    }
}

/** Records that `step` is next (the record is gone once the restore is done). */
async function advance(ctx: RestoreContext, step: RestoreStep): Promise<void> {
    ctx.record.step = step;
    ctx.record.history.push({ step, at: new Date().toISOString() });
    if (step !== "done") {
        await ctx.store.save(ctx.record);
    }
}

/** Polls `done` until it is true, renewing the lock; throws a timeout stop at the deadline. */
export async function waitUntil(ctx: RestoreContext, what: string, done: () => Promise<boolean>): Promise<void> {
    for (;;) {
        if (await done()) {
            return;
        }
        ctx.checkInterrupted();
        if (Date.now() > ctx.deadline) {
            throw new RestoreStop(`timed out waiting until ${what}`, RESTORE_EXIT.timedOut);
        }
        await ctx.lock.renew();
        await new Promise((resolve) => setTimeout(resolve, ctx.pollSeconds * 1000));
    }
}

/** Runs a peer hook command through the shell; its output goes to the terminal. */
export function runHook(ctx: RestoreContext, command: string): void {
    ctx.say(`running: ${command}`);
    const result = spawnSync("sh", ["-c", command], { stdio: ["ignore", "inherit", "inherit"] });
    if (result.status !== 0) {
        throw new RestoreStop(
            `the peer hook "${command}" failed (exit ${result.status ?? result.signal})`,
            RESTORE_EXIT.hookFailed,
        );
    }
}

/** The states a restore run ends with (components/pro/backup/restoreScript.ts). */
function isOutcome(state: string | undefined): boolean {
    return state === "succeeded" || state === "failed";
}

/**
 * The restore group is back to nothing (no instance, none wanted) and the lock item has no outcome. A run
 * records its outcome before it leaves its group, so the item is read after the group: a run that
 * finished between the two reads is not taken for lost.
 */
async function runLost(ctx: RestoreContext): Promise<boolean> {
    const group = ctx.settings.restoreGroupName;
    const gone = (await ctx.system.sizes(group)).desiredCapacity === 0 && (await ctx.system.liveInstances(group)) === 0;
    return gone && !isOutcome((await ctx.lock.read())?.runState);
}

function backupGroups(settings: RestoreSettings): string[] {
    return [settings.backupGroupName, ...(settings.restoreDrillGroupName ? [settings.restoreDrillGroupName] : [])];
}

const STEPS: Record<Exclude<RestoreStep, "done">, (ctx: RestoreContext) => Promise<void>> = {
    // Taken before the record exists (restore.ts); here it is taken again on resume, and renewed.
    async lock(ctx) {
        if (!(await ctx.lock.take())) {
            const holder = await ctx.lock.read();
            throw new RestoreStop(`${ctx.lock.uri} is locked by ${holder?.owner ?? "another run"}`, RESTORE_EXIT.busy);
        }
        await ctx.system.publishInProgress(1);
        ctx.say(
            `holding the lock on ${ctx.lock.uri}; the alarm ${ctx.settings.systemName}-datomic-restore-in-progress is on until the end`,
        );
    },

    async "pause-schedules"(ctx) {
        if (ctx.record.suspendedGroups === undefined) {
            const ours: string[] = [];
            for (const group of backupGroups(ctx.settings)) {
                if (!(await ctx.system.schedulesSuspended(group))) {
                    ours.push(group);
                }
            }
            ctx.record.suspendedGroups = ours;
            await ctx.store.save(ctx.record);
        }
        for (const group of ctx.record.suspendedGroups) {
            await ctx.system.suspendSchedules(group);
            ctx.say(`paused the schedule of ${group}`);
        }
    },

    async "stop-peers"(ctx) {
        if (ctx.record.stopPeersCommand) {
            runHook(ctx, ctx.record.stopPeersCommand);
        } else {
            ctx.say("peers: you confirmed every peer is stopped (--peers-stopped); Datomic requires it for a restore");
        }
    },

    async "stop-transactors"(ctx) {
        const groupName = ctx.settings.transactorGroupName as string;
        if (!ctx.record.transactors) {
            ctx.record.transactors = { groupName, ...(await ctx.system.sizes(groupName)) };
            await ctx.store.save(ctx.record);
        }
        await ctx.system.resize(groupName, { ...ctx.record.transactors, minSize: 0, desiredCapacity: 0 });
        ctx.say(
            `stopping the transactors: ${groupName} to 0 instances (was ${ctx.record.transactors.desiredCapacity})`,
        );
        await waitUntil(
            ctx,
            `${groupName} has no instances`,
            async () => (await ctx.system.liveInstances(groupName)) === 0,
        );
        ctx.say("every transactor is stopped");
    },

    async restore(ctx) {
        const group = ctx.settings.restoreGroupName;
        let state = (await ctx.lock.read())?.runState;
        const lost = ctx.record.runStartedAt !== undefined && !isOutcome(state) && (await runLost(ctx));
        if (ctx.record.runStartedAt === undefined || state === "failed" || lost) {
            if (lost) {
                ctx.say("the restore run started before ended without a result; starting a new one");
            }
            await ctx.lock.renew(true);
            state = undefined;
            await ctx.system.startRun(group);
            ctx.record.runStartedAt = new Date().toISOString();
            await ctx.store.save(ctx.record);
            ctx.say(
                `started the restore run (${group}); its log is in ${ctx.settings.logGroupName}, streams restore/...`,
            );
        }
        await waitUntil(ctx, "the restore run reports", async () => {
            const item = await ctx.lock.read();
            state = item?.runState;
            if (state === "succeeded") {
                ctx.record.restoredT = item?.restoredT;
            }
            if (!isOutcome(state) && (await runLost(ctx))) {
                state = "lost (its instance ended without a result)";
                return true;
            }
            return isOutcome(state);
        });
        if (state !== "succeeded") {
            throw new RestoreStop(
                `the restore run ${state}: see ${ctx.settings.logGroupName}, streams restore/...; the table may hold a partial restore, so the transactors stay stopped (--resume restores again, --abort brings the system back as it is)`,
                RESTORE_EXIT.restoreFailed,
            );
        }
        ctx.say(`restored ${ctx.record.database} at t ${ctx.record.restoredT} from ${ctx.record.sourceUri}`);
    },

    async "start-transactors"(ctx) {
        const saved = ctx.record.transactors!;
        await ctx.system.resize(saved.groupName, saved);
        ctx.record.transactorsStartedAt ??= new Date().toISOString();
        ctx.say(
            `starting the transactors: ${saved.groupName} back to ${saved.desiredCapacity} (min ${saved.minSize}, max ${saved.maxSize})`,
        );
    },

    async "wait-active"(ctx) {
        const saved = ctx.record.transactors!;
        const since = new Date(ctx.record.transactorsStartedAt ?? ctx.record.startedAt);
        await waitUntil(ctx, "a transactor is active (InService, and HeartbeatMsec published)", async () => {
            return (
                (await ctx.system.inServiceInstances(saved.groupName)) > 0 &&
                (await ctx.system.heartbeatSince(ctx.settings.transactorMetricsDimension, since))
            );
        });
        ctx.say("a transactor is active (it publishes HeartbeatMsec)");
    },

    async "start-peers"(ctx) {
        if (ctx.record.startPeersCommand) {
            runHook(ctx, ctx.record.startPeersCommand);
        } else {
            ctx.say("peers: start your peers now; the transactor is active");
        }
    },

    async "resume-schedules"(ctx) {
        for (const group of ctx.record.suspendedGroups ?? []) {
            await ctx.system.resumeSchedules(group);
            ctx.say(`resumed the schedule of ${group}`);
        }
    },

    async unlock(ctx) {
        await ctx.lock.release();
        await ctx.system.publishInProgress(0);
        await ctx.store.remove();
        ctx.say(`released the lock on ${ctx.lock.uri}; the system is out of maintenance`);
    },
};
