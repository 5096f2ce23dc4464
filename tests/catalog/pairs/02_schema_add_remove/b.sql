create schema shared;
create schema app;
