-- generated from supabase ui - enable supabase queue via ui.
-- (the shape of gridaco/grida supabase/migrations/20250503123355_pgmq.sql: the dashboard's
-- Queues integration pins the pgmq version an older project was offered)

create schema if not exists "pgmq";

create extension if not exists "pgmq" with schema "pgmq" version '1.4.4';

grant select on table "pgmq"."meta" to "pg_monitor";
grant select, insert, update, delete on table "pgmq"."meta" to "service_role";
