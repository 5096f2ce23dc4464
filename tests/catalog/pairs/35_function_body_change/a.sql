create function public.add_tax(amount numeric) returns numeric language plpgsql as $$
begin
  return amount * 1.2;
end
$$;
create function public.greet(name text) returns text language sql as $$ select 'Hello ' || name $$;
