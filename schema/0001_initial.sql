-- Binnacle inventory, schema 1.
-- Dates are TEXT 'YYYY-MM-DD'; time stamps are TEXT 'YYYY-MM-DDTHH:MM:SS.sssZ' (UTC, always
-- millisecond precision so that text order is time order, and a time stamp compares with a date
-- by its UTC day: ts < 'D+1' means "dated on or before D").
-- History is never overwritten: stage changes, document versions, observations and task dates are
-- kept, so every KPI can be computed as of any past date.

PRAGMA application_id = 1112100430; -- 'BINN': tells a Binnacle file from any other SQLite file

CREATE TABLE portfolio (
    key   TEXT PRIMARY KEY NOT NULL,   -- 'portfolio', 'currency', 'as_of' (from the bundle manifest)
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE people (
    login  TEXT PRIMARY KEY NOT NULL,
    name   TEXT NOT NULL,
    email  TEXT NOT NULL,
    role   TEXT NOT NULL CHECK (role IN ('executive', 'risk_officer', 'validator', 'ai_lead', 'engineer')),
    team   TEXT NOT NULL,
    active INTEGER NOT NULL CHECK (active IN (0, 1))
) WITHOUT ROWID;

CREATE TABLE models (
    id             TEXT PRIMARY KEY NOT NULL,  -- slug
    name           TEXT NOT NULL,
    domain         TEXT NOT NULL,              -- business unit
    description    TEXT NOT NULL DEFAULT '',
    use_case       TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL CHECK (kind IN ('classification', 'regression', 'forecasting', 'recommender', 'genai', 'other')),
    risk_tier      INTEGER NOT NULL CHECK (risk_tier IN (1, 2, 3)),  -- 1 high ... 3 low
    business_owner TEXT NOT NULL REFERENCES people(login),
    developer      TEXT NOT NULL REFERENCES people(login),
    validator      TEXT REFERENCES people(login),
    vendor         TEXT,                        -- third party that supplies the model, if any
    tags           TEXT NOT NULL DEFAULT '',    -- ';'-separated risk tags
    created_at     TEXT NOT NULL                -- the idea date
);
CREATE INDEX models_by_domain ON models(domain, created_at);

CREATE TABLE stage_changes (
    id         INTEGER PRIMARY KEY,             -- row order breaks ties between equal time stamps
    model_id   TEXT NOT NULL REFERENCES models(id),
    stage      TEXT NOT NULL CHECK (stage IN ('idea', 'development', 'validation', 'production', 'retired', 'shelved')),
    changed_at TEXT NOT NULL,
    changed_by TEXT REFERENCES people(login),
    note       TEXT
);
-- "stage at D": the latest change of a model dated on or before D.
CREATE INDEX stage_changes_by_model ON stage_changes(model_id, changed_at);
-- "first change into production" and "built" look-ups.
CREATE INDEX stage_changes_by_stage ON stage_changes(stage, model_id, changed_at);

CREATE TABLE value_records (
    id       INTEGER PRIMARY KEY,
    model_id TEXT NOT NULL REFERENCES models(id),
    date     TEXT NOT NULL,
    value    REAL NOT NULL,                     -- realised business value; negative is a loss
    cost     REAL NOT NULL CHECK (cost >= 0),   -- run + build cost
    note     TEXT
);
-- impact: a model's value over the 90-day window.
CREATE INDEX value_by_model ON value_records(model_id, date, value);
-- value_12m and cost_12m: every record in the 365-day window.
CREATE INDEX value_by_date ON value_records(date, model_id, value, cost);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    model_id     TEXT NOT NULL REFERENCES models(id),
    kind         TEXT NOT NULL CHECK (kind IN ('model_card', 'validation_report', 'data_sheet', 'risk_assessment', 'monitoring_plan')),
    version      TEXT NOT NULL,
    submitted_at TEXT,
    approved_at  TEXT,                          -- empty: a draft
    approved_by  TEXT REFERENCES people(login),
    expires_at   TEXT,                          -- empty: never expires
    uri          TEXT,
    UNIQUE (model_id, kind, version)
);

CREATE TABLE monitors (
    model_id  TEXT NOT NULL REFERENCES models(id),
    metric    TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('above', 'below')),  -- which side of the thresholds is bad
    warn      REAL NOT NULL,
    critical  REAL NOT NULL,
    PRIMARY KEY (model_id, metric)
) WITHOUT ROWID;

CREATE TABLE observations (
    model_id    TEXT NOT NULL REFERENCES models(id),
    metric      TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    value       REAL NOT NULL,
    PRIMARY KEY (model_id, metric, observed_at)  -- also "the latest observation dated on or before D"
) WITHOUT ROWID;

CREATE TABLE assets (
    id    TEXT PRIMARY KEY NOT NULL,            -- shares one namespace with models.id (lineage)
    kind  TEXT NOT NULL CHECK (kind IN ('dataset', 'feature_group', 'application', 'process')),
    name  TEXT NOT NULL,
    owner TEXT REFERENCES people(login),
    tags  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE lineage (
    upstream   TEXT NOT NULL,                   -- a model or asset id
    downstream TEXT NOT NULL,
    PRIMARY KEY (upstream, downstream)
) WITHOUT ROWID;
CREATE INDEX lineage_by_downstream ON lineage(downstream, upstream);

-- An edge's ends must exist as a model or an asset (a foreign key cannot name two tables).
CREATE TRIGGER lineage_ends_exist BEFORE INSERT ON lineage
WHEN NOT EXISTS (SELECT 1 FROM models WHERE id = NEW.upstream) AND NOT EXISTS (SELECT 1 FROM assets WHERE id = NEW.upstream)
  OR NOT EXISTS (SELECT 1 FROM models WHERE id = NEW.downstream) AND NOT EXISTS (SELECT 1 FROM assets WHERE id = NEW.downstream)
BEGIN
    SELECT RAISE(ABORT, 'lineage edge names an unknown model or asset');
END;

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY NOT NULL,
    model_id    TEXT NOT NULL REFERENCES models(id),
    title       TEXT NOT NULL,
    assignee    TEXT NOT NULL REFERENCES people(login),
    assigned_by TEXT NOT NULL REFERENCES people(login),
    priority    TEXT NOT NULL CHECK (priority IN ('p1', 'p2', 'p3')),
    created_at  TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'verified', 'wontfix')),
    closed_at   TEXT                            -- empty while the task is open
);
CREATE INDEX tasks_by_model ON tasks(model_id);
CREATE INDEX tasks_by_assignee ON tasks(assignee);

-- Append-only, hash-chained audit log. hash = SHA-256 over the canonical serialisation of
-- (prev_hash, seq, at, actor, action, entity, detail); see the README ("Audit chain").
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,              -- 1, 2, 3, ... without gaps
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    detail    TEXT NOT NULL,                    -- JSON
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;

-- Each entry must extend the chain: the next sequence number, and the previous entry's hash.
CREATE TRIGGER audit_log_extends_chain BEFORE INSERT ON audit_log
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'audit_log entry does not extend the chain');
END;
