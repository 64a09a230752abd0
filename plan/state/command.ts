/**
 * `datomic-plan --state <export.json>`: reads the state file before the program runs (a wrong or risky state
 * exits 2 at once), and prints the preview after it.
 */
import * as fs from "fs";
import type { ProgramRun } from "../runProgram";
import { checkCheckpointTarget, parseCheckpoint } from "./checkpoint";
import { DeployedState } from "./preview";
import { renderStatePreview } from "./render";

/** The state of `stack` of `project` from `pulumi stack export`; throws saying why it cannot be used. */
export function readStateFile(file: string, project: string, stack: string): DeployedState {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`--state: cannot read ${file}: ${(e as Error).message}`);
    }
    try {
        const checkpoint = parseCheckpoint(text, file);
        checkCheckpointTarget(checkpoint, project, stack, file);
        return new DeployedState(checkpoint);
    } catch (e) {
        throw new Error(`--state: ${(e as Error).message}`);
    }
}

/** The preview as text or JSON, and whether the engine would refuse any step (pulumi preview would fail). */
export function statePreviewOutput(
    state: DeployedState,
    run: ProgramRun,
    file: string,
    json: boolean,
): { text: string; refused: boolean } {
    const preview = state.preview(run);
    const text = json ? JSON.stringify(preview, null, 2) + "\n" : renderStatePreview(preview, file, run.programDir);
    return { text, refused: preview.steps.some((step) => step.refused !== undefined) };
}
