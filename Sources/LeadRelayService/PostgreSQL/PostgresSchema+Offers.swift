extension PostgresSchema {
    /// `v2-offers-routes-leads`: offers' routes, leads and their attempts, with the columns
    /// and indexes of SQLite's final schema (through its `v10-lead-changes`). Flags are
    /// `boolean`; ids and sequence numbers SQLite gives as `INTEGER PRIMARY KEY` are identity
    /// columns; the index SQLite builds on `json_extract(outcome, '$.external_id')` is an
    /// expression index on `(outcome::jsonb ->> 'external_id')`.
    static let offersRoutesLeads = Migration(
        name: "v2-offers-routes-leads",
        statements: [
            // `params`: JSON, the values named in `secret_params` sealed (`aesgcm1:...`);
            // `hours`: working hours as text, NULL: always; `status_checks`: JSON array of
            // check names; `on_approve`: the offer's one on-approve route.
            """
            CREATE TABLE routes (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                offer_id text NOT NULL REFERENCES offers (id),
                integration text NOT NULL,
                params text NOT NULL,
                secret_params text NOT NULL,
                priority integer NOT NULL,
                daily_cap integer,
                countries text NOT NULL,
                enabled boolean NOT NULL,
                postback_token text NOT NULL UNIQUE,
                hours text,
                status_checks text NOT NULL DEFAULT '["processing"]',
                status_interval double precision NOT NULL DEFAULT 600,
                status_window double precision NOT NULL DEFAULT 2592000,
                status_range double precision NOT NULL DEFAULT 86400,
                on_approve boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX routes_offer ON routes (offer_id, priority, id)",
            "CREATE UNIQUE INDEX routes_on_approve ON routes (offer_id) WHERE on_approve",
            // As SQLite's `v1-leads-and-attempts`: `attempt` the try under way or next,
            // `due_at` when a pending or retry lead may be claimed, `routes_tried` the JSON
            // array of routes that rejected it, `action` push or register.
            """
            CREATE TABLE leads (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                offer_id text NOT NULL,
                affiliate_id text,
                fields text NOT NULL,
                dup_email text,
                dup_phone text,
                idem_key text,
                idem_digest text,
                is_test boolean NOT NULL DEFAULT false,
                state text NOT NULL CHECK (state IN ('pending', 'sending', 'retry', 'accepted', 'rejected', 'error')),
                attempt integer NOT NULL DEFAULT 0,
                due_at double precision,
                lease_owner text,
                lease_until double precision,
                sent_again boolean NOT NULL DEFAULT false,
                resending boolean NOT NULL DEFAULT false,
                outcome text,
                received_at double precision NOT NULL,
                updated_at double precision NOT NULL,
                routes_tried text NOT NULL DEFAULT '[]',
                action text NOT NULL DEFAULT 'push',
                anonymised_at double precision
            )
            """,
            "CREATE UNIQUE INDEX leads_idempotency ON leads (COALESCE(affiliate_id, ''), idem_key) WHERE idem_key IS NOT NULL",
            "CREATE INDEX leads_due ON leads (due_at, seq) WHERE state IN ('pending', 'retry')",
            "CREATE INDEX leads_leased ON leads (lease_until) WHERE state = 'sending'",
            "CREATE INDEX leads_dup_email ON leads (offer_id, dup_email, received_at) WHERE dup_email IS NOT NULL",
            "CREATE INDEX leads_dup_phone ON leads (offer_id, dup_phone, received_at) WHERE dup_phone IS NOT NULL",
            "CREATE INDEX leads_received ON leads (received_at, seq)",
            "CREATE INDEX leads_anonymise ON leads (received_at) WHERE anonymised_at IS NULL",
            // `route_id`, `kind`, `run`: the route an attempt went through, its outcome's
            // kind and the dispatcher run that made it (the daily caps count these).
            """
            CREATE TABLE attempts (
                lead_id text NOT NULL REFERENCES leads (id),
                number integer NOT NULL,
                integration text NOT NULL,
                started_at double precision NOT NULL,
                ended_at double precision NOT NULL,
                outcome text NOT NULL,
                report text NOT NULL,
                sent_again boolean NOT NULL DEFAULT false,
                route_id bigint,
                kind text,
                run text,
                PRIMARY KEY (lead_id, number)
            )
            """,
            "CREATE INDEX attempts_route_accepted ON attempts (route_id, ended_at) WHERE kind = 'accepted'",
            """
            CREATE INDEX attempts_route_external
                ON attempts (route_id, (outcome::jsonb ->> 'external_id')) WHERE kind = 'accepted'
            """,
        ])
}
