create sequence public.ticket_seq as bigint;
create table public.tickets (id bigint default nextval('public.ticket_seq'));
alter sequence public.ticket_seq owned by public.tickets.id;
create sequence public.line_seq;
create table public.lines (label text);
