create schema api;
create sequence public.counter;
