create function public.add_tax(amount numeric) returns numeric language plpgsql as $$
begin
  -- VAT went up
  return round(amount * 1.25, 2);
end
$$;
create function public.greet(name text) returns text language sql as $$ select 'Hi ' || name $$;
