-- read-compatible: it only widens the roles a person may hold; older files are read as they are.
-- Binnacle inventory, schema 3: the `service` role, for pipelines that write as a login of their own
-- (ingest and sync, nothing else). SQLite cannot alter a CHECK constraint, so the table is rebuilt
-- (foreign keys are off during a migration and checked before it commits).

CREATE TABLE people_v3 (
    login  TEXT PRIMARY KEY NOT NULL,
    name   TEXT NOT NULL,
    email  TEXT NOT NULL,
    role   TEXT NOT NULL CHECK (role IN ('executive', 'risk_officer', 'validator', 'ai_lead', 'engineer', 'service')),
    team   TEXT NOT NULL,
    active INTEGER NOT NULL CHECK (active IN (0, 1))
) WITHOUT ROWID;
INSERT INTO people_v3 (login, name, email, role, team, active) SELECT login, name, email, role, team, active FROM people;
DROP TABLE people;
ALTER TABLE people_v3 RENAME TO people;
