/**
 * A migration applied to every tenant schema. `up` receives the quoted schema name and returns the
 * statements to run; every table it names must be qualified with it (no search_path on our connections).
 */
export interface TenantMigration {
  name: string;
  up(schema: string): string[];
}
