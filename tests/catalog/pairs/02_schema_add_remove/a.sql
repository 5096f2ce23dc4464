create schema legacy;
create schema shared;
