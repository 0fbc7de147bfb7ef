import GRDB

extension SQLiteStore {
    /// `v10-lead-changes`: `lead_changes`, the queue of changes of delivered leads (an
    /// affiliate's update, an approval sent onward), with the columns of a lead's delivery
    /// (`state`, `attempt`, `due_at`, the lease, `sent_again`/`resending`, `outcome`);
    /// `fields`: the update's fields, sensitive ones sealed (`{}` for `approved`). At most one
    /// `approved` change per lead, and one change per lead and `Idempotency-Key`.
    /// `change_attempts`: each attempt of a change, as `attempts` holds a lead's.
    /// `routes.on_approve`: the offer's one on-approve route (never in the push rotation).
    /// `offers.registration_wait`: seconds a post without `?wait=` waits (0: asynchronous).
    static func registerLeadChanges(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-lead-changes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lead_changes (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        lead_id TEXT NOT NULL REFERENCES leads (id),
                        route_id INTEGER NOT NULL,
                        action TEXT NOT NULL CHECK (action IN ('update', 'approved')),
                        fields TEXT NOT NULL,
                        idem_key TEXT,
                        idem_digest TEXT,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'retry', 'accepted', 'rejected', 'error')),
                        attempt INTEGER NOT NULL DEFAULT 0,
                        due_at REAL,
                        lease_owner TEXT,
                        lease_until REAL,
                        sent_again INTEGER NOT NULL DEFAULT 0,
                        resending INTEGER NOT NULL DEFAULT 0,
                        outcome TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX lead_changes_lead ON lead_changes (lead_id, seq);
                    CREATE UNIQUE INDEX lead_changes_approved_once ON lead_changes (lead_id) WHERE action = 'approved';
                    CREATE UNIQUE INDEX lead_changes_idempotency ON lead_changes (lead_id, idem_key) WHERE idem_key IS NOT NULL;
                    CREATE INDEX lead_changes_due ON lead_changes (due_at, seq) WHERE state IN ('pending', 'retry');
                    CREATE INDEX lead_changes_leased ON lead_changes (lease_until) WHERE state = 'sending';
                    CREATE TABLE change_attempts (
                        change_id TEXT NOT NULL REFERENCES lead_changes (id),
                        number INTEGER NOT NULL,
                        integration TEXT NOT NULL,
                        started_at REAL NOT NULL,
                        ended_at REAL NOT NULL,
                        outcome TEXT NOT NULL,
                        report TEXT NOT NULL,
                        sent_again INTEGER NOT NULL DEFAULT 0,
                        route_id INTEGER,
                        PRIMARY KEY (change_id, number)
                    );
                    ALTER TABLE routes ADD COLUMN on_approve INTEGER NOT NULL DEFAULT 0;
                    CREATE UNIQUE INDEX routes_on_approve ON routes (offer_id) WHERE on_approve = 1;
                    ALTER TABLE offers ADD COLUMN registration_wait REAL NOT NULL DEFAULT 0;
                    """)
        }
    }
}
