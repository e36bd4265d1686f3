/** build/cold-profile.mjs */
export function profileCalls(): Promise<Record<string, number>>;
export function coldProfileJson(calls: Record<string, number>): string;
