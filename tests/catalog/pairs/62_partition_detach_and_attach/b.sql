create table public.measurement (city_id int not null, logdate date not null, peaktemp int, extra text) partition by range (logdate);
create table public.measurement_2006_02 partition of public.measurement for values from ('2006-02-01') to ('2006-03-01');
create table public.measurement_2006_03 (city_id int not null, logdate date not null, peaktemp int);
create index measurement_logdate_idx on public.measurement (logdate);
alter table public.measurement add constraint measurement_peak_check check (peaktemp > -100);
create table public.events (id serial, kind text not null, primary key (id, kind)) partition by list (kind);
create table public.events_x partition of public.events for values in ('x');
