create sequence public.invoice_no start 1000 increment 10;
create sequence public.ticket_no as smallint increment 2 minvalue 10 maxvalue 500 cache 5 cycle;
create sequence public.order_no;
