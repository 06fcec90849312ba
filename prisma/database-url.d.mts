export const DEFAULT_DATABASE_URL: string;
export function databaseKind(url: string): "sqlite" | "postgresql";
export function sqliteFilePath(url: string): string;
