/** Each workspace that is a simple-rest module: its folder and its package name. */
export function moduleWorkspaces(root?: string): { directory: string; name: string }[];
