/**
 * `datomic-restore --abort`: undoes whatever a restore in progress changed, from any step, and ends
 * maintenance: a restore run still going is stopped, the transactor group gets its recorded sizes back,
 * the peers' start hook runs (or the user is told to start them), the schedules this restore paused
 * resume, the lock is released, `RestoreInProgress` goes to 0 and the record is deleted.
 */
import { runHook, RestoreContext, waitUntil } from "./steps";

/** What an abort leaves behind. */
export interface AbortOutcome {
    /** The restore run had started: the live table may hold a partial restore. */
    partialRestore: boolean;
}

export async function abortRestore(ctx: RestoreContext): Promise<AbortOutcome> {
    const record = ctx.record;
    const restoreGroup = ctx.settings.restoreGroupName;
    if ((await ctx.system.liveInstances(restoreGroup)) > 0) {
        ctx.say(`stopping the restore run in ${restoreGroup}`);
        await ctx.system.resize(restoreGroup, { minSize: 0, maxSize: 1, desiredCapacity: 0 });
        await waitUntil(
            ctx,
            `${restoreGroup} has no instances`,
            async () => (await ctx.system.liveInstances(restoreGroup)) === 0,
        );
    }
    if (record.transactors) {
        await ctx.system.resize(record.transactors.groupName, record.transactors);
        ctx.say(`transactors: ${record.transactors.groupName} back to ${record.transactors.desiredCapacity}`);
    }
    if (record.startPeersCommand && record.history.some((h) => h.step === "stop-transactors")) {
        runHook(ctx, record.startPeersCommand);
    } else {
        ctx.say("peers: start any peer you stopped for this restore");
    }
    for (const group of record.suspendedGroups ?? []) {
        await ctx.system.resumeSchedules(group);
        ctx.say(`resumed the schedule of ${group}`);
    }
    await ctx.lock.release();
    await ctx.system.publishInProgress(0);
    await ctx.store.remove();
    const partialRestore = record.runStartedAt !== undefined && record.restoredT === undefined;
    ctx.say(
        partialRestore
            ? `aborted restore ${record.id}: restore-db had started, so ${ctx.settings.tableName} may hold a partial restore of ${record.database}; restore again before using it`
            : `aborted restore ${record.id}; the system is out of maintenance`,
    );
    return { partialRestore };
}
