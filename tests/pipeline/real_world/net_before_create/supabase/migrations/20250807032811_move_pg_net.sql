-- Fix extension security warning by moving pg_net to extensions schema
drop extension if exists pg_net;
create extension if not exists pg_net with schema extensions;
