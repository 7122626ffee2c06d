/**
 * Tables created on first use instead of when the actor starts. Most conversations never
 * record a voice job, and a new actor's first turn should not pay for DDL it will not use:
 * in a fresh SQLite database every CREATE is a schema change of its own.
 *
 * @example
 * const voice = new LazySchema(ctx.storage.sql, "CREATE TABLE IF NOT EXISTS voice_jobs (…)");
 * voice.sql().exec("SELECT * FROM voice_jobs");
 */
export class LazySchema {
  private ready = false;

  /** `upgrade` runs after the DDL: it brings tables an older version of the code created up to date. */
  constructor(
    private readonly storage: SqlStorage,
    private readonly ddl: string,
    private readonly upgrade: (sql: SqlStorage) => void = () => undefined,
  ) {}

  /** The storage, once the tables exist (created by the first call of this instance). */
  sql(): SqlStorage {
    if (!this.ready) {
      this.storage.exec(this.ddl);
      this.upgrade(this.storage);
      this.ready = true;
    }
    return this.storage;
  }

  /** The storage if `table` was created already (by this instance or an earlier one), else null: nothing is created. */
  sqlIfCreated(table: string): SqlStorage | null {
    if (this.ready) return this.storage;
    const found = this.storage.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", table).toArray().length > 0;
    return found ? this.sql() : null;
  }
}
