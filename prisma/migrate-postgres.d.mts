export function applyPostgresMigrations(url: string, migrationsDir: string): Promise<string[]>;
