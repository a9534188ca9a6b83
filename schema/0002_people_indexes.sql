-- Binnacle inventory, schema 2: indexes for "what does this person own, develop, validate".
-- The People screen counts each person's models per role at a date; without these that is a scan
-- of every model per person (minutes at 5,000 people and 50,000 models), with them a short range each.

CREATE INDEX models_by_owner ON models(business_owner, created_at);
CREATE INDEX models_by_developer ON models(developer, created_at);
CREATE INDEX models_by_validator ON models(validator, created_at);
