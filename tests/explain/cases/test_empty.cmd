test examples/site.pol tests/explain/cases/empty.test
