create sequence public.invoice_no;
create sequence public.ticket_no as integer increment 1 minvalue 1 maxvalue 1000 start 20 cache 1 no cycle;
create sequence public.obsolete_seq;
