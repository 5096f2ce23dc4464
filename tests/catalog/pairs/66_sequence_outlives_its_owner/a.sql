-- A sequence owned by a column is dropped with that column or table: when the sequence
-- stays (owned by another column, or by none), it is released first.
create sequence public.ticket_seq as bigint;
create table public.old_tickets (id bigint, note text);
alter sequence public.ticket_seq owned by public.old_tickets.id;
create sequence public.line_seq;
create table public.lines (n int, label text);
alter sequence public.line_seq owned by public.lines.n;
