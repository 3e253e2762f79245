-- Privileges of dxgrant_app, the PostgreSQL role the web processes and workers connect as.
--
-- The tables belong to the owner role that runs `dxgrant migrate`; dxgrant_app owns nothing, so it
-- cannot drop or disable the audit log's append-only trigger (only a table's owner or a superuser
-- may), cannot set session_replication_role (superuser only), and is not granted UPDATE, DELETE
-- or TRUNCATE on the audit log at all: it can only add entries and read them.
--
-- Once, as a superuser:  CREATE ROLE dxgrant_app LOGIN PASSWORD '...';   (NOSUPERUSER, NOCREATEROLE)
-- Then, as the owner, after every `dxgrant migrate` (new tables need their grants):
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f scripts/postgres-app-role.sql
GRANT USAGE ON SCHEMA public TO dxgrant_app;
REVOKE CREATE ON SCHEMA public FROM dxgrant_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dxgrant_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dxgrant_app;
REVOKE UPDATE, DELETE, TRUNCATE ON integrity_auditentry FROM dxgrant_app;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM dxgrant_app;
