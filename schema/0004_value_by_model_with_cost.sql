-- read-compatible: it only widens an index; older files are read as they are (their reads plan another way).
-- Binnacle inventory, schema 4: the value records by model carry their cost too, so that a report's KPI sweep
-- (its date and twelve month-ends) reads each model's records in date order from the index alone and adds them
-- up model by model as they go by, holding none (KPISweep).

DROP INDEX value_by_model;
CREATE INDEX value_by_model ON value_records(model_id, date, value, cost);
