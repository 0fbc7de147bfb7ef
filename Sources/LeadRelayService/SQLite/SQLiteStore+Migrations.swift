import GRDB

extension SQLiteStore {
    /// The schema, one registered migration per version; a version once shipped is never
    /// edited, only followed by a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-leads-and-attempts") { db in
            // `attempt`: the try under way (`sending`) or the next one (`retry`); 0 while
            // `pending`. `due_at`: when a `pending` or `retry` lead may be claimed.
            // `sent_again`: some attempt ran again after its process died (kept for good);
            // `resending`: the current claim is such a run (its attempt record is flagged).
            try db.execute(
                sql: """
                    CREATE TABLE leads (
                        seq INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        offer_id TEXT NOT NULL,
                        affiliate_id TEXT,
                        fields TEXT NOT NULL,
                        dup_email TEXT,
                        dup_phone TEXT,
                        idem_key TEXT,
                        idem_digest TEXT,
                        is_test INTEGER NOT NULL DEFAULT 0,
                        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'retry', 'accepted', 'rejected', 'error')),
                        attempt INTEGER NOT NULL DEFAULT 0,
                        due_at REAL,
                        lease_owner TEXT,
                        lease_until REAL,
                        sent_again INTEGER NOT NULL DEFAULT 0,
                        resending INTEGER NOT NULL DEFAULT 0,
                        outcome TEXT,
                        received_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE UNIQUE INDEX leads_idempotency ON leads (COALESCE(affiliate_id, ''), idem_key) WHERE idem_key IS NOT NULL;
                    CREATE INDEX leads_due ON leads (due_at, seq) WHERE state IN ('pending', 'retry');
                    CREATE INDEX leads_leased ON leads (lease_until) WHERE state = 'sending';
                    CREATE INDEX leads_dup_email ON leads (offer_id, dup_email, received_at) WHERE dup_email IS NOT NULL;
                    CREATE INDEX leads_dup_phone ON leads (offer_id, dup_phone, received_at) WHERE dup_phone IS NOT NULL;
                    CREATE TABLE attempts (
                        lead_id TEXT NOT NULL REFERENCES leads (id),
                        number INTEGER NOT NULL,
                        integration TEXT NOT NULL,
                        started_at REAL NOT NULL,
                        ended_at REAL NOT NULL,
                        outcome TEXT NOT NULL,
                        report TEXT NOT NULL,
                        sent_again INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (lead_id, number)
                    );
                    """)
        }
        migrator.registerMigration("v2-offers-and-routes") { db in
            // `params`: JSON, the values named in `secret_params` sealed (`aesgcm1:...`).
            try db.execute(
                sql: """
                    CREATE TABLE offers (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        fall_through TEXT NOT NULL,
                        duplicate_window REAL
                    );
                    CREATE TABLE routes (
                        id INTEGER PRIMARY KEY,
                        offer_id TEXT NOT NULL REFERENCES offers (id),
                        integration TEXT NOT NULL,
                        params TEXT NOT NULL,
                        secret_params TEXT NOT NULL,
                        priority INTEGER NOT NULL,
                        daily_cap INTEGER,
                        countries TEXT NOT NULL,
                        enabled INTEGER NOT NULL,
                        postback_token TEXT NOT NULL UNIQUE
                    );
                    CREATE INDEX routes_offer ON routes (offer_id, priority, id);
                    """)
        }
        migrator.registerMigration("v3-affiliates-and-keys") { db in
            // `digest`: the hex SHA-256 of the key's token; the token itself is never stored.
            try db.execute(
                sql: """
                    CREATE TABLE affiliates (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        offers TEXT NOT NULL
                    );
                    CREATE TABLE api_keys (
                        id TEXT PRIMARY KEY,
                        affiliate_id TEXT NOT NULL REFERENCES affiliates (id),
                        digest TEXT NOT NULL UNIQUE,
                        permissions TEXT NOT NULL,
                        allowlist TEXT NOT NULL,
                        expires_at REAL NOT NULL,
                        revoked_at REAL
                    );
                    """)
        }
        migrator.registerMigration("v4-employees") { db in
            // Employee keys apart from affiliates' (`api_keys`): an employee key is never
            // found by the intake, nor an affiliate key by the admin API. `role`: admin,
            // manager or analyst (checked when read).
            try db.execute(
                sql: """
                    CREATE TABLE employees (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL
                    );
                    CREATE TABLE employee_keys (
                        id TEXT PRIMARY KEY,
                        employee_id TEXT NOT NULL REFERENCES employees (id),
                        digest TEXT NOT NULL UNIQUE,
                        allowlist TEXT NOT NULL,
                        expires_at REAL NOT NULL,
                        revoked_at REAL
                    );
                    """)
        }
        migrator.registerMigration("v5-route-choice") { db in
            // `routes.hours`: working hours as text (`Mon-Fri 09:00-18:00 Europe/Berlin`), NULL: always.
            // `attempts.route_id`, `attempts.kind`: which route an attempt went through and its
            // outcome's kind, for the daily caps; `attempts.run`: the dispatcher run that made it
            // (a run counts its own in memory). `leads.routes_tried`: JSON array of the ids of
            // routes that rejected the lead (the offer's fall-through skips them).
            try db.execute(
                sql: """
                    ALTER TABLE routes ADD COLUMN hours TEXT;
                    ALTER TABLE attempts ADD COLUMN route_id INTEGER;
                    ALTER TABLE attempts ADD COLUMN kind TEXT;
                    ALTER TABLE attempts ADD COLUMN run TEXT;
                    ALTER TABLE leads ADD COLUMN routes_tried TEXT NOT NULL DEFAULT '[]';
                    CREATE INDEX attempts_route_accepted ON attempts (route_id, ended_at) WHERE kind = 'accepted';
                    """)
        }
        migrator.registerMigration("v6-statuses") { db in
            // `routes.status_*`: which checks the scheduler runs (JSON array of check names),
            // every how many seconds, for leads accepted how long ago, over what range.
            // `status_updates`: every update stored (`applied`: it became the lead's stage);
            // `lead_stages`: the current stage and the update (`seq`) that set it.
            // `attempts_route_external`: finds the lead a route accepted under a network id.
            try db.execute(
                sql: """
                    ALTER TABLE routes ADD COLUMN status_checks TEXT NOT NULL DEFAULT '["processing"]';
                    ALTER TABLE routes ADD COLUMN status_interval REAL NOT NULL DEFAULT 600;
                    ALTER TABLE routes ADD COLUMN status_window REAL NOT NULL DEFAULT 2592000;
                    ALTER TABLE routes ADD COLUMN status_range REAL NOT NULL DEFAULT 86400;
                    CREATE TABLE status_updates (
                        seq INTEGER PRIMARY KEY,
                        lead_id TEXT NOT NULL REFERENCES leads (id),
                        route_id INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        external_id TEXT,
                        stage TEXT NOT NULL,
                        status TEXT,
                        comment TEXT,
                        amount REAL,
                        currency TEXT,
                        at REAL,
                        received_at REAL NOT NULL,
                        applied INTEGER NOT NULL
                    );
                    CREATE INDEX status_updates_lead ON status_updates (lead_id, seq);
                    CREATE TABLE lead_stages (
                        lead_id TEXT PRIMARY KEY REFERENCES leads (id),
                        stage TEXT NOT NULL,
                        update_seq INTEGER NOT NULL REFERENCES status_updates (seq),
                        changed_at REAL NOT NULL
                    );
                    CREATE INDEX attempts_route_external
                        ON attempts (route_id, json_extract(outcome, '$.external_id')) WHERE kind = 'accepted';
                    """)
        }
        migrator.registerMigration("v7-lead-actions") { db in
            // `leads.action`: what delivering the lead runs, `push` or `register` (synchronous
            // registration, a post with `?wait=N`).
            // `api_keys.rate`: the key's request rate (`100/1m`), NULL: unlimited.
            try db.execute(
                sql: """
                    ALTER TABLE leads ADD COLUMN action TEXT NOT NULL DEFAULT 'push';
                    ALTER TABLE api_keys ADD COLUMN rate TEXT;
                    """)
        }
        registerReports(&migrator)
        registerAffiliatePostbacks(&migrator)
        registerLeadChanges(&migrator)
        registerCredentials(&migrator)
        return migrator
    }
}
