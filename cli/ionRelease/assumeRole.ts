/**
 * The right account: `--role-arn` is assumed through STS before ion-dev starts, because the
 * Pulumi AWS provider's `assumeRoles` does not reach a local command. The temporary credentials
 * go only into ion-dev's environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, which aws-api's default chain reads first); never into argv, a log line
 * or the result. The source credentials are the SDK's default chain (or `--creds-profile`);
 * `AWS_ENDPOINT_URL_STS` points the call elsewhere (the tests use moto_server).
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

/** What AssumeRole needs besides the role. */
export interface AssumeRoleSettings {
    region?: string;
    /** The profile whose credentials assume the role. */
    profile?: string;
    /** How long the credentials last; the role's maximum session duration must allow it. */
    durationSeconds: number;
    sessionName: string;
}

/** The shortest and (for roles with default settings) longest session STS grants. */
export const SESSION_SECONDS = { min: 900, max: 3600 } as const;

/** The session to ask for: long enough for the release, within what a role allows by default. */
export function sessionSeconds(timeoutSeconds: number): number {
    return Math.min(SESSION_SECONDS.max, Math.max(SESSION_SECONDS.min, Math.ceil(timeoutSeconds) + 300));
}

/** Assumes `roleArn` and returns the environment variables that make ion-dev work as it. */
export async function assumeRoleEnvironment(
    roleArn: string,
    settings: AssumeRoleSettings,
): Promise<Record<string, string>> {
    const client = new STSClient({
        // STS answers in every region; without one, use the global endpoint's region.
        region: settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
        profile: settings.profile,
    });
    try {
        const { Credentials: credentials } = await client.send(
            new AssumeRoleCommand({
                RoleArn: roleArn,
                RoleSessionName: settings.sessionName,
                DurationSeconds: settings.durationSeconds,
            }),
        );
        if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
            throw new Error("STS returned no credentials");
        }
        return {
            AWS_ACCESS_KEY_ID: credentials.AccessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey,
            AWS_SESSION_TOKEN: credentials.SessionToken,
        };
    } finally {
        client.destroy();
    }
}

/** The environment ion-dev runs in when it works as an assumed role: the profile variables would compete. */
export function withRoleCredentials(base: NodeJS.ProcessEnv, credentials: Record<string, string>): NodeJS.ProcessEnv {
    const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _defaultProfile, ...rest } = base;
    return { ...rest, ...credentials };
}
