/**
 * Where a user's audio lives in R2. Every key of a user shares one prefix, so erasing a
 * conversation can find all of them by listing it; the user id is encoded so that no id
 * can reach into another user's prefix.
 */
export function userAudioPrefix(userId: string): string {
  return `voice/${encodeURIComponent(userId)}/`;
}

/** The recording a user sent. */
export function inputAudioKey(userId: string, jobId: string): string {
  return `${userAudioPrefix(userId)}${jobId}/input`;
}

/** The synthesized reply: one fixed key per job, so a repeated synthesis overwrites rather than adds a file. */
export function replyAudioKey(userId: string, jobId: string): string {
  return `${userAudioPrefix(userId)}${jobId}/reply`;
}
